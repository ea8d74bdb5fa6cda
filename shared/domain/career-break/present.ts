import { CLOSURE_LABELS, REASON_LABELS, REASONS, REGIMES, type Closure, type Language, type Reason, type Regime } from './codes.js';
import type { PreconditionResult } from './prefilter.js';

/** ONEM's answer after validation and minimisation (the adapter's contract). */
export interface OnemCounters {
  niss: string;
  employerEnterpriseNumber: string | null;
  counters: { reason: Reason; regime: Regime; remainingMonths: number }[];
  closures: { reason: Reason; code: Closure }[];
}

export interface ReasonView {
  reason: Reason;
  label: string;
  available: boolean;
  remainingMonths: Partial<Record<Regime, number>>;
  closedBecause: { code: Closure; label: string }[];
}

export interface PossibilitiesView {
  preconditions: PreconditionResult;
  employer: { enterpriseNumber: string } | null;
  reasons: ReasonView[];
}

/** The answer when a precondition fails: ONEM was not called, so there is nothing else to show. */
export const preconditionsNotMet = (preconditions: PreconditionResult): PossibilitiesView => ({ preconditions, employer: null, reasons: [] });

/**
 * Groups ONEM's counters per reason, in a fixed order, with labels. The counters are
 * passed through as ONEM computed them (24/012 §9: SIGEDIS does not reinterpret them);
 * a reason is available when ONEM reports months left and no closure for it. The NISS
 * is not echoed.
 */
export const presentPossibilities = (onem: OnemCounters, language: Language): PossibilitiesView => {
  const mentioned = new Set<Reason>([...onem.counters.map((c) => c.reason), ...onem.closures.map((c) => c.reason)]);
  const reasons = REASONS.filter((r) => mentioned.has(r)).map((reason): ReasonView => {
    const remainingMonths: Partial<Record<Regime, number>> = {};
    for (const regime of REGIMES) {
      const counter = onem.counters.find((c) => c.reason === reason && c.regime === regime);
      if (counter) remainingMonths[regime] = counter.remainingMonths;
    }
    const closedBecause = [...new Set(onem.closures.filter((c) => c.reason === reason).map((c) => c.code))].map((code) => ({
      code,
      label: CLOSURE_LABELS[code][language],
    }));
    const available = closedBecause.length === 0 && Object.values(remainingMonths).some((months) => months > 0);
    return { reason, label: REASON_LABELS[reason][language], available, remainingMonths, closedBecause };
  });
  return {
    preconditions: { met: true, failed: [] },
    employer: onem.employerEnterpriseNumber ? { enterpriseNumber: onem.employerEnterpriseNumber } : null,
    reasons,
  };
};
