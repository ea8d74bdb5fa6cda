import { formatCents, toCents } from '../amounts.js';
import { monthStart, quarterOf } from '../calendar.js';
import { inForce, rowInForce } from '../effective-dated.js';
import { ACS_CAPPED_REFERENCE_SALARY, ACS_EMPLOYER_SHARE_BASIS_POINTS, WORKING_DAYS_RULE, PTP_CAREER_MONTHS, PTP_MONTHLY_PREMIUM } from './parameters.js';

/**
 * The ACS / PTP premium check of deliberation 05/012, pure. The facts come from DMFA
 * through the adapter (employer-level aggregates and the worker's own occupation only);
 * amounts are integer cents, FTE integer hundredths. Each check is one finding.
 */
export const CHECK_NAMES = [
  'NON_REPLACEMENT',
  'PROPORTIONAL_DAYS',
  'EMPLOYER_SHARE',
  'SALARY_BASIS',
  'SALARY_COST_CAP',
  'DOUBLE_SUBSIDY',
  'DECLARATION_MATCH',
  'PTP_CAREER_LIMIT',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export interface Finding {
  check: CheckName;
  outcome: 'PASS' | 'FAIL' | 'NOT_APPLICABLE';
  detail: string;
  declared?: string | number | boolean;
  found?: string | number | boolean;
}

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
}

export interface PremiumResult {
  outcome: 'CONFORM' | 'NON_CONFORM' | 'INCOMPLETE';
  premium: { due: string | null; employerShare: string | null; paidByRegion: string | null };
  findings: Finding[];
}

// ---- arithmetic ---------------------------------------------------------------------------

const fteHundredths = (fte: string): number => toCents(fte);
const formatFte = (hundredths: number): string => (hundredths / 100).toFixed(2);
/** a × b / c rounded half up, in integers. */
const mulDiv = (a: number, b: number, c: number): number => Math.floor((2 * a * b + c) / (2 * c));

/** Working days of the month under a regime of `daysPerWeek` (public holidays are assimilated days in Belgium). */
export const workingDaysOf = (month: string, daysPerWeek: number): number => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  let weekdays = 0;
  for (let d = 1; d <= days; d++) {
    const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
    if (day !== 0 && day !== 6) weekdays++;
  }
  return Math.round((weekdays * daysPerWeek) / 5);
};

const monthsBetweenInclusive = (fromDate: string, month: string) =>
  (Number(month.slice(0, 4)) - Number(fromDate.slice(0, 4))) * 12 + (Number(month.slice(5, 7)) - Number(fromDate.slice(5, 7))) + 1;

// ---- the checks ---------------------------------------------------------------------------

export const checkPremium = ({ request, occupation, aggregates }: PremiumFacts): PremiumResult => {
  const findings: Finding[] = [];
  /** Checks that apply to this case but could not be run for want of a figure. */
  let incomplete = false;
  const add = (finding: Finding, missingFigure = false) => {
    findings.push(finding);
    if (missingFigure) incomplete = true;
  };
  const firstDay = monthStart(request.month);
  const quarter = quarterOf(request.month);
  const current = aggregates.find((a) => a.quarter === quarter);

  // NON_REPLACEMENT (C1, C2, C3): regular FTE now ≥ the average of the 4 quarters of the year before the hiring.
  const baseYear = Number(request.hiringDate.slice(0, 4)) - 1;
  const baseQuarters = [1, 2, 3, 4].map((q) => `${baseYear}-Q${q}`);
  const base = baseQuarters.map((q) => aggregates.find((a) => a.quarter === q));
  if (!current || base.some((b) => !b)) {
    const missing = [...(current ? [] : [quarter]), ...baseQuarters.filter((_, i) => !base[i])];
    add({ check: 'NON_REPLACEMENT', outcome: 'NOT_APPLICABLE', detail: `DMFA holds no employer aggregate for ${missing.join(', ')}.` }, true);
  } else {
    const sum = base.reduce((s, b) => s + fteHundredths(b!.regularFte), 0);
    const now = fteHundredths(current.regularFte);
    // now ≥ sum / 4, compared exactly as 4 × now ≥ sum.
    const average = formatFte(mulDiv(sum, 1, 4));
    add({
      check: 'NON_REPLACEMENT',
      outcome: 4 * now >= sum ? 'PASS' : 'FAIL',
      detail: `Regular FTE ${formatFte(now)} in ${quarter} against an average of ${average} over ${baseYear} (the year before the hiring).`,
      found: formatFte(now),
    });
  }

  // PTP_CAREER_LIMIT (C14).
  if (request.scheme === 'PTP') {
    const limit = inForce(PTP_CAREER_MONTHS, firstDay, 'PTP career limit');
    const months = monthsBetweenInclusive(request.hiringDate, request.month);
    add({
      check: 'PTP_CAREER_LIMIT',
      outcome: months <= limit ? 'PASS' : 'FAIL',
      detail: `Month ${months} of PTP occupation since ${request.hiringDate}; at most ${limit}.`,
      found: months,
    });
  } else add({ check: 'PTP_CAREER_LIMIT', outcome: 'NOT_APPLICABLE', detail: 'Only PTP occupation has a career limit.' });

  // SALARY_BASIS (C9): ACS premiums rest on the capped annual reference salary or the joint-committee minimum.
  if (request.scheme === 'ACS') {
    const reference = inForce(ACS_CAPPED_REFERENCE_SALARY, firstDay, 'ACS reference salary');
    if (reference.value === null)
      add(
        {
          check: 'SALARY_BASIS',
          outcome: 'NOT_APPLICABLE',
          detail: `Cannot be checked: ${reference.note}; the joint-committee minimum wages are not in the parameter table either.`,
        },
        true,
      );
  } else add({ check: 'SALARY_BASIS', outcome: 'NOT_APPLICABLE', detail: 'The PTP premium is a flat regional amount, not a salary basis.' });

  // The monthly premium: PTP from the parameter table; ACS the monthly premium the employer claims under its grant.
  let monthlyCents: number | null;
  if (request.scheme === 'PTP') {
    const ptp = inForce(PTP_MONTHLY_PREMIUM, firstDay, 'PTP premium');
    monthlyCents = ptp.value === null ? null : toCents(ptp.value);
    if (ptp.value === null) add({ check: 'PROPORTIONAL_DAYS', outcome: 'NOT_APPLICABLE', detail: `Cannot be computed: ${ptp.note}.` }, true);
  } else monthlyCents = toCents(request.declared.grantedMonthlyPremium);

  let dueCents: number | null = null;
  if (!occupation) {
    add({ check: 'DECLARATION_MATCH', outcome: 'FAIL', detail: `The employer declared no occupation of this worker in DMFA for ${request.month}.` });
    if (monthlyCents !== null) add({ check: 'PROPORTIONAL_DAYS', outcome: 'NOT_APPLICABLE', detail: 'No DMFA occupation to count the days from.' }, true);
  } else {
    // PROPORTIONAL_DAYS (C5, C6): days worked + assimilated over the working days of the month, from DMFA.
    const counting = rowInForce(WORKING_DAYS_RULE, firstDay, 'working-days rule');
    const workingDays = workingDaysOf(request.month, occupation.daysPerWeek);
    const paidDays = Math.min(workingDays, occupation.daysWorked + occupation.assimilatedDays);
    if (monthlyCents !== null && workingDays === 0) {
      // A regime of (almost) no days a week leaves no working day to prorate over: not a division by zero.
      add(
        {
          check: 'PROPORTIONAL_DAYS',
          outcome: 'NOT_APPLICABLE',
          detail: `DMFA gives ${occupation.daysPerWeek} days a week: no working day in ${request.month}.`,
        },
        true,
      );
    } else if (monthlyCents !== null) {
      dueCents = mulDiv(monthlyCents, paidDays, workingDays);
      add({
        check: 'PROPORTIONAL_DAYS',
        outcome: 'PASS',
        detail: `${formatCents(monthlyCents)} × (${occupation.daysWorked} worked + ${occupation.assimilatedDays} assimilated) / ${workingDays} working days (${occupation.daysPerWeek} days a week) = ${formatCents(dueCents)}.${counting.confidence === 'UNCONFIRMED' ? ` Working days counted as ${counting.value.description} (not confirmed by a public source).` : ''}`,
        found: formatCents(dueCents),
      });
    }

    // SALARY_COST_CAP: never more than the salary cost of the month. PTP: the employer's claim is
    // what is judged — above the salary cost it fails the cap, above the premium due it fails the days.
    if (dueCents !== null && request.scheme === 'PTP') {
      const cost = toCents(occupation.salaryCost);
      const claimed = toCents(request.declared.amountClaimed);
      const allowed = Math.min(dueCents, cost);
      add({
        check: 'SALARY_COST_CAP',
        outcome: claimed > cost ? 'FAIL' : 'PASS',
        detail: `Claimed ${formatCents(claimed)} against a salary cost of ${occupation.salaryCost} in DMFA.`,
        declared: request.declared.amountClaimed,
        found: occupation.salaryCost,
      });
      if (claimed <= cost && claimed > allowed)
        findings.push({
          check: 'PROPORTIONAL_DAYS',
          outcome: 'FAIL',
          detail: 'The amount claimed exceeds the premium due for the month.',
          declared: request.declared.amountClaimed,
          found: formatCents(allowed),
        });
      dueCents = allowed;
    } else if (dueCents !== null) {
      const cost = toCents(occupation.salaryCost);
      const capped = dueCents > cost;
      add({
        check: 'SALARY_COST_CAP',
        outcome: capped ? 'FAIL' : 'PASS',
        detail: `Premium ${formatCents(dueCents)} against a salary cost of ${occupation.salaryCost} in DMFA.`,
        found: occupation.salaryCost,
      });
      if (capped) dueCents = cost;
    }

    // DOUBLE_SUBSIDY: no other premium or reduction on the same worker and month.
    add(
      occupation.otherPremiums.length === 0
        ? { check: 'DOUBLE_SUBSIDY', outcome: 'PASS', detail: `No other premium or reduction recorded for ${request.month}.` }
        : {
            check: 'DOUBLE_SUBSIDY',
            outcome: 'FAIL',
            detail: `Other premium(s) recorded for ${request.month}: ${occupation.otherPremiums.join(', ')}.`,
            found: occupation.otherPremiums.join(','),
          },
    );

    // DECLARATION_MATCH (C12): each declared figure against DMFA.
    const compare = (field: string, declared: string | number, found: string | number) =>
      declared === found
        ? undefined
        : findings.push({
            check: 'DECLARATION_MATCH',
            outcome: 'FAIL',
            detail: `${field}: the employer declared ${declared}, DMFA shows ${found}.`,
            declared,
            found,
          });
    const before = findings.length;
    compare('daysWorked', request.declared.daysWorked, occupation.daysWorked);
    compare('assimilatedDays', request.declared.assimilatedDays, occupation.assimilatedDays);
    compare('grossSalary', formatCents(toCents(request.declared.grossSalary)), formatCents(toCents(occupation.grossSalary)));
    if (current) compare('regularStaffFte', formatFte(fteHundredths(request.declared.regularStaffFte)), formatFte(fteHundredths(current.regularFte)));
    if (findings.length === before)
      findings.push({ check: 'DECLARATION_MATCH', outcome: 'PASS', detail: `Every declared figure matches DMFA for ${quarter}.` });
  }

  // EMPLOYER_SHARE (C8): 5 % of an ACS premium, unless an exemption is on record. PTP has no
  // employer share in its sources (PC-4): the whole premium is the region's.
  const exemption = current?.exemption === true;
  let shareCents: number | null = null;
  if (request.scheme === 'PTP') {
    add({ check: 'EMPLOYER_SHARE', outcome: 'NOT_APPLICABLE', detail: 'PTP premiums carry no employer share: the 5 % share is an ACS rule (05/012 §3.1).' });
  } else {
    const shareRow = rowInForce(ACS_EMPLOYER_SHARE_BASIS_POINTS, firstDay, 'employer share');
    shareCents = dueCents === null ? null : exemption ? 0 : mulDiv(dueCents, shareRow.value, 10_000);
    if (request.declared.exemptionClaimed && !exemption) {
      add({
        check: 'EMPLOYER_SHARE',
        outcome: 'FAIL',
        detail: 'An exemption from the employer share is claimed but none is on record.',
        declared: true,
        found: false,
      });
    } else {
      add({
        check: 'EMPLOYER_SHARE',
        outcome: dueCents === null ? 'NOT_APPLICABLE' : 'PASS',
        detail: exemption
          ? 'An exemption is on record: the employer bears no share.'
          : `${shareRow.value / 100} % of the premium is borne by the employer${shareCents === null ? '' : `: ${formatCents(shareCents)}`}.`,
        found: exemption,
      });
    }
  }

  const failed = findings.some((f) => f.outcome === 'FAIL');
  return {
    outcome: failed ? 'NON_CONFORM' : incomplete ? 'INCOMPLETE' : 'CONFORM',
    premium: {
      due: dueCents === null ? null : formatCents(dueCents),
      employerShare: shareCents === null ? null : formatCents(shareCents),
      // PTP: no share, the region pays the whole premium due.
      paidByRegion:
        dueCents === null ? null : request.scheme === 'PTP' ? formatCents(dueCents) : shareCents === null ? null : formatCents(dueCents - shareCents),
    },
    findings,
  };
};
