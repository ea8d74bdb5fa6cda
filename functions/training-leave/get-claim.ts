import { platform, purposeDeps } from '../../shared/composition/platform.js';
import type { ClaimRepository } from '../../shared/domain/training-leave/ports.js';
import { purposeHandler, type PurposeDeps } from '../../shared/http/purpose-handler.js';
import { readTrainingLeaveClaim } from '../../shared/purposes/catalogue.js';
import { ClaimStore } from '../../shared/storage/claims.js';

/**
 * GET /v1/training-leave/claims/{claimId} (deliberation 19/038). The three DWSE teams see
 * the claim, the decision and its reasons; the claiming employer sees the outcome of its
 * own claims (the binding's output lists decide which fields); anyone else a 404. The
 * middleware loads the claim and checks its owner before this function runs.
 */
export interface GetClaimDeps extends PurposeDeps {
  claims: Pick<ClaimRepository, 'get'>;
}

export const getClaimDeps = (): GetClaimDeps => {
  const p = platform();
  return {
    ...purposeDeps(readTrainingLeaveClaim.purpose, p),
    claims: new ClaimStore(p.doc, p.config.tables.claims, readTrainingLeaveClaim.purpose, p.pseudonymiser, p.clock),
  };
};

export const createGetClaimHandler = (deps: () => GetClaimDeps) =>
  purposeHandler(readTrainingLeaveClaim, {
    deps,
    load: (input, { claims }) => claims.get(input.path.claimId),
    handle: async ({ resource }) => {
      const { requestHash: _internal, ...visible } = resource;
      return { body: visible };
    },
  });

export const handler = createGetClaimHandler(getClaimDeps);
