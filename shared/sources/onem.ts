import * as z from 'zod/mini';
import '../schemas/locale.js';
import { CLOSURES, REASONS, REGIMES } from '../domain/career-break/codes.js';
import type { OnemCounters } from '../domain/career-break/present.js';
import type { PurposeSources } from './purpose-sources.js';
import { parseAnswer } from './parse-answer.js';
import { SourceContractError } from './source-errors.js';

/**
 * The ONEM career-break service as this project defines it (ONEM publishes no schema;
 * docs/career-break.md A6.5). Documented in shared/sources/onem-contract.md, with the
 * JSON Schema generated from this one in onem-answer.schema.json.
 *
 *   GET {SOURCES_BASE_URL}/onem/counters/{niss}   → 200 OnemAnswer | 404 (person unknown to ONEM)
 */
export const onemAnswerSchema = z
  .object({
    niss: z.string().check(z.regex(/^\d{11}$/), z.describe('NISS of the person asked about')),
    employerEnterpriseNumber: z.nullable(z.string().check(z.regex(/^[01]\d{9}$/))).check(z.describe('enterprise number of the current employer, if any')),
    counters: z
      .array(
        z.object({
          reason: z.enum(REASONS),
          regime: z.enum(REGIMES),
          remainingMonths: z.number().check(z.gte(0), z.lte(600), z.describe('months left in this regime; may be fractional')),
        }),
      )
      .check(z.describe('remaining right per reason and regime; one tenth only for PARENTAL_LEAVE')),
    closures: z.array(z.object({ reason: z.enum(REASONS), code: z.enum(CLOSURES) })).check(z.describe('why a reason can no longer be taken')),
  })
  .check(
    z.refine((a) => a.counters.every((c) => c.regime !== 'ONE_TENTH' || c.reason === 'PARENTAL_LEAVE'), {
      error: 'ONE_TENTH exists only for PARENTAL_LEAVE',
    }),
    z.refine((a) => new Set(a.counters.map((c) => `${c.reason}/${c.regime}`)).size === a.counters.length, {
      error: 'one counter per reason and regime',
    }),
    z.meta({ title: 'ONEM career-break counters', description: 'Answer of GET /onem/counters/{niss} (deliberation 24/012 §2, §14)' }),
  );

/**
 * One call to ONEM for the person. The answer is validated, and must be about the person
 * asked about; anything else is a contract error (502), never shown.
 */
export const fetchOnemCounters = async (sources: PurposeSources, niss: string): Promise<OnemCounters | undefined> => {
  const { status, body } = await sources.get('onem', `/counters/${encodeURIComponent(niss)}`);
  if (status === 404) return undefined;
  const answer = parseAnswer('onem', onemAnswerSchema, body);
  if (answer.niss !== niss) throw new SourceContractError('onem', 'the answer is about another person');
  return answer;
};
