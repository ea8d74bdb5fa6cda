import * as z from 'zod/mini';
import '../schemas/locale.js';
import type { ClaimFacts } from '../domain/training-leave/evaluate.js';
import type { PurposeSources } from './purpose-sources.js';
import { parseAnswer as parse } from './parse-answer.js';
import { SourceContractError } from './source-errors.js';

/**
 * Adapters to the sources of deliberation 19/038: BCSS registers (§8), DMFA (§15),
 * DIMONA (§21) and the Flemish training database. Each answer is already projected on
 * the purpose's fields; here it is validated and shaped for the evaluation.
 */
const date = z.iso.date();
const items = <T extends z.ZodMiniType>(item: T) => z.object({ items: z.array(item) });

// Built once per container, not per call (the consumer evaluates many claims a batch).
const personSchema = z.object({ niss: z.string(), deathDate: z.optional(date) });
const employmentsSchema = items(z.object({ employerEnterpriseNumber: z.string(), from: date, to: z.optional(date) }));
const occupationSchema = z.object({
  from: date,
  to: z.optional(date),
  q: z.number().check(z.positive()),
  s: z.number().check(z.positive()),
  workingTimeCode5Hours: z.optional(z.number().check(z.nonnegative())),
});
const workerLinesSchema = items(
  z.object({
    quarter: z.string(),
    employerEnterpriseNumber: z.string(),
    sector: z.string(),
    localUnitRegion: z.string(),
    occupations: z.array(occupationSchema),
  }),
);
const trainingSchema = z.object({
  recognisedFrom: date,
  recognisedTo: z.optional(date),
  contactHours: z.optional(z.number().check(z.positive())),
  attendanceFinal: z.optional(z.boolean()),
});
const attendanceSchema = items(z.object({ niss: z.string(), hoursAttended: z.number().check(z.nonnegative()) }));

export const fetchPerson = async (sources: PurposeSources, niss: string): Promise<ClaimFacts['person']> => {
  const { status, body } = await sources.get('bcssRegisters', `/persons/${encodeURIComponent(niss)}`);
  if (status === 404) return undefined;
  const person = parse('bcssRegisters', personSchema, body);
  // The registers must answer about the person asked for.
  if (person.niss !== niss) throw new SourceContractError('bcssRegisters', 'the answer is about another person');
  return person.deathDate ? { deathDate: person.deathDate } : {};
};

export const fetchEmployments = async (sources: PurposeSources, niss: string, employer: string): Promise<ClaimFacts['employments']> => {
  const { body } = await sources.get('dimona', '/employments', { niss, employerEnterpriseNumber: employer });
  return (body === undefined ? [] : parse('dimona', employmentsSchema, body).items).map((e) => ({
    employerEnterpriseNumber: e.employerEnterpriseNumber,
    from: e.from,
    ...(e.to ? { to: e.to } : {}),
  }));
};

export const fetchWorkerLines = async (sources: PurposeSources, niss: string): Promise<ClaimFacts['workerLines']> => {
  const { body } = await sources.get('dmfa', '/worker-lines', { niss });
  return body === undefined ? [] : (parse('dmfa', workerLinesSchema, body).items as ClaimFacts['workerLines']);
};

/**
 * How long a training's definition is shared by the claims that name it (PurposeSources.getShared):
 * it is about no person, and changes rarely (its recognition, its contact hours, whether its
 * attendance is final); a claim decided on a definition read up to this long before is decided
 * as if it had been evaluated that much earlier. The attendance is the worker's: asked per claim.
 */
export const TRAINING_DEFINITION_MAX_AGE_MS = 30_000;

export const fetchTraining = async (sources: PurposeSources, trainingId: string, niss: string): Promise<ClaimFacts['training']> => {
  const [{ status, body }, attendance] = await Promise.all([
    sources.getShared('trainingDatabase', `/trainings/${encodeURIComponent(trainingId)}`, TRAINING_DEFINITION_MAX_AGE_MS),
    // Attendance of this worker only: other participants never enter the function.
    sources.get('trainingDatabase', '/attendance', { trainingId, niss }),
  ]);
  if (status === 404) return undefined;
  const training = parse('trainingDatabase', trainingSchema, body);
  const attended = attendance.body === undefined ? [] : parse('trainingDatabase', attendanceSchema, attendance.body).items;
  return { ...training, attendance: attended.filter((a) => a.niss === niss) } as ClaimFacts['training'];
};
