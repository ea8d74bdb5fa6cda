import { httpHandler } from '../../shared/http/http-handler.js';
import { notImplemented } from '../../shared/http/problem.js';

/** POST /v1/premium-checks (deliberation 05/012). */
export const handler = httpHandler(async () => {
  throw notImplemented('The ACS/PTP premium check', 'issue 6');
});
