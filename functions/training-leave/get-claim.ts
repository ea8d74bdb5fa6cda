import { purposeHandler } from '../../shared/http/purpose-handler.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { readTrainingLeaveClaim } from '../../shared/purposes/catalogue.js';
import { claimStore } from '../../shared/storage/claim-store-instance.js';

/**
 * GET /v1/training-leave/claims/{claimId} (deliberation 19/038). The three DWSE teams see
 * the claim, the decision and its reasons; the claiming employer sees the outcome of its
 * own claims (the purpose's output lists decide which fields); anyone else a 404.
 */
export const handler = purposeHandler(readTrainingLeaveClaim, async ({ input, authorizeResource }) => {
  const claim = await claimStore().get(input.path.claimId);
  if (!claim) throw new HttpProblem(404, 'NOT_FOUND', 'Not found', 'No such resource.');
  authorizeResource({ enterpriseNumber: claim.employerEnterpriseNumber, niss: claim.workerNiss });
  const { requestHash, ...visible } = claim;
  void requestHash;
  return { body: visible };
});
