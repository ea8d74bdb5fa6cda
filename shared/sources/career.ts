import * as z from 'zod/mini';
import '../schemas/locale.js';
import type { CareerRecord } from '../domain/career-break/prefilter.js';
import type { PurposeSources } from './purpose-sources.js';
import { SourceContractError } from './source-errors.js';

/** Career data (SIGEDIS): birth date and the sector of each career period. */
const careerSchema = z.object({
  niss: z.string(),
  birthDate: z.optional(z.iso.date()),
  periods: z.array(z.object({ sector: z.string(), from: z.iso.date(), to: z.optional(z.iso.date()) })),
});

/** The person's career, or undefined when the career source does not know them (404). */
export const fetchCareer = async (sources: PurposeSources, niss: string): Promise<CareerRecord | undefined> => {
  const { status, body } = await sources.get('career', `/careers/${encodeURIComponent(niss)}`);
  if (status === 404) return undefined;
  const parsed = careerSchema.safeParse(body);
  if (!parsed.success || parsed.data.niss !== niss) throw new SourceContractError('career', 'career record does not match the contract');
  const { birthDate, periods } = parsed.data;
  return { ...(birthDate ? { birthDate } : {}), periods: periods.map((p) => ({ sector: p.sector, from: p.from, ...(p.to ? { to: p.to } : {}) })) };
};
