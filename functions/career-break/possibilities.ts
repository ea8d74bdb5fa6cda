import { platform, purposeDeps } from '../../shared/composition/platform.js';
import { belgianDate } from '../../shared/config/clock.js';
import { LANGUAGES, type Language } from '../../shared/domain/career-break/codes.js';
import { evaluatePreconditions } from '../../shared/domain/career-break/prefilter.js';
import { preconditionsNotMet, presentPossibilities } from '../../shared/domain/career-break/present.js';
import { purposeHandler, type PurposeDeps } from '../../shared/http/purpose-handler.js';
import { problems } from '../../shared/http/problems.js';
import { careerBreakPossibilities } from '../../shared/purposes/catalogue.js';
import { fetchCareer } from '../../shared/sources/career.js';
import { fetchOnemCounters } from '../../shared/sources/onem.js';

/**
 * GET /v1/career-break/possibilities (deliberation 24/012). The subject is the NISS in
 * the citizen's token. Pre-filter on the career data, then one call to ONEM, whose
 * answer is validated, minimised, grouped and labelled, and never stored (this function
 * has no store: its dependencies hold none).
 */
export const careerBreakDeps = (): PurposeDeps => purposeDeps(careerBreakPossibilities.purpose, platform());

// English first: the default when the caller asks for none of the four.
const ANSWER_LANGUAGES = ['en', ...LANGUAGES.filter((l) => l !== 'en')] as const;

export const createPossibilitiesHandler = (deps: () => PurposeDeps) =>
  purposeHandler(careerBreakPossibilities, {
    deps,
    languages: ANSWER_LANGUAGES,
    handle: async ({ principal, sources, now, language: negotiated }) => {
      if (principal.role !== 'citizen') throw new Error('unreachable: the binding admits citizens only');
      const language = (negotiated ?? 'en') as Language;
      const respond = (body: unknown) => ({ body, headers: { 'content-language': language } });

      const preconditions = evaluatePreconditions({ niss: principal.niss, career: await fetchCareer(sources, principal.niss), today: belgianDate(now) });
      if (!preconditions.met) return respond(preconditionsNotMet(preconditions));

      const counters = await fetchOnemCounters(sources, principal.niss);
      if (!counters) throw problems.unknownToOnem();
      return respond(presentPossibilities(counters, language));
    },
  });

export const handler = createPossibilitiesHandler(careerBreakDeps);
