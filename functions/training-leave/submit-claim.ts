import { purposeHandler } from '../../shared/http/purpose-handler.js';
import { notImplemented } from '../../shared/http/problem.js';
import { submitTrainingLeaveClaim } from '../../shared/purposes/catalogue.js';

/** POST /v1/training-leave/claims (deliberation 19/038). */
export const handler = purposeHandler(submitTrainingLeaveClaim, async () => {
  throw notImplemented('Submitting a training-leave claim', 'issue 5');
});
