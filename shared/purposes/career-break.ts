import * as z from 'zod/mini';
import '../schemas/locale.js';
import { CLOSURES, LANGUAGES, PLAN_CAVEATS, PLAN_REFUSALS, PRECONDITIONS, REASONS, REGIMES } from '../domain/career-break/codes.js';
import type { PossibilitiesView } from '../domain/career-break/present.js';
import type { WhatIfView } from '../domain/career-break/what-if.js';
import { enterpriseNumberField, isoDateField, textField } from '../schemas/fields.js';
import { definePurpose, httpBinding } from './purpose.js';

/**
 * Deliberation 24/012: ONEM → MyCareer. The citizen sees their own remaining
 * career-break / time-credit rights; SIGEDIS neither stores nor interprets them (§9, §16, §18).
 */
export const careerBreakLookup = definePurpose({
  id: 'CAREER_BREAK_POSSIBILITIES',
  deliberation: '24/012',
  description: 'Show a logged-in citizen, on MyCareer, the career-break, time-credit and thematic-leave rights they have left.',
  sources: {
    // Pre-filter (§8, §15): age and sector of the career, nothing else.
    career: ['niss', 'birthDate', 'periods[].sector', 'periods[].from', 'periods[].to'],
    // §2, §14: NISS, employer's enterprise number, counter per reason and regime.
    onem: ['niss', 'employerEnterpriseNumber', 'counters[].reason', 'counters[].regime', 'counters[].remainingMonths', 'closures[].reason', 'closures[].code'],
  },
  retention: { kind: 'none', source: 'deliberation 24/012 §9, §16, §18: shown during the MyCareer session only, never stored' },
});

const months = z.number().check(z.gte(0));
/** The possibilities as the function builds them (shared/domain/career-break/present.ts). */
export const possibilitiesAnswer = z.object({
  // Each array holds each of its codes at most once.
  preconditions: z.object({ met: z.boolean(), failed: z.array(z.enum(PRECONDITIONS)).check(z.maxLength(PRECONDITIONS.length)) }),
  employer: z.nullable(z.object({ enterpriseNumber: enterpriseNumberField })),
  reasons: z
    .array(
      z.object({
        reason: z.enum(REASONS),
        label: textField,
        available: z.boolean(),
        remainingMonths: z.object(
          Object.fromEntries(REGIMES.map((r) => [r, z.optional(months)])) as Record<(typeof REGIMES)[number], z.ZodMiniOptional<typeof months>>,
        ),
        closedBecause: z.array(z.object({ code: z.enum(CLOSURES), label: textField })).check(z.maxLength(CLOSURES.length)),
      }),
    )
    .check(z.maxLength(REASONS.length)),
}) satisfies z.ZodMiniType<PossibilitiesView>;

/** What a citizen may see of the possibilities (24/012 §2, §14: counters per reason and regime; the NISS is never echoed). */
const POSSIBILITY_FIELDS = [
  'preconditions.met',
  'preconditions.failed',
  'employer.enterpriseNumber',
  'reasons[].reason',
  'reasons[].label',
  'reasons[].available',
  'reasons[].remainingMonths.FULL_TIME',
  'reasons[].remainingMonths.HALF_TIME',
  'reasons[].remainingMonths.ONE_FIFTH',
  'reasons[].remainingMonths.ONE_TENTH',
  'reasons[].closedBecause[].code',
  'reasons[].closedBecause[].label',
] as const;

export const careerBreakPossibilities = httpBinding({
  purpose: careerBreakLookup,
  route: { method: 'GET', path: '/v1/career-break/possibilities', successStatus: 200 },
  summary: 'The citizen’s remaining career-break and time-credit months, per reason and regime',
  actors: [{ role: 'citizen', binding: 'own-niss' }],
  // No query parameter at all: the subject comes from the token, never from the request.
  input: { query: z.strictObject({}) },
  subject: {},
  // English first: the default when the caller asks for none of the four.
  languages: ['en', ...LANGUAGES.filter((l) => l !== 'en')],
  answer: possibilitiesAnswer,
  problems: ['UNKNOWN_TO_ONEM'],
  output: { citizen: POSSIBILITY_FIELDS },
});

/**
 * Deliberation 24/012, the same exchange: what a break the citizen plans would leave of the
 * rights ONEM counts. The same sources and fields as the possibilities, one ONEM call, nothing
 * stored. A purpose of its own, so the audit trail (and the citizen's access log) tells a
 * simulation from a lookup. 24/012 §9 says SIGEDIS does not interpret ONEM's counters: the
 * simulation applies the published rules to them at the citizen's request, shows its result
 * as a simulation beside ONEM's own figures, and keeps nothing (docs/career-break.md, What-if).
 */
export const careerBreakPlanning = definePurpose({
  id: 'CAREER_BREAK_WHAT_IF',
  deliberation: '24/012',
  description:
    'Show a logged-in citizen, on MyCareer, what a planned career break, time credit or thematic leave would leave of their rights, from ONEM’s counters and the published rules.',
  sources: careerBreakLookup.sources,
  retention: { kind: 'none', source: 'deliberation 24/012 §9, §16, §18: shown during the MyCareer session only, never stored' },
});

const planBody = z.strictObject({
  reason: z.enum(REASONS, { error: `expected one of ${REASONS.join(', ')}` }),
  regime: z.enum(REGIMES, { error: `expected one of ${REGIMES.join(', ')}` }),
  // One plan of at most 10 years: longer than any one period a request may ask, and than any one right but the sum of parental leave over several children.
  months: z
    .int({ error: 'expected a whole number of months' })
    .check(z.gte(1, { error: 'expected at least 1 month' }), z.lte(120, { error: 'expected at most 120 months' })),
  from: isoDateField.check(
    z.refine((d) => d >= '1900-01-01' && d < '2100-01-01', { error: 'expected a date from 1900 to 2099' }),
    z.meta({ description: 'The first day of the plan (a date from 1900 to 2099); a plan starting before today does not fit.' }),
  ),
});

const labelled = <C extends readonly [string, ...string[]]>(codes: C) =>
  z.array(z.object({ code: z.enum(codes), label: textField })).check(z.maxLength(codes.length));

/** The possibilities after the plan, and the plan itself (shared/domain/career-break/what-if.ts). */
export const whatIfAnswer = z.extend(possibilitiesAnswer, {
  plan: z.object({
    reason: z.enum(REASONS),
    regime: z.enum(REGIMES),
    months: z.number(),
    from: isoDateField,
    until: isoDateField,
    fits: z.boolean(),
    refusedBecause: labelled(PLAN_REFUSALS),
    caveats: labelled(PLAN_CAVEATS),
  }),
}) satisfies z.ZodMiniType<WhatIfView>;

export const careerBreakWhatIf = httpBinding({
  purpose: careerBreakPlanning,
  route: { method: 'POST', path: '/v1/career-break/what-if', successStatus: 200 },
  summary: 'Simulate a planned break on the citizen’s remaining months',
  actors: [{ role: 'citizen', binding: 'own-niss' }],
  // The plan only: the subject is the token's NISS, never one from the request.
  input: { body: planBody },
  subject: {},
  languages: careerBreakPossibilities.languages,
  answer: whatIfAnswer,
  problems: ['UNKNOWN_TO_ONEM'],
  output: {
    citizen: [
      ...POSSIBILITY_FIELDS,
      ...['reason', 'regime', 'months', 'from', 'until', 'fits', 'refusedBecause[].code', 'refusedBecause[].label', 'caveats[].code', 'caveats[].label'].map(
        (f) => `plan.${f}`,
      ),
    ],
  },
});
