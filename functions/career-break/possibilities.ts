import { belgianDate } from '../../shared/config/clock.js';
import { negotiateLanguage } from '../../shared/domain/career-break/codes.js';
import { evaluatePreconditions } from '../../shared/domain/career-break/prefilter.js';
import { preconditionsNotMet, presentPossibilities } from '../../shared/domain/career-break/present.js';
import { purposeHandler } from '../../shared/http/purpose-handler.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { careerBreakPossibilities } from '../../shared/purposes/catalogue.js';
import { fetchCareer } from '../../shared/sources/career.js';
import { fetchOnemCounters } from '../../shared/sources/onem.js';

/**
 * GET /v1/career-break/possibilities (deliberation 24/012). The subject is the NISS in
 * the citizen's token. Pre-filter on the career data, then one call to ONEM, whose
 * answer is validated, minimised, grouped and labelled, and never stored.
 */
export const handler = purposeHandler(careerBreakPossibilities, async ({ principal, sources, now, headers }) => {
  if (principal.role !== 'citizen') throw new Error('unreachable: the purpose admits citizens only');
  const language = negotiateLanguage(headers['accept-language']);
  const today = belgianDate(now);
  const respond = (body: unknown) => ({ body, headers: { 'content-language': language } });

  const preconditions = evaluatePreconditions({ niss: principal.niss, career: await fetchCareer(sources, principal.niss), today });
  if (!preconditions.met) return respond(preconditionsNotMet(preconditions));

  const counters = await fetchOnemCounters(sources, principal.niss);
  if (!counters) {
    throw new HttpProblem(404, 'UNKNOWN_TO_ONEM', 'Not found', 'ONEM holds no career-break record for you; contact ONEM if you think it should.');
  }
  return respond(presentPossibilities(counters, language));
});
