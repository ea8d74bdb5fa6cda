import { httpHandler } from '../../shared/http/http-handler.js';
import { notImplemented } from '../../shared/http/problem.js';

/** GET /v1/career-break/possibilities (deliberation 24/012). */
export const handler = httpHandler(async () => {
  throw notImplemented('The career-break possibilities lookup', 'issue 4');
});
