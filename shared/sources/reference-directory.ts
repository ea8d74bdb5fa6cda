import * as z from 'zod';
import { SourceContractError } from './source-errors.js';
import type { PurposeSources } from './purpose-sources.js';

/** BCSS reference directory: who registered a person, with which quality code (05/012 §5.2). */
const registrationSchema = z.object({
  niss: z.string(),
  registeredBy: z.string(),
  qualityCode: z.string().regex(/^\d{3}$/),
});
export type Registration = z.infer<typeof registrationSchema>;

export const findRegistration = async (sources: PurposeSources, niss: string): Promise<Registration | undefined> => {
  const { status, body } = await sources.get('referenceDirectory', `/registrations/${encodeURIComponent(niss)}`);
  if (status === 404) return undefined;
  const parsed = registrationSchema.safeParse(body);
  if (!parsed.success) throw new SourceContractError('referenceDirectory', 'registration does not match the contract');
  return parsed.data;
};
