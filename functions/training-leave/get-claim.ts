import { platform, purposeDeps } from '../../shared/composition/platform.js';
import type { ClaimRepository, SealedClaim } from '../../shared/domain/training-leave/ports.js';
import { purposeHandler, type PurposeDeps } from '../../shared/http/purpose-handler.js';
import { readTrainingLeaveClaim } from '../../shared/purposes/catalogue.js';
import { discloses } from '../../shared/purposes/purpose.js';

/**
 * GET /v1/training-leave/claims/{claimId} (deliberation 19/038). The three DWSE teams see
 * the claim, the decision and its reasons; the claiming employer sees the outcome of its
 * own claims (the binding's output lists decide which fields); anyone else a 404. The
 * middleware loads the claim and checks its owner before this function runs. The worker's
 * NISS is opened only for a role whose answer includes it (DWSE), never for the employer.
 */
export interface GetClaimDeps extends PurposeDeps {
  claims: Pick<ClaimRepository, 'get' | 'open'>;
}

/** What a reader may be shown of a stored claim: never the request hash, the subject hash or the sealed NISS. */
export const visibleClaim = async (claim: SealedClaim, withNiss: boolean, claims: Pick<ClaimRepository, 'open'>) => {
  const { requestHash: _internal, workerSubject: _subject, workerNissSealed: _sealed, ledgerItems: _items, ...visible } = claim;
  return withNiss ? { ...visible, workerNiss: (await claims.open(claim)).workerNiss } : visible;
};

export const getClaimDeps = (): GetClaimDeps => {
  const p = platform();
  return {
    ...purposeDeps(readTrainingLeaveClaim.purpose, p),
    claims: p.storage.claims(readTrainingLeaveClaim.purpose),
  };
};

export const createGetClaimHandler = (deps: () => GetClaimDeps) =>
  purposeHandler(readTrainingLeaveClaim, {
    deps,
    load: (input, { claims }) => claims.get(input.path.claimId),
    handle: async ({ resource, principal }, { claims }) => ({
      body: await visibleClaim(resource, discloses(readTrainingLeaveClaim, principal.role, 'workerNiss'), claims),
    }),
  });

export const handler = createGetClaimHandler(getClaimDeps);
