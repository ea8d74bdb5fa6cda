import { platform, purposeDeps } from '../../shared/composition/platform.js';
import { belgianDate } from '../../shared/config/clock.js';
import type { Language } from '../../shared/domain/career-break/codes.js';
import { preconditionsNotMet, presentPossibilities } from '../../shared/domain/career-break/present.js';
import { purposeHandler, type PurposeDeps } from '../../shared/http/purpose-handler.js';
import { careerBreakPossibilities } from '../../shared/purposes/career-break.js';
import { readCounters } from './counters.js';

/**
 * GET /v1/career-break/possibilities (deliberation 24/012). The subject is the NISS in
 * the citizen's token. Pre-filter on the career data, then one call to ONEM, whose
 * answer is validated, minimised, grouped and labelled, and never stored (this function
 * has no store: its dependencies hold none).
 */
export const careerBreakDeps = (): PurposeDeps => purposeDeps(careerBreakPossibilities.purpose, platform());

export const createPossibilitiesHandler = (deps: () => PurposeDeps) =>
  purposeHandler(careerBreakPossibilities, {
    deps,
    handle: async ({ principal, sources, now, language: negotiated }) => {
      if (principal.role !== 'citizen') throw new Error('unreachable: the binding admits citizens only');
      const language = (negotiated ?? 'en') as Language;
      const { preconditions, counters } = await readCounters(sources, principal.niss, belgianDate(now));
      const body = counters ? presentPossibilities(counters, language) : preconditionsNotMet(preconditions);
      return { body, headers: { 'content-language': language } };
    },
  });

export const handler = createPossibilitiesHandler(careerBreakDeps);
