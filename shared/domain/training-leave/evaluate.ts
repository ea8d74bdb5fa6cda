import { amountForHours, formatCents, fromHundredths, toCents, toHundredths } from '../amounts.js';
import { addMonths, monthEnd, monthStart, quarterOf } from '../calendar.js';
import { rowInForce } from '../effective-dated.js';
import { MINIMUM_ATTENDANCE_SHARE, REGIME_START, SCHOOL_YEAR_PARAMETERS, type SchoolYearParameters } from './rules.js';

/**
 * Evaluation of one Flemish training-leave claim (deliberation 19/038), pure: the facts
 * come from the sources through the adapters, the figures from ./rules.ts. Each step adds
 * a reason a case handler can read; the first blocking failure ends the evaluation.
 * Hours are handled in integer hundredths and euros in integer cents.
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

export interface DecisionReason {
  /** The check. */
  rule: string;
  /** PASSED; FAILED (blocks the claim); LIMITED (cuts hours). */
  outcome: 'PASSED' | 'FAILED' | 'LIMITED';
  /** The reason code when the check failed or cut hours. */
  code?: ReasonCode;
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

// ---- dates ---------------------------------------------------------------------------

const overlaps = (from: string, to: string | undefined, start: string, end: string) => from <= end && (to === undefined || to >= start);

// ---- occupation -------------------------------------------------------------------------

/** Σ Q/S and Σ Q over every occupation, with every employer, in force during `month`. */
export const occupationIn = (facts: Pick<ClaimFacts, 'workerLines'>, month: string): { fraction: number; weeklyHours: number } => {
  const start = monthStart(month);
  const end = monthEnd(month);
  const occupations = facts.workerLines
    .filter((line) => line.quarter === quarterOf(month))
    .flatMap((line) => line.occupations)
    .filter((o) => overlaps(o.from, o.to, start, end));
  return {
    fraction: Math.round(occupations.reduce((sum, o) => sum + o.q / o.s, 0) * 10_000) / 10_000,
    weeklyHours: occupations.reduce((sum, o) => sum + o.q, 0),
  };
};

export const referenceMonthOf = (schoolYear: string, parameters: SchoolYearParameters): string =>
  parameters.referenceMonth === 'SEPTEMBER_OF_SCHOOL_YEAR' ? `${schoolYear.slice(0, 4)}-09` : `${schoolYear.slice(0, 4)}-03`;

const pct = (fraction: number) => `${Math.round(fraction * 10_000) / 100} %`;
const hours = (hundredths: number) => `${fromHundredths(hundredths)} h`;

// ---- evaluation --------------------------------------------------------------------------

/**
 * The last day a decision on the claim can stay provisional: the training's end date as the
 * employer declared it, but never past the end of the claim's school year (31 August) — the
 * end date is not in the training database, and a far-off one must not put the attendance
 * rule off for ever. Settlement happens the day after.
 */
export const provisionalUntil = (claim: Pick<ClaimFacts['claim'], 'schoolYear' | 'training'>): string => {
  const schoolYearEnd = `${claim.schoolYear.slice(5)}-08-31`;
  return claim.training.endDate < schoolYearEnd ? claim.training.endDate : schoolYearEnd;
};

/** Whether a claim falls before the regime started (1 September 2019). */
export const beforeRegime = (claim: Pick<ClaimFacts['claim'], 'schoolYear' | 'training'>): boolean =>
  claim.training.startDate < REGIME_START || `${claim.schoolYear.slice(0, 4)}-09-01` < REGIME_START;

/** The figures of a school year ("2024-2025"), or NoRuleInForceError when none are published. */
export const schoolYearParameters = (schoolYear: string) =>
  rowInForce(SCHOOL_YEAR_PARAMETERS, `${schoolYear.slice(0, 4)}-09-01`, `training-leave parameters for ${schoolYear}`);

export const evaluateClaim = (facts: ClaimFacts): Decision => {
  const { claim } = facts;
  const reasons: DecisionReason[] = [];
  const figures: Decision['figures'] = {};
  const claimedByMonth = Object.entries(claim.hoursByMonth)
    .map(([month, h]) => ({ month, hundredths: toHundredths(h) }))
    .sort((a, b) => a.month.localeCompare(b.month));
  const claimed = claimedByMonth.reduce((sum, m) => sum + m.hundredths, 0);
  // Set once the training is known: a decision for a training still running is provisional.
  let provisional = false;

  const decide = (byMonth: Record<string, number> = {}, centsPerHour = 0, ledger: LedgerPosting[] = []): Decision => {
    const approved = Object.values(byMonth).reduce((sum, h) => sum + h, 0);
    return {
      outcome: approved === 0 ? 'REJECTED' : approved < claimed ? 'PARTIALLY_APPROVED' : 'APPROVED',
      final: !provisional,
      claimedHours: fromHundredths(claimed),
      approvedHours: fromHundredths(approved),
      approvedHoursByMonth: Object.fromEntries(
        Object.entries(byMonth)
          .filter(([, h]) => h > 0)
          .map(([m, h]) => [m, fromHundredths(h)]),
      ),
      amount: formatCents(amountForHours(approved, centsPerHour)),
      reasons,
      ledger: approved === 0 ? [] : ledger,
      figures,
    };
  };
  const pass = (rule: string, detail: string) => reasons.push({ rule, outcome: 'PASSED', detail });
  const reject = (rule: string, code: ReasonCode, detail: string) => {
    reasons.push({ rule, outcome: 'FAILED', code, detail });
    return decide();
  };
  const limit = (rule: string, code: ReasonCode, detail: string) => reasons.push({ rule, outcome: 'LIMITED', code, detail });

  // 1. The regime starts on 1 September 2019.
  if (beforeRegime(claim)) {
    return reject(
      'REGIME_START',
      'BEFORE_REGIME_START',
      `Flemish training leave exists from ${REGIME_START}; this claim is for ${claim.schoolYear}, training from ${claim.training.startDate}.`,
    );
  }
  pass('REGIME_START', `School year ${claim.schoolYear} is within the regime (from ${REGIME_START}).`);

  // The school year's figures; none published → throws, and the claim is not decided on a guess.
  const row = schoolYearParameters(claim.schoolYear);
  const parameters = row.value;
  const forfaitCents = toCents(parameters.hourlyForfait);
  figures.hourlyForfait = parameters.hourlyForfait;
  // Every figure applied that rests on an unconfirmed source is named, with its source.
  const unconfirmed: string[] = [];
  const cite = (r: { confidence?: string; source: string }) => {
    if (r.confidence === 'UNCONFIRMED') {
      unconfirmed.push(r.source);
      figures.rulesConfidence = `UNCONFIRMED: ${unconfirmed.join('; ')}`;
    }
  };
  cite(row);

  // 2. Filed at the latest 3 months after the training start.
  const deadline = addMonths(claim.training.startDate, parameters.filingDeadlineMonths);
  if (claim.filedOn > deadline) {
    return reject(
      'FILING_DEADLINE',
      'CLAIM_TOO_LATE',
      `Filed on ${claim.filedOn}, after the deadline of ${deadline} (${parameters.filingDeadlineMonths} months after the training start).`,
    );
  }
  pass('FILING_DEADLINE', `Filed on ${claim.filedOn}, by the deadline of ${deadline}.`);

  // 3. Recognised training, registered in the training database.
  const training = facts.training;
  if (
    !training ||
    training.recognisedFrom > claim.training.startDate ||
    (training.recognisedTo !== undefined && training.recognisedTo < claim.training.startDate)
  ) {
    return reject(
      'TRAINING_RECOGNISED',
      'TRAINING_NOT_RECOGNISED',
      training
        ? `Training ${claim.training.id} was not recognised on ${claim.training.startDate}.`
        : `Training ${claim.training.id} is not in the training database.`,
    );
  }
  pass('TRAINING_RECOGNISED', `Training ${claim.training.id} is recognised since ${training.recognisedFrom}.`);

  // 4. Attendance. While the training runs (its end date not passed, its attendance not
  // reported final) the share of contact hours cannot be judged: the decision is provisional,
  // on the hours attended so far, and is settled when the training has ended.
  provisional = !training.attendanceFinal && facts.today !== undefined && provisionalUntil(claim) >= facts.today;
  const attendance = training.attendance.find((a) => a.niss === claim.workerNiss);
  if (!attendance || attendance.hoursAttended <= 0) {
    return reject(
      'ATTENDANCE',
      'NOT_ATTENDED',
      provisional
        ? 'The training provider reports no attendance for this worker so far; settled when the training has ended.'
        : 'The training provider reports no attendance for this worker.',
    );
  }
  const shareRow = rowInForce(MINIMUM_ATTENDANCE_SHARE, `${claim.schoolYear.slice(0, 4)}-09-01`, 'attendance share');
  const minimumShare = shareRow.value ?? undefined;
  if (minimumShare !== undefined && training.contactHours) cite(shareRow);
  const shareJudgedLater = provisional && minimumShare !== undefined && !!training.contactHours;
  if (shareJudgedLater) {
    pass(
      'ATTENDANCE',
      `Attended ${attendance.hoursAttended} h so far of ${training.contactHours} contact hours; the share of at least ${pct(minimumShare)} is judged when the training has ended (${provisionalUntil(claim)}).`,
    );
  } else if (minimumShare !== undefined && training.contactHours) {
    const share = attendance.hoursAttended / training.contactHours;
    if (share < minimumShare) {
      return reject(
        'ATTENDANCE',
        'NOT_ATTENDED',
        `Attended ${attendance.hoursAttended} of ${training.contactHours} contact hours (${pct(share)}); at least ${pct(minimumShare)} is required.`,
      );
    }
  }
  if (!shareJudgedLater) pass('ATTENDANCE', `Attended ${attendance.hoursAttended} h${provisional ? ' so far' : ''}.`);

  // 5. Worker in the BCSS registers, and alive: hours after the death are not reimbursed.
  if (!facts.person) return reject('WORKER_KNOWN', 'WORKER_UNKNOWN', 'The worker is not known in the BCSS registers.');
  pass('WORKER_KNOWN', 'The worker is known in the BCSS registers.');
  let months = claimedByMonth;
  const death = facts.person.deathDate;
  if (death) {
    const kept = months.filter((m) => monthStart(m.month) <= death);
    if (kept.length === 0) return reject('WORKER_ALIVE', 'WORKER_DECEASED', `The worker died on ${death}, before every month claimed.`);
    if (kept.length < months.length) {
      limit(
        'WORKER_ALIVE',
        'WORKER_DECEASED',
        `The worker died on ${death}: hours of ${months
          .filter((m) => !kept.includes(m))
          .map((m) => m.month)
          .join(', ')} are not reimbursed.`,
      );
    } else pass('WORKER_ALIVE', `The worker died on ${death}; every month claimed begins on or before that day (hours are counted by month, not by day).`);
    months = kept;
  } else pass('WORKER_ALIVE', 'No date of death is registered.');

  // 6. DIMONA: employed by the claiming employer in the months claimed.
  const employed = months.filter((m) =>
    facts.employments.some(
      (e) => e.employerEnterpriseNumber === claim.employerEnterpriseNumber && overlaps(e.from, e.to, monthStart(m.month), monthEnd(m.month)),
    ),
  );
  if (employed.length === 0)
    return reject('EMPLOYMENT', 'NO_EMPLOYMENT_WITH_EMPLOYER', 'DIMONA shows no employment with the claiming employer in the months claimed.');
  if (employed.length < months.length) {
    limit(
      'EMPLOYMENT',
      'NO_EMPLOYMENT_WITH_EMPLOYER',
      `DIMONA shows no employment with the claiming employer in ${months
        .filter((m) => !employed.includes(m))
        .map((m) => m.month)
        .join(', ')}.`,
    );
  } else pass('EMPLOYMENT', 'DIMONA shows an employment with the claiming employer in every month claimed.');
  months = employed;

  // 7. DMFA worker line with the claiming employer: private sector, local unit in Flanders.
  const quarters = [...new Set(months.map((m) => quarterOf(m.month)))];
  const lines = facts.workerLines.filter((l) => l.employerEnterpriseNumber === claim.employerEnterpriseNumber && quarters.includes(l.quarter));
  if (lines.length === 0)
    return reject('DMFA_DECLARATION', 'HOURS_NOT_DECLARED_IN_DMFA', `The employer declared no DMFA worker line for this worker in ${quarters.join(', ')}.`);
  const publicLine = lines.find((l) => l.sector !== 'PRIVATE');
  if (publicLine) return reject('PRIVATE_SECTOR', 'NOT_PRIVATE_SECTOR', `The DMFA worker line of ${publicLine.quarter} is not in the private sector.`);
  pass('PRIVATE_SECTOR', 'The DMFA worker lines are in the private sector.');
  const elsewhere = lines.find((l) => l.localUnitRegion !== 'FLANDERS');
  if (elsewhere) return reject('WORKPLACE', 'WORKPLACE_NOT_IN_FLANDERS', `The local unit of ${elsewhere.quarter} is not in the Flemish Region.`);
  pass('WORKPLACE', 'The local unit is in the Flemish Region.');

  // 8. Occupation: reference month, else the month the first training starts.
  const meets = (o: { fraction: number; weeklyHours: number }) =>
    o.fraction >= parameters.minimumFraction && (parameters.minimumWeeklyHours === undefined || o.weeklyHours >= parameters.minimumWeeklyHours);
  const minimum = `${pct(parameters.minimumFraction)}${parameters.minimumWeeklyHours !== undefined ? ` and ${parameters.minimumWeeklyHours} h a week` : ''}`;
  let month = referenceMonthOf(claim.schoolYear, parameters);
  let occupation = occupationIn(facts, month);
  if (!meets(occupation)) {
    const startMonth = claim.training.startDate.slice(0, 7);
    const atStart = occupationIn(facts, startMonth);
    if (!meets(atStart)) {
      return reject(
        'OCCUPATION',
        'OCCUPATION_BELOW_MINIMUM',
        `Occupation ${pct(occupation.fraction)} in ${month} and ${pct(atStart.fraction)} in ${startMonth}, the month the training starts; at least ${minimum} is required.`,
      );
    }
    pass(
      'OCCUPATION',
      `Occupation ${pct(occupation.fraction)} in the reference month ${month} is below ${minimum}; ${pct(atStart.fraction)} in ${startMonth}, when the training starts, is used.`,
    );
    month = startMonth;
    occupation = atStart;
  } else pass('OCCUPATION', `Occupation ${pct(occupation.fraction)} (${occupation.weeklyHours} h a week) in the reference month ${month}.`);
  const fraction = Math.min(1, occupation.fraction);
  const ownMaximum = Math.floor(parameters.hoursPerYear * 100 * fraction + 1e-6);
  // One school year, one maximum: once a decision has approved hours against it, later
  // claims (for a training starting in another month, say) are held to the same figure.
  const fixed = facts.alreadyApproved.schoolYearLimit === undefined ? undefined : toHundredths(facts.alreadyApproved.schoolYearLimit);
  const personalMaximum = fixed ?? ownMaximum;
  if (fixed !== undefined && fixed !== ownMaximum) {
    pass(
      'PERSONAL_MAXIMUM_FIXED',
      `The personal maximum of school year ${claim.schoolYear} is ${hours(fixed)}, set by its first decision; this claim's own figures would give ${hours(ownMaximum)}.`,
    );
  }
  Object.assign(figures, { referenceMonth: month, occupationFraction: occupation.fraction, personalMaximumHours: fromHundredths(personalMaximum) });

  // 9. Hours: the least of claimed, declared under DMFA code 5 (per quarter), attended, and
  // the personal maximum, each less what earlier decisions already took from it (the ledger).
  // Hours are allocated month by month in calendar order, so a cut falls on the last months.
  const already = facts.alreadyApproved;
  const allocation = new Map(months.map((m) => [m.month, m.hundredths]));
  const quarterPostings: LedgerPosting[] = [];
  const notDeclared: string[] = [];
  const reimbursed: string[] = [];
  for (const quarter of quarters) {
    const inQuarter = months.filter((m) => quarterOf(m.month) === quarter);
    const claimedInQuarter = inQuarter.reduce((sum, m) => sum + m.hundredths, 0);
    const declared = toHundredths(
      lines
        .filter((l) => l.quarter === quarter)
        .flatMap((l) => l.occupations)
        .reduce((sum, o) => sum + (o.workingTimeCode5Hours ?? 0), 0),
    );
    const earlier = toHundredths(already.quarters[quarter] ?? 0);
    const left = Math.max(0, declared - earlier);
    if (declared < claimedInQuarter) notDeclared.push(`${quarter}: ${hours(declared)} declared for ${hours(claimedInQuarter)} claimed`);
    if (left < Math.min(declared, claimedInQuarter)) {
      reimbursed.push(`${quarter}: ${hours(earlier)} of the ${hours(declared)} declared were already reimbursed by earlier claims, ${hours(left)} left`);
    }
    let room = left;
    for (const m of inQuarter) {
      const take = Math.min(m.hundredths, room);
      allocation.set(m.month, take);
      room -= take;
    }
    quarterPostings.push({ bound: 'QUARTER', scope: quarter, limitHours: fromHundredths(declared), alreadyApprovedHours: fromHundredths(earlier), hours: 0 });
  }
  if (notDeclared.length > 0) limit('DMFA_CODE_5', 'HOURS_NOT_DECLARED_IN_DMFA', `Hours under working-time code 5 in DMFA: ${notDeclared.join('; ')}.`);
  if (reimbursed.length > 0)
    limit('DMFA_CODE_5', 'QUARTER_HOURS_ALREADY_REIMBURSED', `Hours under working-time code 5 with this employer: ${reimbursed.join('; ')}.`);
  if (notDeclared.length === 0 && reimbursed.length === 0)
    pass('DMFA_CODE_5', 'Every claimed hour is declared in DMFA under working-time code 5 and not yet reimbursed.');
  const total = () => [...allocation.values()].reduce((sum, h) => sum + h, 0);

  const attended = toHundredths(attendance.hoursAttended);
  const earlierForTraining = toHundredths(already.training);
  const trainingLeft = Math.max(0, attended - earlierForTraining);
  // Each bound is compared with what reaches it (what the bounds before it left), so a
  // reason says a bound cut hours only when it did.
  let cap = total();
  if (attended < cap) {
    limit('HOURS_ATTENDED', 'NOT_ATTENDED', `Only ${hours(attended)} attended.`);
    cap = attended;
  }
  if (trainingLeft < cap) {
    limit(
      'HOURS_ATTENDED',
      'TRAINING_HOURS_ALREADY_REIMBURSED',
      `${hours(earlierForTraining)} of the ${hours(attended)} attended in training ${claim.training.id} were already reimbursed by earlier claims: ${hours(trainingLeft)} left.`,
    );
    cap = trainingLeft;
  } else if (attended >= total()) pass('HOURS_ATTENDED', `${hours(attended)} attended, ${hours(earlierForTraining)} of them already reimbursed.`);

  const earlierThisYear = toHundredths(already.schoolYear);
  const yearLeft = Math.max(0, personalMaximum - earlierThisYear);
  if (yearLeft < cap) {
    limit(
      'PERSONAL_MAXIMUM',
      'MAXIMUM_HOURS_EXCEEDED',
      `Personal maximum ${hours(personalMaximum)}${fixed === undefined ? ` (${parameters.hoursPerYear} h × ${pct(fraction)})` : ''}, ${hours(earlierThisYear)} already approved this school year: ${hours(yearLeft)} left.`,
    );
    cap = yearLeft;
  } else pass('PERSONAL_MAXIMUM', `Within the personal maximum of ${hours(personalMaximum)} (${hours(earlierThisYear)} already approved this school year).`);

  // Trim the allocation to the cap, keeping the earliest months.
  for (const [month, h] of allocation) {
    const take = Math.min(h, cap);
    allocation.set(month, take);
    cap -= take;
  }
  const approved = total();
  const byQuarter = (quarter: string) =>
    fromHundredths(months.filter((m) => quarterOf(m.month) === quarter).reduce((sum, m) => sum + allocation.get(m.month)!, 0));
  const ledger: LedgerPosting[] = [
    {
      bound: 'SCHOOL_YEAR',
      scope: claim.schoolYear,
      limitHours: fromHundredths(personalMaximum),
      alreadyApprovedHours: fromHundredths(earlierThisYear),
      hours: fromHundredths(approved),
    },
    {
      bound: 'TRAINING',
      scope: claim.training.id,
      limitHours: fromHundredths(attended),
      alreadyApprovedHours: fromHundredths(earlierForTraining),
      hours: fromHundredths(approved),
    },
    ...quarterPostings.map((p) => ({ ...p, hours: byQuarter(p.scope) })).filter((p) => p.hours > 0),
  ];
  return decide(Object.fromEntries(allocation), forfaitCents, ledger);
};
