import { dayBefore, addMonths } from '../calendar.js';
import { inForce } from '../effective-dated.js';
import { type Closure, type Language, PLAN_CAVEAT_LABELS, PLAN_REFUSAL_LABELS, type PlanCaveat, type PlanRefusal, type Reason, type Regime } from './codes.js';
import { type Counter, PLAN_RULES, type ReasonPlanRule } from './plan-rules.js';
import { type OnemCounters, type PossibilitiesView, presentPossibilities } from './present.js';

/**
 * The career-break what-if: a plan (reason, regime, months, first day) applied to the
 * counters ONEM answered, with the published rules of plan-rules.ts — which counters the
 * reason draws on (the time-credit pool shared by the care motives, the training cap inside
 * it, parental leave on its own counter with its regime conversions, …), the shortest period
 * a request may ask, and what cannot be checked from ONEM's answer (a child's age, a count
 * per child). Pure: ONEM's counters in, the possibilities after the plan out; nothing kept.
 *
 * The counters are not recomputed from a history (SIGEDIS has none, 24/012 §9): each
 * counter's balance is read back from ONEM's remaining months, the plan's months are taken
 * from the counters it draws on, and every reason drawing on them is shown with what is
 * left. A plan that does not fit changes nothing.
 */
export interface Plan {
  reason: Reason;
  regime: Regime;
  months: number;
  /** First day (ISO date). */
  from: string;
}

export interface PlanOutcome extends Plan {
  /** Last day of the plan (ISO date). */
  until: string;
  fits: boolean;
  refusedBecause: { code: PlanRefusal; label: string }[];
  caveats: { code: PlanCaveat; label: string }[];
}

export interface WhatIfView extends PossibilitiesView {
  plan: PlanOutcome;
}

/** Counters are compared in tenths of a full-time month: exact for every factor that divides 10 (checked by a test). */
const UNIT = 10;
/** Down to the hundredth: what is left is never shown above what it is (ONEM's 20.666… stays 20.66). */
const floor2 = (n: number) => Math.floor(n * 100 + 1e-9) / 100;

/**
 * The plan's last day: the day before the same date `months` later; when that date does not
 * exist (from 31 January, one month), the last day of the target month (WI-5).
 */
export const planEnd = (from: string, months: number): string => {
  // addMonths clamps a missing day to the month's end: that clamped day is the last one.
  const same = addMonths(from, months);
  return same.slice(8) === from.slice(8) ? dayBefore(same) : same;
};

/**
 * What is left of each counter, in units, read back from ONEM's remaining months: from the
 * regime with the largest factor (ONEM's figure there is the finest: 1/10 of parental leave
 * says 33.35 where full time says 3.33), and among those the largest any reason shows.
 */
const balances = (onem: OnemCounters, rules: Record<Reason, ReasonPlanRule>): Map<Counter, number> => {
  const left = new Map<Counter, { units: number; factor: number }>();
  for (const { reason, regime, remainingMonths } of onem.counters) {
    const rule = rules[reason].regimes[regime];
    if (!rule) continue;
    const units = (remainingMonths * UNIT) / rule.factor;
    for (const counter of rule.draws) {
      const known = left.get(counter);
      if (!known || rule.factor > known.factor || (rule.factor === known.factor && units > known.units)) left.set(counter, { units, factor: rule.factor });
    }
  }
  return new Map([...left].map(([counter, { units }]) => [counter, units]));
};

/** The counters after the plan: every reason drawing on a counter the plan uses shows what is left of it. */
const afterPlan = (onem: OnemCounters, plan: Plan, rules: Record<Reason, ReasonPlanRule>): OnemCounters => {
  const planRule = rules[plan.reason].regimes[plan.regime];
  if (!planRule) return onem;
  const left = balances(onem, rules);
  for (const counter of planRule.draws) left.set(counter, (left.get(counter) ?? 0) - (plan.months * UNIT) / planRule.factor);
  const touched = new Set(planRule.draws);
  const counters = onem.counters.map((c) => {
    const rule = rules[c.reason].regimes[c.regime];
    if (!rule || !rule.draws.some((d) => touched.has(d))) return c;
    const bound = Math.min(...rule.draws.map((d) => ((left.get(d) ?? 0) * rule.factor) / UNIT));
    return { ...c, remainingMonths: Math.max(0, Math.min(c.remainingMonths, floor2(bound))) };
  });
  // A reason the plan uses up is closed, as ONEM closes a used-up pool.
  const exhausted = [...new Set(counters.map((c) => c.reason))].filter(
    (reason) =>
      counters.filter((c) => c.reason === reason).every((c) => c.remainingMonths === 0) &&
      onem.counters.some((c) => c.reason === reason && c.remainingMonths > 0),
  );
  const closures = [...onem.closures, ...exhausted.map((reason) => ({ reason, code: 'POOL_EXHAUSTED' as Closure }))];
  return { ...onem, counters, closures };
};

/** The answer when the pre-filter fails: ONEM was not called, so the plan cannot be judged. */
export const planWithoutCounters = (plan: Plan, preconditions: PossibilitiesView['preconditions'], language: Language): WhatIfView => ({
  preconditions,
  employer: null,
  reasons: [],
  plan: {
    ...plan,
    until: planEnd(plan.from, plan.months),
    fits: false,
    refusedBecause: [{ code: 'PRECONDITIONS_NOT_MET', label: PLAN_REFUSAL_LABELS.PRECONDITIONS_NOT_MET[language]({}) }],
    caveats: [],
  },
});

export const evaluatePlan = (onem: OnemCounters, plan: Plan, today: string, language: Language): WhatIfView => {
  // The rules in force when the plan starts (today's for a plan wrongly in the past).
  const rules = inForce(PLAN_RULES, plan.from < today ? today : plan.from, 'career-break plan rule');
  const rule = rules[plan.reason];
  const remaining = onem.counters.find((c) => c.reason === plan.reason && c.regime === plan.regime)?.remainingMonths;
  const minimum = rule.minimumMonths?.[plan.regime];
  const block = rule.blockMonths?.[plan.regime];

  const refused: [PlanRefusal, { n?: number; d?: string }][] = [];
  if (plan.from < today) refused.push(['STARTS_BEFORE_TODAY', { d: today }]);
  // Closed (the closures are in the answer's blocks), or not offered in this regime, or too long or too short.
  if (onem.closures.some((c) => c.reason === plan.reason)) refused.push(['REASON_CLOSED', {}]);
  else if (remaining === undefined || !rule.regimes[plan.regime]) refused.push(['NOT_IN_YOUR_POSSIBILITIES', {}]);
  else {
    if (plan.months > remaining) refused.push(['NOT_ENOUGH_MONTHS', { n: remaining }]);
    // A1.5: a shorter remaining balance may still be taken, whole (its whole months, when ONEM counts a fraction).
    else {
      const wholeBalance = plan.months >= Math.floor(remaining);
      if (minimum !== undefined && plan.months < minimum && !wholeBalance) refused.push(['PERIOD_TOO_SHORT', { n: minimum }]);
      else if (block !== undefined && plan.months % block !== 0 && !wholeBalance) refused.push(['NOT_IN_BLOCKS', { n: block }]);
    }
  }
  const fits = refused.length === 0;

  const until = planEnd(plan.from, plan.months);
  const caveats: [PlanCaveat, { n?: number; d?: string }][] = [...(rule.caveats.ANY ?? []), ...(rule.caveats[plan.regime] ?? [])].map((code) => [
    code,
    { d: plan.from },
  ]);
  if (rule.periodMonths !== undefined && plan.months > rule.periodMonths) caveats.push(['ASKED_IN_PERIODS', { n: rule.periodMonths }]);

  const view = presentPossibilities(fits ? afterPlan(onem, plan, rules) : onem, language);
  return {
    ...view,
    plan: {
      ...plan,
      until,
      fits,
      refusedBecause: refused.map(([code, figures]) => ({ code, label: PLAN_REFUSAL_LABELS[code][language](figures) })),
      caveats: caveats.map(([code, figures]) => ({ code, label: PLAN_CAVEAT_LABELS[code][language](figures) })),
    },
  };
};
