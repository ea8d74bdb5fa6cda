import * as z from 'zod/mini';
import '../schemas/locale.js';
import type { PremiumFacts } from '../domain/premium-check/evaluate.js';
import { quarterOf } from '../domain/calendar.js';
import type { PurposeSources } from './purpose-sources.js';
import { parseAnswer } from './parse-answer.js';

/**
 * DMFA as the premium check of 05/012 reads it: the worker's own occupation with the
 * employer in the checked month (the quarter's occupation broken down by month), and
 * employer-level aggregates per quarter. No line of any other worker is asked for.
 */
const parse = <T>(schema: z.ZodMiniType<T>, body: unknown): T => parseAnswer('dmfa', schema, body);
const decimal = z.string().check(z.regex(/^\d+(\.\d{1,2})?$/));

const workerLines = z.object({
  items: z.array(
    z.object({
      occupations: z.array(
        z.object({
          daysPerWeek: z.number().check(z.positive(), z.lte(7)),
          monthly: z._default(
            z.array(
              z.object({
                month: z.string(),
                daysWorked: z.int().check(z.nonnegative()),
                assimilatedDays: z.int().check(z.nonnegative()),
                grossSalary: decimal,
                salaryCost: decimal,
                otherPremiums: z._default(z.array(z.string()), []),
              }),
            ),
            [],
          ),
        }),
      ),
    }),
  ),
});

const employerAggregates = z.object({ items: z.array(z.object({ quarter: z.string(), regularFte: decimal, exemption: z.optional(z.boolean()) })) });

export const fetchPremiumFacts = async (
  sources: PurposeSources,
  { workerNiss, employerEnterpriseNumber, month }: { workerNiss: string; employerEnterpriseNumber: string; month: string },
): Promise<Omit<PremiumFacts, 'request'>> => {
  const [lines, aggregates] = await Promise.all([
    sources.get('dmfa', '/worker-lines', { niss: workerNiss, employerEnterpriseNumber, quarter: quarterOf(month) }),
    sources.get('dmfa', '/employer-aggregates', { employerEnterpriseNumber }),
  ]);
  const occupations = lines.body === undefined ? [] : parse(workerLines, lines.body).items.flatMap((l) => l.occupations);
  const match = occupations.map((o) => ({ o, m: o.monthly.find((x) => x.month === month) })).find((x) => x.m);
  return {
    occupation: match ? { daysPerWeek: match.o.daysPerWeek, ...match.m!, otherPremiums: match.m!.otherPremiums } : undefined,
    aggregates:
      aggregates.body === undefined
        ? []
        : parse(employerAggregates, aggregates.body).items.map((a) => ({
            quarter: a.quarter,
            regularFte: a.regularFte,
            ...(a.exemption !== undefined ? { exemption: a.exemption } : {}),
          })),
  };
};
