import '../../shared/composition/niss-cipher.js';
import { platform, purposeDeps } from '../../shared/composition/platform.js';
import type { ClaimRepository } from '../../shared/domain/training-leave/ports.js';
import { purposeHandler, type PurposeDeps } from '../../shared/http/purpose-handler.js';
import { problems } from '../../shared/http/problems.js';
import { withdrawTrainingLeaveClaim } from '../../shared/purposes/training-leave.js';

/**
 * POST /v1/training-leave/claims/{claimId}/withdrawal (deliberation 19/038): the claiming
 * employer takes back a claim not finally decided: still waiting, or decided provisionally
 * (its ledger hours are released; the provisional decision is kept as a correction). Safe to
 * repeat (a withdrawn claim answers the same); a final decision answers 409. The withdrawal
 * and a decision or settlement are all conditional on the claim's state, so one wins.
 */
export interface WithdrawClaimDeps extends PurposeDeps {
  claims: Pick<ClaimRepository, 'get' | 'withdraw'>;
}

export const withdrawClaimDeps = (): WithdrawClaimDeps => {
  const p = platform();
  return {
    ...purposeDeps(withdrawTrainingLeaveClaim.purpose, p),
    claims: p.storage.claims(withdrawTrainingLeaveClaim.purpose),
  };
};

export const createWithdrawClaimHandler = (deps: () => WithdrawClaimDeps) =>
  purposeHandler(withdrawTrainingLeaveClaim, {
    deps,
    load: (input, { claims }) => claims.get(input.path.claimId),
    handle: async ({ resource, now }, { claims }) => {
      // A ledger too busy to release the hours answers 503 with Retry-After (problem-error-handler.ts).
      // The employer's withdrawal opens no NISS: a provisional decision's hours are released by the items it named.
      const { outcome, claim } = await claims.withdraw(resource, now);
      if (outcome === 'TOO_LATE') throw problems.claimAlreadyDecided();
      return { body: { claimId: claim.claimId, status: claim.status, withdrawnAt: claim.withdrawnAt } };
    },
  });

export const handler = createWithdrawClaimHandler(withdrawClaimDeps);
