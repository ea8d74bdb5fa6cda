import { amountForHours, formatCents, fromHundredths, toCents, toHundredths } from '../amounts.js';
import { quarterOf } from '../calendar.js';
import type { ReasonParams } from './reason-texts.js';
import { Evaluation, RULE_STEPS, regimeStart, runStep, schoolYearParameters } from './steps.js';

export { beforeRegime, occupationIn, provisionalUntil, RULE_STEPS, type RuleId, referenceMonthOf, schoolYearParameters } from './steps.js';

/**
 * Evaluation of one Flemish training-leave claim (deliberation 19/038), pure: the facts
 * come from the sources through the adapters, the figures from ./rules.ts. The rules are
 * steps (./steps.ts), run in order; each adds a reason, and the first blocking failure ends
 * the evaluation. Hours are handled in integer hundredths and euros in integer cents.
 */

export const REASON_CODES = [
  'BEFORE_REGIME_START',
  'CLAIM_TOO_LATE',
  'TRAINING_NOT_RECOGNISED',
  'NOT_ATTENDED',
  'WORKER_UNKNOWN',
  'WORKER_DECEASED',
  'NO_EMPLOYMENT_WITH_EMPLOYER',
  'NOT_PRIVATE_SECTOR',
  'WORKPLACE_NOT_IN_FLANDERS',
  'OCCUPATION_BELOW_MINIMUM',
  'HOURS_NOT_DECLARED_IN_DMFA',
  'MAXIMUM_HOURS_EXCEEDED',
  // Bounds held across claims by the ledger: hours already reimbursed by earlier decisions.
  'TRAINING_HOURS_ALREADY_REIMBURSED',
  'QUARTER_HOURS_ALREADY_REIMBURSED',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/**
 * A reason as the decision stores it. Its text is written when it is read, in the reader's
 * language, from its rule step's sentence and `params` (./render.ts).
 */
export interface DecisionReason {
  /** The check (a rule step's id, ./steps.ts). */
  rule: string;
  /** PASSED; FAILED (blocks the claim); LIMITED (cuts hours). */
  outcome: 'PASSED' | 'FAILED' | 'LIMITED';
  /** The reason code when the check failed or cut hours. */
  code?: ReasonCode;
  /** Which sentence of the rule step explains it; absent in decisions stored before reasons had parameters. */
  sentence?: string;
  /** The figures the sentence needs (hours, dates, months, quarters; never a NISS or another employer). */
  params?: ReasonParams;
  /** The English record, with ISO figures, as written at the decision: what older decisions have only. */
  detail: string;
}

export interface ClaimFacts {
  claim: {
    employerEnterpriseNumber: string;
    workerNiss: string;
    schoolYear: string;
    training: { id: string; startDate: string; endDate: string };
    hoursByMonth: Record<string, number>;
    /** Day the claim was filed (ISO date). */
    filedOn: string;
  };
  /** BCSS registers; undefined when the worker is not known there. */
  person: { deathDate?: string } | undefined;
  /** DIMONA employments of the worker. */
  employments: { employerEnterpriseNumber: string; from: string; to?: string }[];
  /** DMFA worker lines of the worker, with every employer. */
  workerLines: {
    quarter: string;
    employerEnterpriseNumber: string;
    sector: string;
    localUnitRegion: string;
    occupations: { from: string; to?: string; q: number; s: number; workingTimeCode5Hours?: number }[];
  }[];
  /**
   * Training database; undefined when the training is not registered. `attendanceFinal`: the
   * provider has reported the attendance of the whole training (it may do so before the
   * training's planned end).
   */
  training:
    | { recognisedFrom: string; recognisedTo?: string; contactHours?: number; attendanceFinal?: boolean; attendance: { niss: string; hoursAttended: number }[] }
    | undefined;
  /** The day of the evaluation (ISO date, Belgian time): whether the training has ended is judged on it. */
  today?: string;
  /**
   * Hours already approved by earlier decisions (the ledger), per bound: this worker in this
   * school year, this worker in this training, and this worker with the claiming employer
   * per quarter (quarters absent from the record count as 0).
   */
  alreadyApproved: AlreadyApproved;
}

export interface AlreadyApproved {
  schoolYear: number;
  training: number;
  quarters: Record<string, number>;
  /**
   * The personal maximum the first decision of the school year that approved hours set
   * (hours); one school year has one maximum, whatever training a later claim is for.
   */
  schoolYearLimit?: number;
}

export const NOTHING_APPROVED: AlreadyApproved = { schoolYear: 0, training: 0, quarters: {} };

/** The three bounds that hold across claims (what the ledger keeps per worker). */
export type LedgerBound = 'SCHOOL_YEAR' | 'TRAINING' | 'QUARTER';

/**
 * What a decision adds to one bound of the ledger: `hours` on top of `alreadyApprovedHours`,
 * never above `limitHours`. The store records it only if the ledger still holds what the
 * evaluation read (`approved + hours <= limit`), in the same transaction as the decision.
 */
export interface LedgerPosting {
  bound: LedgerBound;
  /** The school year, the training id, or the quarter. */
  scope: string;
  limitHours: number;
  alreadyApprovedHours: number;
  hours: number;
}

export interface Decision {
  outcome: 'APPROVED' | 'PARTIALLY_APPROVED' | 'REJECTED';
  /**
   * false while the training runs: decided on what can be judged (eligibility, the hours
   * attended so far, the ledger), never rejected on the attendance share, and settled when
   * the training has ended; true otherwise.
   */
  final: boolean;
  claimedHours: number;
  approvedHours: number;
  /** The approved hours by month (months with none are left out). */
  approvedHoursByMonth: Record<string, number>;
  /** Euro, exact to the cent. */
  amount: string;
  reasons: DecisionReason[];
  /** What the decision takes from each bound held across claims; empty when nothing is approved. */
  ledger: LedgerPosting[];
  /** The figures the decision cites, and only those (what is kept of the sources). */
  figures: {
    hourlyForfait?: string;
    referenceMonth?: string;
    occupationFraction?: number;
    personalMaximumHours?: number;
    rulesConfidence?: string;
  };
}

// ---- evaluation --------------------------------------------------------------------------

export const evaluateClaim = (facts: ClaimFacts): Decision => {
  const ev = new Evaluation(facts);
  const claimed = ev.months.reduce((sum, m) => sum + m.hundredths, 0);

  const decide = (byMonth: Record<string, number> = {}, centsPerHour = 0, ledger: LedgerPosting[] = []): Decision => {
    const approved = Object.values(byMonth).reduce((sum, h) => sum + h, 0);
    return {
      outcome: approved === 0 ? 'REJECTED' : approved < claimed ? 'PARTIALLY_APPROVED' : 'APPROVED',
      final: !ev.provisional,
      claimedHours: fromHundredths(claimed),
      approvedHours: fromHundredths(approved),
      approvedHoursByMonth: Object.fromEntries(
        Object.entries(byMonth)
          .filter(([, h]) => h > 0)
          .map(([m, h]) => [m, fromHundredths(h)]),
      ),
      amount: formatCents(amountForHours(approved, centsPerHour)),
      reasons: ev.reasons,
      ledger: approved === 0 ? [] : ledger,
      figures: ev.figures,
    };
  };

  // 1. The regime starts on 1 September 2019.
  if (runStep(regimeStart, ev)) return decide();
  // The school year's figures; none published → throws, and the claim is not decided on a guess.
  const row = schoolYearParameters(ev.claim.schoolYear);
  ev.parameters = row.value;
  ev.figures.hourlyForfait = row.value.hourlyForfait;
  ev.cite(row);
  // 2.–15. Every other rule, in order; the first that fails decides.
  for (const step of RULE_STEPS.slice(1)) if (runStep(step, ev)) return decide();

  // Trim the allocation to what the bounds leave, keeping the earliest months.
  let cap = ev.cap;
  for (const [month, h] of ev.allocation) {
    const take = Math.min(h, cap);
    ev.allocation.set(month, take);
    cap -= take;
  }
  const approved = ev.allocated();
  // The ledger's figures in hundredths, as the bounds compared them.
  const exact = (hours: number) => fromHundredths(toHundredths(hours));
  const byQuarter = (quarter: string) =>
    fromHundredths(ev.months.filter((m) => quarterOf(m.month) === quarter).reduce((sum, m) => sum + (ev.allocation.get(m.month) ?? 0), 0));
  const ledger: LedgerPosting[] = [
    {
      bound: 'SCHOOL_YEAR',
      scope: ev.claim.schoolYear,
      limitHours: fromHundredths(ev.personalMaximum),
      alreadyApprovedHours: exact(facts.alreadyApproved.schoolYear),
      hours: fromHundredths(approved),
    },
    {
      bound: 'TRAINING',
      scope: ev.claim.training.id,
      limitHours: exact(ev.hoursAttended),
      alreadyApprovedHours: exact(facts.alreadyApproved.training),
      hours: fromHundredths(approved),
    },
    ...ev.quarterPostings.map((p) => ({ ...p, hours: byQuarter(p.scope) })).filter((p) => p.hours > 0),
  ];
  return decide(Object.fromEntries(ev.allocation), toCents(row.value.hourlyForfait), ledger);
};
