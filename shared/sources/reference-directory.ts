import * as z from 'zod/mini';
import '../schemas/locale.js';
import { SourceContractError } from './source-errors.js';
import type { SubjectGate } from '../purposes/purpose.js';
import type { PurposeSources } from './purpose-sources.js';

/** BCSS reference directory: who registered a person, with which quality code (05/012 §5.2). */
const registrationSchema = z.object({
  niss: z.string(),
  registeredBy: z.string(),
  qualityCode: z.string().check(z.regex(/^\d{3}$/)),
});
export type Registration = z.infer<typeof registrationSchema>;

export const findRegistration = async (sources: PurposeSources, niss: string): Promise<Registration | undefined> => {
  const { status, body } = await sources.get('referenceDirectory', `/registrations/${encodeURIComponent(niss)}`);
  if (status === 404) return undefined;
  const parsed = registrationSchema.safeParse(body);
  if (!parsed.success) throw new SourceContractError('referenceDirectory', 'registration does not match the contract');
  return parsed.data;
};

/**
 * The reference-directory gate (05/012 §5.2), the port a binding's `reference-directory`
 * rule names: admitted only when the organisation registered the person with one of the
 * quality codes. Called before any other source.
 */
export const referenceDirectoryGate =
  (sources: () => PurposeSources): SubjectGate =>
  async (rule, niss) => {
    const registration = await findRegistration(sources(), niss);
    if (registration?.registeredBy !== rule.registeredBy) return { admitted: false };
    // The registration must be the person's asked about, and carry one of the codes.
    return registration.niss === niss && rule.qualityCodes.includes(registration.qualityCode) ? { admitted: true } : { admitted: false };
  };
