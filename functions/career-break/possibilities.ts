import { purposeHandler } from '../../shared/http/purpose-handler.js';
import { notImplemented } from '../../shared/http/problem.js';
import { careerBreakPossibilities } from '../../shared/purposes/catalogue.js';

/** GET /v1/career-break/possibilities (deliberation 24/012). */
export const handler = purposeHandler(careerBreakPossibilities, async () => {
  throw notImplemented('The career-break possibilities lookup', 'issue 4');
});
