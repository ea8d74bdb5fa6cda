import { inForce } from '../../../shared/domain/effective-dated.js';
import type { Closure, Reason, Regime } from '../../../shared/domain/career-break/codes.js';
import { ageOn } from '../../../shared/domain/career-break/prefilter.js';
import type { OnemCounters } from '../../../shared/domain/career-break/present.js';
import { COUNTER_RULES as R } from './counter-rules.js';

/**
 * The local ONEM emulator's arithmetic: from a synthetic history of past interruptions,
 * the counters ONEM would answer (docs/career-break.md A.5). Pure.
 *
 * Conventions (decided here, ONEM publishes none):
 * - an interruption from `from` to `to` (inclusive) lasts the calendar months between
 *   `from` and the day after `to`, with the rest in days / 30, rounded to 0.01 month;
 * - parental leave is counted per eligible child and the counter is the sum over them;
 * - per-patient and per-person leaves (medical assistance, palliative care, informal carer)
 *   show what is left for the patient or person of the latest such interruption, or the
 *   whole right when there is none.
 */
export interface Interruption {
  reason: string;
  regime: Regime;
  from: string;
  to: string;
  childIndex?: number;
  /** Patient or person cared for (medical assistance, palliative care, informal carer). */
  careFor?: string;
}

export interface CareerBreakHistory {
  niss: string;
  sector: 'PRIVATE' | 'PUBLIC';
  /** Public sector: the authority's level and the statute, when known (A3.1). */
  publicStaff?: { level: 'FEDERAL' | 'OTHER'; statute: 'STATUTORY' | 'CONTRACTUAL' };
  employerEnterpriseNumber: string;
  seniorityMonths: number;
  children: { birthDate: string; disabled?: boolean }[];
  interruptions: Interruption[];
}

const round = (n: number) => Math.round(n * 100) / 100;

export const monthsBetween = (from: string, to: string): number => {
  const start = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  let months = (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + (end.getUTCMonth() - start.getUTCMonth());
  const anchor = new Date(start);
  anchor.setUTCMonth(anchor.getUTCMonth() + months);
  if (anchor > end) {
    months -= 1;
    anchor.setUTCMonth(anchor.getUTCMonth() - 1);
  }
  return round(months + (end.getTime() - anchor.getTime()) / 86_400_000 / 30);
};

/** The care motives of time credit (CCT 103 art. 4), palliative care among them (24/012 §7): one pool. */
const TIME_CREDIT_CARE: Reason[] = [
  'CHILD_UNDER_8',
  'DISABLED_CHILD_UNDER_21',
  'SERIOUSLY_ILL_MINOR_CHILD',
  'SERIOUSLY_ILL_RELATIVE',
  'PALLIATIVE_CARE_TIME_CREDIT',
];
const PARTIAL: Regime[] = ['HALF_TIME', 'ONE_FIFTH'];
const FTE_OF: Record<Regime, number> = { FULL_TIME: 1, HALF_TIME: 0.5, ONE_FIFTH: 0.2, ONE_TENTH: 0.1 };

export const computeCounters = (history: CareerBreakHistory, today: string): OnemCounters => {
  const rule = <T>(table: readonly { from: string; to?: string; value: T; source: string }[]) => inForce(table, today);
  const counters: OnemCounters['counters'] = [];
  const closures: OnemCounters['closures'] = [];
  const set = (reason: Reason, months: Partial<Record<Regime, number>>) => {
    for (const [regime, remainingMonths] of Object.entries(months))
      counters.push({ reason, regime: regime as Regime, remainingMonths: round(Math.max(0, remainingMonths)) });
  };
  const close = (reason: Reason, code: Closure) => closures.push({ reason, code });
  const of = (reason: string) => history.interruptions.filter((i) => i.reason === reason);
  const months = (list: Interruption[]) => list.reduce((sum, i) => sum + monthsBetween(i.from, i.to), 0);
  const ageOf = (child: { birthDate: string }) => ageOn(child.birthDate, today);

  // ---- time credit with a motive (private sector): one shared pool in calendar months (A5.1)
  if (history.sector === 'PRIVATE') {
    const withoutMotiveFte = of('OTHER').reduce((sum, i) => sum + monthsBetween(i.from, i.to) * FTE_OF[i.regime], 0);
    const charged = Math.max(0, withoutMotiveFte - rule(R.timeCreditUnchargedWithoutMotiveMonths));
    const used = months(history.interruptions.filter((i) => [...TIME_CREDIT_CARE, 'TRAINING'].includes(i.reason as Reason))) + charged;
    const poolLeft = Math.max(0, rule(R.timeCreditPoolMonths) - used);
    const trainingLeft = Math.min(poolLeft, Math.max(0, rule(R.timeCreditTrainingMonths) - months(of('TRAINING'))));
    const seniorityMet = history.seniorityMonths >= rule(R.timeCreditSeniorityMonths);
    for (const reason of [...TIME_CREDIT_CARE, 'TRAINING'] as Reason[]) {
      const left = reason === 'TRAINING' ? trainingLeft : poolLeft;
      set(reason, { FULL_TIME: left, HALF_TIME: left, ONE_FIFTH: left });
      if (left <= 0) close(reason, 'POOL_EXHAUSTED');
      if (!seniorityMet) close(reason, 'SENIORITY_NOT_MET');
    }
    if (!history.children.some((c) => ageOf(c) < rule(R.childUnder8AgeLimit))) {
      close('CHILD_UNDER_8', history.children.length === 0 ? 'NO_ELIGIBLE_CHILD' : 'CHILD_TOO_OLD');
    }
    const disabled = history.children.filter((c) => c.disabled);
    if (!disabled.some((c) => ageOf(c) < rule(R.disabledChildAgeLimit))) {
      close('DISABLED_CHILD_UNDER_21', disabled.length === 0 ? 'NO_ELIGIBLE_CHILD' : 'CHILD_TOO_OLD');
    }
    close('OTHER', 'NOT_AVAILABLE_IN_SECTOR');
  } else {
    for (const reason of [...TIME_CREDIT_CARE, 'TRAINING'] as Reason[]) close(reason, 'NOT_AVAILABLE_IN_SECTOR');
    // ---- public ordinary career break: two pools, full and partial (A5.7)
    const ordinary = of('OTHER');
    const fullLeft = rule(R.publicCareerBreakFullTimeMonths) - months(ordinary.filter((i) => i.regime === 'FULL_TIME'));
    // Partial months count as calendar months against the 60, whatever the fraction (BOSA, A3.1).
    const partialLeft = rule(R.publicCareerBreakPartialMonths) - months(ordinary.filter((i) => PARTIAL.includes(i.regime)));
    // Federal statutory staff may break partially at half time only (BOSA, A3.1); others (and an unknown level) also at 1/5.
    const halfTimeOnly = history.publicStaff?.level === 'FEDERAL' && history.publicStaff.statute === 'STATUTORY';
    set('OTHER', { FULL_TIME: fullLeft, HALF_TIME: partialLeft, ...(halfTimeOnly ? {} : { ONE_FIFTH: partialLeft }) });
    if (fullLeft <= 0 && partialLeft <= 0) close('OTHER', 'POOL_EXHAUSTED');
  }

  // ---- parental leave, per child (A5.3)
  const factors = rule(R.parentalLeaveRegimeFactors);
  const eligible = history.children
    .map((child, index) => ({ child, index }))
    .filter(({ child }) => ageOf(child) < (child.disabled ? rule(R.parentalLeaveDisabledChildAgeLimit) : rule(R.parentalLeaveChildAgeLimit)));
  const parentalLeftFte = eligible.reduce((sum, { index }) => {
    const used = of('PARENTAL_LEAVE')
      .filter((i) => i.childIndex === index)
      .reduce((u, i) => u + monthsBetween(i.from, i.to) / (factors[i.regime] ?? Infinity), 0);
    return sum + Math.max(0, rule(R.parentalLeaveFullTimeMonthsPerChild) - used);
  }, 0);
  set('PARENTAL_LEAVE', Object.fromEntries(Object.entries(factors).map(([regime, factor]) => [regime, parentalLeftFte * factor])));
  if (eligible.length === 0) close('PARENTAL_LEAVE', history.children.length === 0 ? 'NO_ELIGIBLE_CHILD' : 'CHILD_TOO_OLD');
  else if (parentalLeftFte <= 0) close('PARENTAL_LEAVE', 'POOL_EXHAUSTED');
  if (history.seniorityMonths < rule(R.parentalLeaveSeniorityMonths)) close('PARENTAL_LEAVE', 'SENIORITY_NOT_MET');

  // ---- per-patient and per-person leaves: what is left for the latest patient or person
  // (interruptions that name nobody count as one and the same person).
  const latest = (reason: string) =>
    of(reason)
      .sort((a, b) => a.from.localeCompare(b.from))
      .at(-1);
  const fteMonths = (list: Interruption[], partialFactor: number) =>
    list.reduce((u, i) => u + monthsBetween(i.from, i.to) / (i.regime === 'FULL_TIME' ? 1 : partialFactor), 0);
  const forLatest = (reason: string) => {
    const last = latest(reason);
    return last ? of(reason).filter((i) => i.careFor === last.careFor) : [];
  };

  // Medical assistance: 12 months full time per patient, 1 FT = 2 partial (A5.4).
  const medicalFactor = rule(R.medicalAssistancePartialFactor);
  const medicalLeft = rule(R.medicalAssistanceFullTimeMonthsPerPatient) - fteMonths(forLatest('MEDICAL_ASSISTANCE'), medicalFactor);
  set('MEDICAL_ASSISTANCE', { FULL_TIME: medicalLeft, HALF_TIME: medicalLeft * medicalFactor, ONE_FIFTH: medicalLeft * medicalFactor });
  if (medicalLeft <= 0) close('MEDICAL_ASSISTANCE', 'POOL_EXHAUSTED');

  // Palliative leave (the thematic leave, apart from time credit): every form counts one to one, per patient (A5.5).
  const palliativeLeft = rule(R.palliativeMonthsPerPatient) - months(forLatest('PALLIATIVE_CARE'));
  set('PALLIATIVE_CARE', { FULL_TIME: palliativeLeft, HALF_TIME: palliativeLeft, ONE_FIFTH: palliativeLeft });
  if (palliativeLeft <= 0) close('PALLIATIVE_CARE', 'POOL_EXHAUSTED');

  // Informal carer: per person and over the career, 1 FT = 2 partial (A5.5).
  const carerFactor = rule(R.informalCarerPartialFactor);
  const careerLeft = rule(R.informalCarerFullTimeMonthsCareer) - fteMonths(of('INFORMAL_CARER'), carerFactor);
  const personLeft = rule(R.informalCarerFullTimeMonthsPerPerson) - fteMonths(forLatest('INFORMAL_CARER'), carerFactor);
  const carerLeft = Math.min(careerLeft, personLeft);
  set('INFORMAL_CARER', { FULL_TIME: carerLeft, HALF_TIME: carerLeft * carerFactor, ONE_FIFTH: carerLeft * carerFactor });
  if (carerLeft <= 0) close('INFORMAL_CARER', 'POOL_EXHAUSTED');

  return { niss: history.niss, employerEnterpriseNumber: history.employerEnterpriseNumber, counters, closures };
};
