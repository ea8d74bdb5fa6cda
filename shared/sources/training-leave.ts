import * as z from 'zod';
import type { ClaimFacts } from '../domain/training-leave/evaluate.js';
import type { PurposeSources } from './purpose-sources.js';
import { parseAnswer as parse } from './parse-answer.js';

/**
 * Adapters to the sources of deliberation 19/038: BCSS registers (§8), DMFA (§15),
 * DIMONA (§21) and the Flemish training database. Each answer is already projected on
 * the purpose's fields; here it is validated and shaped for the evaluation.
 */
const date = z.iso.date();
const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export const fetchPerson = async (sources: PurposeSources, niss: string): Promise<ClaimFacts['person']> => {
  const { status, body } = await sources.get('bcssRegisters', `/persons/${encodeURIComponent(niss)}`);
  if (status === 404) return undefined;
  const person = parse('bcssRegisters', z.object({ niss: z.literal(niss), deathDate: date.optional() }), body);
  return person.deathDate ? { deathDate: person.deathDate } : {};
};

export const fetchEmployments = async (sources: PurposeSources, niss: string, employer: string): Promise<ClaimFacts['employments']> => {
  const { body } = await sources.get('dimona', '/employments', { niss, employerEnterpriseNumber: employer });
  const schema = items(z.object({ employerEnterpriseNumber: z.string(), from: date, to: date.optional() }));
  return (body === undefined ? [] : parse('dimona', schema, body).items).map((e) => ({
    employerEnterpriseNumber: e.employerEnterpriseNumber,
    from: e.from,
    ...(e.to ? { to: e.to } : {}),
  }));
};

export const fetchWorkerLines = async (sources: PurposeSources, niss: string): Promise<ClaimFacts['workerLines']> => {
  const { body } = await sources.get('dmfa', '/worker-lines', { niss });
  const occupation = z.object({
    from: date,
    to: date.optional(),
    q: z.number().positive(),
    s: z.number().positive(),
    workingTimeCode5Hours: z.number().nonnegative().optional(),
  });
  const schema = items(
    z.object({ quarter: z.string(), employerEnterpriseNumber: z.string(), sector: z.string(), localUnitRegion: z.string(), occupations: z.array(occupation) }),
  );
  return body === undefined ? [] : (parse('dmfa', schema, body).items as ClaimFacts['workerLines']);
};

export const fetchTraining = async (sources: PurposeSources, trainingId: string, niss: string): Promise<ClaimFacts['training']> => {
  const [{ status, body }, attendance] = await Promise.all([
    sources.get('trainingDatabase', `/trainings/${encodeURIComponent(trainingId)}`),
    // Attendance of this worker only: other participants never enter the function.
    sources.get('trainingDatabase', '/attendance', { trainingId, niss }),
  ]);
  if (status === 404) return undefined;
  const training = parse(
    'trainingDatabase',
    z.object({ recognisedFrom: date, recognisedTo: date.optional(), contactHours: z.number().positive().optional() }),
    body,
  );
  const attended =
    attendance.body === undefined
      ? []
      : parse('trainingDatabase', items(z.object({ niss: z.string(), hoursAttended: z.number().nonnegative() })), attendance.body).items;
  return { ...training, attendance: attended.filter((a) => a.niss === niss) } as ClaimFacts['training'];
};
