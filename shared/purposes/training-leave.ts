import * as z from 'zod/mini';
import '../schemas/locale.js';
import { DWSE_TEAMS } from '../auth/principal.js';
import { SCHOOL_YEAR_PARAMETERS } from '../domain/training-leave/rules.js';
import {
  cursorField,
  enterpriseNumberField,
  euroField,
  halfHoursField,
  instantField,
  isHalfHours,
  isoDateField,
  monthField,
  NAME_MAX_LENGTH,
  nameField,
  nissField,
  schoolYearField,
  textField,
} from '../schemas/fields.js';
import { isValidNiss } from '../domain/identifiers.js';
import { REASON_CODES } from '../domain/training-leave/evaluate.js';
import { CLAIM_STATUSES, type Claim, type ClaimInput, type SealedClaim } from '../domain/training-leave/ports.js';
import type { AnsweredDecision } from '../domain/training-leave/render.js';
import { WAITING_CODES, type WaitAnswer } from '../domain/training-leave/waiting.js';
import { definePurpose, httpBinding, queueBinding, type Retention } from './purpose.js';

/**
 * Deliberation 19/038: DMFA, DIMONA and BCSS registers → Flemish department WSE, for
 * the reimbursement of Flemish training leave (Vlaams opleidingsverlof) to employers.
 */
const TEN_YEARS: Retention = {
  kind: 'period',
  years: 10,
  from: 'the decision on the claim (until then, the submission)',
  source: 'deliberation 19/038 §5, §28: at most 10 years, to justify payments to the Court of Audit (AR 25 Nov 1952)',
};

/** No claim can be approved above the largest yearly maximum of any school year (B3: 125 h). */
const MAX_CLAIMABLE_HOURS = Math.max(...SCHOOL_YEAR_PARAMETERS.map((row) => row.value.hoursPerYear));

const trainingIdField = z.string().check(
  z.maxLength(40, { error: 'expected a training-database id of at most 40 characters' }),
  z.regex(/^[A-Za-z0-9-]{1,40}$/, { error: 'expected a training-database id such as "ODB-12345"' }),
  // Stored in clear and shown to the employer: a NISS put in its place would rest in clear.
  z.refine((id) => ![...id.matchAll(/\d{11}/g)].some((m) => isValidNiss(m[0])), { error: 'a training id cannot hold a national register number' }),
);

/** A claimed month's hours: at most the 12 months of a school year. */
const MONTHS_PER_SCHOOL_YEAR = 12;

const claimBody = z
  .strictObject({
    employerEnterpriseNumber: enterpriseNumberField,
    workerNiss: nissField,
    schoolYear: schoolYearField,
    training: z.strictObject({
      id: trainingIdField,
      startDate: isoDateField,
      endDate: isoDateField,
    }),
    hoursByMonth: z.record(monthField, halfHoursField(MAX_CLAIMABLE_HOURS)).check(
      z.refine((hours) => Object.keys(hours).length > 0, { error: 'expected at least one month of hours' }),
      z.refine((hours) => Object.keys(hours).length <= MONTHS_PER_SCHOOL_YEAR, { error: 'a school year has 12 months' }),
      z.meta({ maxProperties: MONTHS_PER_SCHOOL_YEAR }),
    ),
  })
  .check(
    z.superRefine((claim, ctx) => {
      // Only well-formed parts are cross-checked; their own errors are already reported.
      const { schoolYear, training, hoursByMonth } = claim;
      if (training.endDate < training.startDate) {
        ctx.addIssue({ code: 'custom', path: ['training', 'endDate'], message: 'the training cannot end before it starts' });
      }
      const hours = Object.values(hoursByMonth);
      const total = hours.reduce((sum, h) => sum + h, 0);
      if (hours.every((h) => typeof h === 'number' && isHalfHours(h, MAX_CLAIMABLE_HOURS)) && total > MAX_CLAIMABLE_HOURS) {
        ctx.addIssue({
          code: 'custom',
          path: ['hoursByMonth'],
          message: `expected at most ${MAX_CLAIMABLE_HOURS} hours in all (the yearly maximum), got ${total}`,
        });
      }
      const first = `${schoolYear.slice(0, 4)}-09`;
      const last = `${schoolYear.slice(5)}-08`;
      for (const month of Object.keys(hoursByMonth)) {
        if (month < first || month > last) {
          ctx.addIssue({ code: 'custom', path: ['hoursByMonth', month], message: `month outside school year ${schoolYear} (${first} to ${last})` });
        } else if (month < training.startDate.slice(0, 7) || month > training.endDate.slice(0, 7)) {
          ctx.addIssue({ code: 'custom', path: ['hoursByMonth', month], message: `month outside the training (${training.startDate} to ${training.endDate})` });
        }
      }
    }),
  ) satisfies z.ZodMiniType<ClaimInput>;
export type ClaimBody = z.infer<typeof claimBody>;

/** The headers the submission reads: an optional Idempotency-Key (RFC draft: a visible ASCII token). */
const submissionHeaders = z.object({
  'idempotency-key': z.optional(
    z
      .string()
      .check(
        z.maxLength(128, { error: 'expected 1 to 128 visible ASCII characters' }),
        z.regex(/^[\x21-\x7e]{1,128}$/, { error: 'expected 1 to 128 visible ASCII characters' }),
      ),
  ),
});

// ---- answers (what the functions build; each role sees its `output` fields of them) ----

const instant = instantField;
const euro = euroField;
const claimIdField = z.uuid({ error: 'expected a claim id (UUID)' }).check(z.length(36, { error: 'expected a claim id (UUID)' }));
/** A month's hours in an answer, keyed by month. */
const hoursByMonthAnswer = z.record(monthField, z.number().check(z.gte(0))).check(z.meta({ maxProperties: MONTHS_PER_SCHOOL_YEAR }));
/**
 * Answer bounds: a decision gives at most one reason per rule step, one ledger
 * posting per bound (a school year, a training, at most 5 quarters of a school year), and a
 * claim is corrected at most once, when its provisional decision is settled (10 leaves room).
 */
const MAX_REASONS = 50;
const MAX_LEDGER_POSTINGS = 20;
const MAX_CORRECTIONS = 10;
const hoursField = z.number().check(z.gte(0));
const outcomeField = z.enum(['APPROVED', 'PARTIALLY_APPROVED', 'REJECTED']);

/**
 * The languages of every training-leave answer (Accept-Language), Dutch first: the Flemish
 * employers and the Departement WSE read Dutch.
 */
const TRAINING_LEAVE_LANGUAGES = ['nl', 'fr', 'en'] as const;

/**
 * A stored decision (shared/domain/training-leave/evaluate.ts `Decision`, less the claimed
 * hours, plus when), its reasons written for the reader (shared/domain/training-leave/render.ts).
 */
const decisionAnswer = z.object({
  outcome: outcomeField,
  final: z.boolean(),
  approvedHours: hoursField,
  approvedHoursByMonth: hoursByMonthAnswer,
  amount: euro,
  decidedAt: instant,
  reasons: z
    .array(
      z.object({
        rule: z.string().check(z.maxLength(NAME_MAX_LENGTH), z.regex(/^[A-Z0-9_]+$/)),
        outcome: z.enum(['PASSED', 'FAILED', 'LIMITED']),
        code: z.optional(z.enum(REASON_CODES)),
        paragraph: textField.check(
          z.regex(/^[0-9A-Za-z §·.,;:/()-]+$/),
          z.meta({ description: 'The paragraph of deliberation 19/038 (and the rule ids of docs/training-leave.md) the rule rests on' }),
        ),
        title: textField.check(
          z.meta({ description: 'The rule, or the reason code when the check failed or cut hours, in words, in the language of the answer' }),
        ),
        detail: textField.check(z.meta({ description: 'Why, in the language of the answer' })),
      }),
    )
    .check(z.maxLength(MAX_REASONS)),
  ledger: z
    .array(
      z.object({
        bound: z.enum(['SCHOOL_YEAR', 'TRAINING', 'QUARTER']),
        scope: nameField,
        limitHours: hoursField,
        alreadyApprovedHours: hoursField,
        hours: hoursField,
      }),
    )
    .check(z.maxLength(MAX_LEDGER_POSTINGS)),
  figures: z.object({
    hourlyForfait: z.optional(euro),
    referenceMonth: z.optional(monthField),
    occupationFraction: z.optional(z.number()),
    personalMaximumHours: z.optional(z.number()),
    rulesConfidence: z.optional(textField),
  }),
});

/**
 * Why a RECEIVED claim is not decided yet (shared/domain/training-leave/waiting.ts
 * `presentWait`): the code, its title and sentence in the negotiated language, the school
 * year, since when and the next attempt. Absent when the claim is not waiting for anything
 * but its turn.
 */
const waitingForAnswer = z.object({
  code: z.enum(WAITING_CODES),
  // Texts in the reader's language (accents, apostrophes): not a name's restricted characters.
  title: textField,
  detail: textField,
  schoolYear: schoolYearField,
  since: instant,
  nextAttemptAt: instant,
}) satisfies z.ZodMiniType<WaitAnswer>;

/** A claim as kept (less its request hash, which never leaves), its decision as answered; what it waits for as its readers are shown it. */
const claimAnswer = z.object({
  claimId: claimIdField,
  status: z.enum(CLAIM_STATUSES),
  employerEnterpriseNumber: enterpriseNumberField,
  workerNiss: nissField,
  schoolYear: schoolYearField,
  training: z.object({ id: trainingIdField, startDate: isoDateField, endDate: isoDateField }),
  hoursByMonth: hoursByMonthAnswer,
  submittedAt: instant,
  decision: z.optional(decisionAnswer),
  withdrawnAt: z.optional(instant),
  corrections: z.optional(
    z
      .array(
        z.object({
          at: instant,
          reason: textField,
          previous: z.object({ outcome: outcomeField, approvedHours: hoursField, amount: euro, decidedAt: instant }),
        }),
      )
      .check(z.maxLength(MAX_CORRECTIONS)),
  ),
  waitingFor: z.optional(waitingForAnswer),
}) satisfies z.ZodMiniType<Omit<Claim, 'requestHash' | 'decision' | 'waitingFor'> & { decision?: AnsweredDecision; waitingFor?: WaitAnswer }>;

/** The most claims a page holds, and the longest cursor the list writes (and so accepts back). */
const CLAIM_PAGE_MAX = 100;
const CLAIM_CURSOR_MAX = 1_000;

/** A page of a list: `next` is null on the last page. */
export const pageAnswer = <T extends z.ZodMiniType>(item: T) =>
  z.object({ items: z.array(item).check(z.maxLength(CLAIM_PAGE_MAX)), next: z.nullable(cursorField(CLAIM_CURSOR_MAX)) });

/** The three teams of §6; no third party. */
const DWSE = { role: 'dwse', binding: 'team', teams: DWSE_TEAMS } as const;

// §8, §15, §21, narrowed to what the evaluation uses.
const SOURCE_FIELDS = {
  bcssRegisters: ['niss', 'birthDate', 'deathDate'],
  dimona: ['items[].employerEnterpriseNumber', 'items[].from', 'items[].to'],
  dmfa: [
    'items[].quarter',
    'items[].employerEnterpriseNumber',
    'items[].sector',
    'items[].localUnitRegion',
    'items[].occupations[].from',
    'items[].occupations[].to',
    'items[].occupations[].q',
    'items[].occupations[].s',
    'items[].occupations[].daysPerWeek',
    'items[].occupations[].workingTimeCode5Hours',
  ],
  trainingDatabase: ['id', 'recognisedFrom', 'recognisedTo', 'contactHours', 'attendanceFinal', 'items[].niss', 'items[].hoursAttended'],
} as const;

/** 19/038: one purpose, served by three functions (submission, reading, evaluation). */
export const trainingLeaveReimbursement = definePurpose({
  id: 'TRAINING_LEAVE_REIMBURSEMENT',
  deliberation: '19/038',
  description:
    'Reimburse employers for the Flemish training leave of their workers: receive claims, evaluate them against DMFA, DIMONA, the BCSS registers and the training database, and keep the decisions.',
  sources: SOURCE_FIELDS,
  retention: TEN_YEARS,
});

export const submitTrainingLeaveClaim = httpBinding({
  purpose: trainingLeaveReimbursement,
  route: { method: 'POST', path: '/v1/training-leave/claims', successStatus: 202 },
  summary: 'Submit a reimbursement claim (queued for evaluation)',
  languages: TRAINING_LEAVE_LANGUAGES,
  actors: [{ role: 'employer', binding: 'own-enterprise' }],
  input: { body: claimBody, headers: submissionHeaders },
  subject: { niss: (i) => i.body.workerNiss, enterpriseNumber: (i) => i.body.employerEnterpriseNumber },
  answer: z.object({ claimId: claimIdField, status: z.enum(CLAIM_STATUSES) }),
  problems: ['IDEMPOTENCY_KEY_REUSED', 'CLAIM_WITHDRAWN', 'ENCRYPTION_UNAVAILABLE'],
  output: { employer: ['claimId', 'status'] },
});

const readInput = { path: z.strictObject({ claimId: claimIdField }) };

export const readTrainingLeaveClaim = httpBinding<typeof readInput, SealedClaim>({
  purpose: trainingLeaveReimbursement,
  route: { method: 'GET', path: '/v1/training-leave/claims/{claimId}', successStatus: 200 },
  summary: 'Read a claim, its status and decision',
  languages: TRAINING_LEAVE_LANGUAGES,
  actors: [DWSE, { role: 'employer', binding: 'own-enterprise' }],
  input: readInput,
  subject: {},
  // The claim keeps its worker's NISS sealed: the audit record names the worker by the stored hash.
  resource: { owner: (claim) => ({ enterpriseNumber: claim.employerEnterpriseNumber, subjectHash: claim.workerSubject }) },
  answer: claimAnswer,
  // Opening the worker's sealed NISS (for a role whose answer includes it) needs the key service.
  problems: ['ENCRYPTION_UNAVAILABLE'],
  output: {
    dwse: [
      'claimId',
      'status',
      'employerEnterpriseNumber',
      'workerNiss',
      'schoolYear',
      'training',
      'hoursByMonth',
      'submittedAt',
      'decision',
      'corrections',
      'withdrawnAt',
      'waitingFor',
    ],
    // The employer, the addressee of the decision (law of 29 July 1991 on formal motivation), sees
    // status, decision (provisional or final), approved hours, amount, the reasons written for it
    // (never the worker's other occupations or employers, nor a NISS; render.ts) and what a
    // settlement changed; not the worker's NISS, the ledger or the figures (the occupation fraction).
    // It sees why a received claim waits, as DWSE does.
    employer: [
      'claimId',
      'status',
      'decision.outcome',
      'decision.final',
      'decision.approvedHours',
      'decision.amount',
      'decision.decidedAt',
      'decision.reasons',
      'corrections',
      'withdrawnAt',
      'waitingFor',
    ],
  },
});

const listInput = {
  query: z.strictObject({
    employerEnterpriseNumber: z.optional(enterpriseNumberField),
    status: z.optional(z.enum(CLAIM_STATUSES)),
    schoolYear: z.optional(schoolYearField),
    limit: z._default(z.coerce.number().check(z.int({ error: 'expected a whole number' }), z.gte(1), z.lte(CLAIM_PAGE_MAX)), 20),
    cursor: z.optional(cursorField(CLAIM_CURSOR_MAX)),
  }),
};

/**
 * GET /v1/training-leave/claims: a page of claims, newest first. An employer sees its own
 * (the enterprise of its token; naming another is refused); the three DWSE teams see all,
 * filterable. Each item carries what the caller may see of a claim, as when reading it.
 */
export const listTrainingLeaveClaims = httpBinding({
  purpose: trainingLeaveReimbursement,
  route: { method: 'GET', path: '/v1/training-leave/claims', successStatus: 200 },
  summary: 'List claims, newest first',
  languages: TRAINING_LEAVE_LANGUAGES,
  actors: [DWSE, { role: 'employer', binding: 'own-enterprise' }],
  input: listInput,
  subject: { enterpriseNumber: (i) => i.query.employerEnterpriseNumber },
  // One claim whose sealed NISS does not open (logged) is listed without it, not a page refused.
  answer: pageAnswer(z.extend(claimAnswer, { workerNiss: z.optional(nissField) })),
  problems: ['ENCRYPTION_UNAVAILABLE'],
  output: {
    dwse: [
      ...['claimId', 'status', 'employerEnterpriseNumber', 'workerNiss', 'schoolYear', 'training', 'submittedAt'].map((f) => `items[].${f}`),
      ...['outcome', 'final', 'approvedHours', 'amount', 'decidedAt'].map((f) => `items[].decision.${f}`),
      'items[].waitingFor',
      'next',
    ],
    // The employer's list shows its decisions, so their reasons too, written for it (as when reading one).
    employer: [
      ...['claimId', 'status', 'schoolYear', 'training.id', 'submittedAt'].map((f) => `items[].${f}`),
      ...['outcome', 'final', 'approvedHours', 'amount', 'decidedAt', 'reasons'].map((f) => `items[].decision.${f}`),
      'items[].waitingFor',
      'next',
    ],
  },
});

/**
 * POST /v1/training-leave/claims/{claimId}/withdrawal: the claiming employer takes back a
 * claim that is not decided yet. The claim stays (WITHDRAWN) as long as retention says; the
 * consumer leaves it alone. Another employer's claim is not revealed (404).
 */
export const withdrawTrainingLeaveClaim = httpBinding<typeof readInput, SealedClaim>({
  purpose: trainingLeaveReimbursement,
  route: { method: 'POST', path: '/v1/training-leave/claims/{claimId}/withdrawal', successStatus: 200 },
  summary: 'Withdraw a claim not finally decided',
  languages: TRAINING_LEAVE_LANGUAGES,
  actors: [{ role: 'employer', binding: 'own-enterprise' }],
  input: readInput,
  subject: {},
  // The claim keeps its worker's NISS sealed: the audit record names the worker by the stored hash.
  resource: { owner: (claim) => ({ enterpriseNumber: claim.employerEnterpriseNumber, subjectHash: claim.workerSubject }) },
  answer: z.object({ claimId: claimIdField, status: z.enum(CLAIM_STATUSES), withdrawnAt: z.optional(instant) }),
  problems: ['CLAIM_ALREADY_DECIDED', 'CLAIM_BUSY', 'ENCRYPTION_UNAVAILABLE'],
  output: { employer: ['claimId', 'status', 'withdrawnAt'] },
});

/** The claim queue carries only a claim id: no personal data travels on it. */
export const claimMessage = z.strictObject({ claimId: claimIdField });

export const evaluateTrainingLeaveClaim = queueBinding({
  purpose: trainingLeaveReimbursement,
  queue: 'ClaimQueue',
  message: claimMessage,
  // §6: the Competenties case handlers process the claims; the consumer reads for them.
  actor: { role: 'system', organisation: 'DWSE:competenties' },
});
