import { formatCents } from '../amounts.js';
import { monthStart, quarterOf } from '../calendar.js';
import type { Language } from '../i18n/language.js';
import { declarationMatch, noDeclaration } from './checks/declaration-match.js';
import { dmfaNotDueYet } from './checks/dmfa-due.js';
import { doubleSubsidy } from './checks/double-subsidy.js';
import { employerShare } from './checks/employer-share.js';
import { nonReplacement } from './checks/non-replacement.js';
import { monthlyPremium, noDaysToCount, proportionalDays } from './checks/proportional-days.js';
import { ptpCareerLimit } from './checks/ptp-career-limit.js';
import { salaryBasis } from './checks/salary-basis.js';
import { salaryCostCap } from './checks/salary-cost-cap.js';
import type { Finding, FindingView } from './findings.js';
import { presentFindings } from './present.js';

export { CHECK_NAMES, type CheckName, FINDING_OUTCOMES, type Finding, type FindingOutcome, type FindingView } from './findings.js';
export { workingDaysOf } from './checks/proportional-days.js';
export { dmfaDeadline, isDmfaDue } from './checks/dmfa-due.js';

/**
 * The ACS / PTP premium check of deliberation 05/012, pure. The facts come from DMFA
 * through the adapter (employer-level aggregates and the worker's own occupation only);
 * amounts are integer cents, FTE integer hundredths. Each check is a small named step in
 * checks/, with the paragraph it applies and its texts in nl, fr and en beside it; a step
 * writes findings as text keys and figures (what is stored), rendered in the reader's
 * language when answered (present.ts).
 */

/** What the employer declares for the month, whatever the scheme. */
export interface DeclaredFigures {
  daysWorked: number;
  assimilatedDays: number;
  grossSalary: string;
  regularStaffFte: string;
}

/**
 * The request, by scheme: the premium figure means one thing per field (docs/premium-check.md PC-7).
 * ACS: `grantedMonthlyPremium`, the monthly premium of the grant decision, before proration (the
 * check prorates it). PTP: `amountClaimed`, what the employer claims for the month (compared with
 * the flat regional premium prorated).
 */
export type PremiumRequest =
  | { scheme: 'ACS'; hiringDate: string; month: string; declared: DeclaredFigures & { grantedMonthlyPremium: string; exemptionClaimed: boolean } }
  | { scheme: 'PTP'; hiringDate: string; month: string; declared: DeclaredFigures & { amountClaimed: string } };

export interface PremiumFacts {
  request: PremiumRequest;
  /** The worker's occupation with the employer in the checked month (DMFA), if declared. */
  occupation:
    | {
        daysPerWeek: number;
        daysWorked: number;
        assimilatedDays: number;
        grossSalary: string;
        salaryCost: string;
        /** Codes of other reductions or premiums on the occupation for the month. */
        otherPremiums: string[];
      }
    | undefined;
  /** Employer-level figures per quarter: regular (non-subsidised) FTE, exemption on record. */
  aggregates: { quarter: string; regularFte: string; exemption?: boolean }[];
  /**
   * The Belgian calendar day of the check (shared/config/clock.ts `belgianDate`). A month whose
   * DMFA is not due on that day is not declared yet (DMFA_DUE, PC-8). Absent: the month's DMFA is
   * taken as due (the rules themselves, on past months).
   */
  today?: string;
}

/** What the checks find: the outcome, the amounts, the findings as text keys and figures (as stored). */
export interface PremiumEvaluation {
  outcome: 'CONFORM' | 'NON_CONFORM' | 'INCOMPLETE';
  premium: { due: string | null; employerShare: string | null; paidByRegion: string | null };
  findings: Finding[];
}

/** The same in a reader's language (as answered). */
export interface PremiumResult extends Omit<PremiumEvaluation, 'findings'> {
  findings: FindingView[];
}

/** What every step is given. */
export interface CheckContext extends Omit<PremiumFacts, 'today'> {
  firstDay: string;
  quarter: string;
  /** The employer's aggregate of the checked quarter, if DMFA has one. */
  current: PremiumFacts['aggregates'][number] | undefined;
}

/** What a step gives back: its findings, and whether a figure it needed was missing. */
export interface StepResult {
  findings: Finding[];
  incomplete?: boolean;
}

const NOTHING_DUE = { due: null, employerShare: null, paidByRegion: null };

export const evaluatePremium = ({ today, ...facts }: PremiumFacts): PremiumEvaluation => {
  const notDue = today === undefined ? undefined : dmfaNotDueYet(facts.request.month, today);
  // Not a failure of the employer: the declaration may still be filed or corrected (PC-8).
  if (notDue) return { outcome: 'INCOMPLETE', premium: NOTHING_DUE, findings: [notDue] };

  const quarter = quarterOf(facts.request.month);
  const context: CheckContext = { ...facts, firstDay: monthStart(facts.request.month), quarter, current: facts.aggregates.find((a) => a.quarter === quarter) };
  const steps: StepResult[] = [];
  const run = <R extends StepResult>(result: R): R => {
    steps.push(result);
    return result;
  };

  run(nonReplacement(context));
  run(ptpCareerLimit(context));
  run(salaryBasis(context));
  const { monthlyCents } = run(monthlyPremium(context));
  let dueCents: number | null = null;
  const { occupation } = context;
  if (!occupation) {
    run(noDeclaration(context));
    run(noDaysToCount(monthlyCents));
  } else {
    ({ dueCents } = run(proportionalDays(context, occupation, monthlyCents)));
    ({ dueCents } = run(salaryCostCap(context, occupation, dueCents)));
    run(doubleSubsidy(context, occupation));
    run(declarationMatch(context, occupation));
  }
  const { shareCents } = run(employerShare(context, dueCents));

  const findings = steps.flatMap((s) => s.findings);
  const failed = findings.some((f) => f.outcome === 'FAIL');
  const incomplete = steps.some((s) => s.incomplete);
  return {
    outcome: failed ? 'NON_CONFORM' : incomplete ? 'INCOMPLETE' : 'CONFORM',
    premium: {
      due: dueCents === null ? null : formatCents(dueCents),
      employerShare: shareCents === null ? null : formatCents(shareCents),
      // PTP: no share, the region pays the whole premium due.
      paidByRegion:
        dueCents === null ? null : facts.request.scheme === 'PTP' ? formatCents(dueCents) : shareCents === null ? null : formatCents(dueCents - shareCents),
    },
    findings,
  };
};

/** The check as a reader gets it: evaluated, then said in `language` (English unless asked). */
export const checkPremium = (facts: PremiumFacts, language: Language = 'en'): PremiumResult => presentPremium(evaluatePremium(facts), language);

export const presentPremium = (evaluation: PremiumEvaluation, language: Language): PremiumResult => ({
  outcome: evaluation.outcome,
  premium: evaluation.premium,
  findings: presentFindings(evaluation.findings, language),
});
