import * as z from 'zod/mini';
import '../schemas/locale.js';
import { decimalField, enterpriseNumberField, isoDateField, monthField, nissField, TEXT_MAX_LENGTH, textField } from '../schemas/fields.js';
import { CHECK_NAMES, FINDING_OUTCOMES, type PremiumResult } from '../domain/premium-check/evaluate.js';
import { ACS_EMPLOYER_SHARE_BASIS_POINTS, PTP_MONTHLY_PREMIUM } from '../domain/premium-check/parameters.js';
import type { RuleTable } from '../domain/effective-dated.js';
import type { Language } from '../domain/i18n/language.js';

/** The first whole month a rule table covers: a month before it cannot be checked (no figure in force). */
const firstMonth = (table: RuleTable<unknown>): string => {
  const from = table[0]!.from;
  return from.endsWith('-01') ? from.slice(0, 7) : `${from.slice(0, 4)}-${String(Number(from.slice(5, 7)) + 1).padStart(2, '0')}`;
};
import { definePurpose, httpBinding } from './purpose.js';

/**
 * Deliberation 05/012: DMFA consulted by ORBEM (today Actiris) to check the ACS and PTP
 * premiums it pays. DMFA only for persons Actiris registered with quality code 001 (§5.2).
 */
const days = () =>
  z
    .int({ error: 'expected a whole number of days' })
    .check(z.gte(0, { error: 'expected 0 days or more' }), z.lte(31, { error: 'expected at most 31 days (a month)' }));
const declaredFigures = {
  daysWorked: days(),
  assimilatedDays: days(),
  grossSalary: decimalField('the gross salary'),
  regularStaffFte: decimalField('the regular staff FTE', 2),
};
const requestFields = {
  employerEnterpriseNumber: enterpriseNumberField,
  workerNiss: nissField,
  hiringDate: isoDateField,
  month: monthField,
};

/**
 * One meaning per premium field (docs/premium-check.md PC-7): an ACS request gives the monthly
 * premium of its grant decision (`grantedMonthlyPremium`, prorated by the check); a PTP request
 * gives the amount claimed for the month (`amountClaimed`, compared with the regional premium
 * prorated). The other scheme's field is refused.
 */
const premiumCheckBody = z.discriminatedUnion(
  'scheme',
  [
    z.strictObject({
      scheme: z.literal('ACS'),
      ...requestFields,
      month: monthField.check(
        z.refine((m) => m >= firstMonth(ACS_EMPLOYER_SHARE_BASIS_POINTS), {
          error: `ACS premiums are checked from ${firstMonth(ACS_EMPLOYER_SHARE_BASIS_POINTS)} (the ACS decree)`,
        }),
      ),
      declared: z.strictObject({
        ...declaredFigures,
        grantedMonthlyPremium: decimalField('the monthly premium of the grant'),
        // The exemption is from the ACS employer share; PTP has none (PC-4).
        exemptionClaimed: z.boolean({ error: 'expected true or false' }),
      }),
    }),
    z.strictObject({
      scheme: z.literal('PTP'),
      ...requestFields,
      month: monthField.check(
        z.refine((m) => m >= firstMonth(PTP_MONTHLY_PREMIUM), {
          error: `PTP premiums are checked from ${firstMonth(PTP_MONTHLY_PREMIUM)} (the regional premium)`,
        }),
      ),
      declared: z.strictObject({ ...declaredFigures, amountClaimed: decimalField('the amount claimed for the month') }),
    }),
  ],
  { error: 'expected scheme "ACS" or "PTP"' },
);
export type PremiumCheckBody = z.infer<typeof premiumCheckBody>;

export const premiumVerification = definePurpose({
  id: 'ACS_PTP_PREMIUM_CHECK',
  deliberation: '05/012',
  description: 'Check an ACS or PTP premium Actiris pays an employer against the employer’s DMFA declarations.',
  sources: {
    referenceDirectory: ['niss', 'registeredBy', 'qualityCode'],
    // 05/012 §1.2 grants the worker's occupation and remuneration blocks; the check reads
    // the occupation of the month and employer-level aggregates (no other worker's data).
    dmfa: [
      'items[].occupations[].daysPerWeek',
      'items[].occupations[].monthly[].month',
      'items[].occupations[].monthly[].daysWorked',
      'items[].occupations[].monthly[].assimilatedDays',
      'items[].occupations[].monthly[].grossSalary',
      'items[].occupations[].monthly[].salaryCost',
      'items[].occupations[].monthly[].otherPremiums',
      'items[].quarter',
      'items[].regularFte',
      'items[].exemption',
    ],
  },
  retention: {
    kind: 'period',
    years: 10,
    env: 'PREMIUM_CHECK_RETENTION_YEARS',
    from: 'the check',
    source: 'not set by deliberation 05/012 (D3); decided: 10 years, aligned with subsidy audits (docs/premium-check.md PC-3)',
  },
});

const amount = z.nullable(z.string().check(z.maxLength(16), z.regex(/^-?\d{1,12}\.\d{2}$/)));
// A figure as found or declared: a number, an amount, a month, or a list of DMFA codes (no control character).
const finding = z.optional(z.union([z.string().check(z.maxLength(TEXT_MAX_LENGTH), z.regex(/^\P{Cc}*$/u)), z.number(), z.boolean()]));
/** A finding per check, and DECLARATION_MATCH one per declared figure that differs (4): 20 leaves room. */
const MAX_FINDINGS = 20;

/** The check as the function answers it (shared/domain/premium-check/evaluate.ts `PremiumResult`, with its id), in the negotiated language. */
const premiumCheckAnswer = z.object({
  checkId: z.uuid().check(z.length(36)),
  outcome: z.enum(['CONFORM', 'NON_CONFORM', 'INCOMPLETE']),
  premium: z.object({ due: amount, employerShare: amount, paidByRegion: amount }),
  findings: z
    .array(
      z.object({
        check: z.enum(CHECK_NAMES),
        outcome: z.enum(FINDING_OUTCOMES),
        // The rule the check applies, the check in words and the sentence, in the negotiated language.
        paragraph: textField,
        title: textField,
        detail: textField,
        declared: finding,
        found: finding,
      }),
    )
    .check(z.maxLength(MAX_FINDINGS)),
}) satisfies z.ZodMiniType<PremiumResult & { checkId: string }>;

/** The languages the findings are written in (shared/domain/premium-check/checks): fr first, the default. */
export const PREMIUM_CHECK_LANGUAGES = ['fr', 'nl', 'en'] as const satisfies readonly Language[];

export const checkPremium = httpBinding({
  purpose: premiumVerification,
  route: { method: 'POST', path: '/v1/premium-checks', successStatus: 200 },
  summary: 'Check an ACS or PTP premium against DMFA',
  actors: [{ role: 'actiris', binding: 'reference-directory', registeredBy: 'ACTIRIS', qualityCodes: ['001'] }],
  input: { body: premiumCheckBody },
  subject: { niss: (i) => i.body.workerNiss },
  // Actiris works in French and Dutch: French first, the default when the caller asks for none of these.
  languages: PREMIUM_CHECK_LANGUAGES,
  answer: premiumCheckAnswer,
  output: {
    actiris: ['checkId', 'outcome', 'premium.due', 'premium.employerShare', 'premium.paidByRegion', 'findings'],
  },
});
