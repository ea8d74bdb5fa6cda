import { httpHandler } from '../../shared/http/http-handler.js';
import { notImplemented } from '../../shared/http/problem.js';

/** GET /v1/training-leave/claims/{claimId} (deliberation 19/038). */
export const handler = httpHandler(async () => {
  throw notImplemented('Reading a training-leave claim', 'issue 5');
});
