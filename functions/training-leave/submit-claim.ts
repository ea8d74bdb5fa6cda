import { httpHandler } from '../../shared/http/http-handler.js';
import { notImplemented } from '../../shared/http/problem.js';

/** POST /v1/training-leave/claims (deliberation 19/038). */
export const handler = httpHandler(async () => {
  throw notImplemented('Submitting a training-leave claim', 'issue 5');
});
