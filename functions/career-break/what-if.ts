import { platform, purposeDeps } from '../../shared/composition/platform.js';
import { belgianDate } from '../../shared/config/clock.js';
import type { Language } from '../../shared/domain/career-break/codes.js';
import { evaluatePlan, planWithoutCounters } from '../../shared/domain/career-break/what-if.js';
import { purposeHandler, type PurposeDeps } from '../../shared/http/purpose-handler.js';
import { careerBreakWhatIf } from '../../shared/purposes/career-break.js';
import { readCounters } from './counters.js';

/**
 * POST /v1/career-break/what-if (deliberation 24/012): the same pre-filter and single ONEM
 * call as the possibilities, then the citizen's plan applied to ONEM's counters with the
 * published rules (shared/domain/career-break/what-if.ts): the possibilities after the plan,
 * whether it fits, why not, its last day. Nothing is stored but the audit record.
 */
export const whatIfDeps = (): PurposeDeps => purposeDeps(careerBreakWhatIf.purpose, platform());

export const createWhatIfHandler = (deps: () => PurposeDeps) =>
  purposeHandler(careerBreakWhatIf, {
    deps,
    handle: async ({ principal, sources, now, input, language: negotiated }) => {
      if (principal.role !== 'citizen') throw new Error('unreachable: the binding admits citizens only');
      const language = (negotiated ?? 'en') as Language;
      const today = belgianDate(now);
      const { preconditions, counters } = await readCounters(sources, principal.niss, today);
      const body = counters ? evaluatePlan(counters, input.body, today, language) : planWithoutCounters(input.body, preconditions, language);
      return { body, headers: { 'content-language': language } };
    },
  });

export const handler = createWhatIfHandler(whatIfDeps);
