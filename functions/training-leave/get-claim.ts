import { purposeHandler } from '../../shared/http/purpose-handler.js';
import { notImplemented } from '../../shared/http/problem.js';
import { readTrainingLeaveClaim } from '../../shared/purposes/catalogue.js';

/** GET /v1/training-leave/claims/{claimId} (deliberation 19/038). */
export const handler = purposeHandler(readTrainingLeaveClaim, async () => {
  throw notImplemented('Reading a training-leave claim', 'issue 5');
});
