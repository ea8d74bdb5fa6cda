import '../../shared/composition/niss-cipher.js';
import { type Platform, platform, purposeDeps } from '../../shared/composition/platform.js';
import type { ClaimQueue, ClaimRepository, SealedClaim } from '../../shared/domain/training-leave/ports.js';
import { purposeHandler, type PurposeDeps } from '../../shared/http/purpose-handler.js';
import { problems } from '../../shared/http/problems.js';
import { canonicalJson, derivedId } from '../../shared/http/request-id.js';
import type { Pseudonymiser } from '../../shared/privacy/pseudonymiser.js';
import { submitTrainingLeaveClaim } from '../../shared/purposes/training-leave.js';

/**
 * POST /v1/training-leave/claims (deliberation 19/038). Stores the claim as RECEIVED and
 * queues its id. The same submission twice (same Idempotency-Key, or no key and the same
 * content) makes one claim and answers the same id: the id derives from the employer and
 * the key (or the content), and the claim is created only if absent.
 */
export interface SubmitClaimDeps extends PurposeDeps {
  claims: ClaimRepository;
  queue: ClaimQueue;
  /** Keyed digests: the content holds a NISS, which an unkeyed hash would let anyone recover from the id. */
  pseudonymiser: Pseudonymiser;
}

/** The composition root of this function (on the runtime's platform). */
export const submitClaimDeps = (p: Platform = platform()): SubmitClaimDeps => {
  const base = purposeDeps(submitTrainingLeaveClaim.purpose, p);
  const claims = p.storage.claims(submitTrainingLeaveClaim.purpose);
  return {
    ...base,
    claims,
    // SQS in the cloud, pg-boss in the container: the runtime's choice (shared/composition/).
    queue: p.storage.claimQueue,
    pseudonymiser: p.pseudonymiser,
    // Every first request here seals a NISS: the Encryption SDK's evaluation (about 35 ms of
    // CPU) and the data key start now, beside the key set and the MACs, not after them (on
    // loopback it gains little, BENCHMARKS.md; in AWS each of those is a round trip).
    warmUp: () => {
      base.warmUp?.();
      // A store's warm-up never rejects; were one to, the first seal reports the failure, not the import.
      claims.warmUp?.().catch(() => {});
    },
  };
};

export const createSubmitClaimHandler = (deps: () => SubmitClaimDeps) =>
  purposeHandler(submitTrainingLeaveClaim, {
    deps,
    // The content's digest (a MAC), asked for alongside the worker's subject hash, not after it.
    alongside: ({ body }, { pseudonymiser }) => pseudonymiser.digestUnderEveryKey(canonicalJson(body)),
    handle: async ({ input, now }, { claims, queue, pseudonymiser }) => {
      const body = input.body;
      const key = input.headers['idempotency-key'];
      const content = canonicalJson(body);
      const [requestHash, ...underOlderKeys] = await pseudonymiser.digestUnderEveryKey(content);
      const idFor = (digest: string) =>
        derivedId('training-leave-claim', body.employerEnterpriseNumber, key === undefined ? `content:${digest}` : `key:${key}`);
      // Without a key the id derives from the content's digest, which changes with the key: the
      // same content sent before a rotation names its claim under the older key.
      if (key === undefined) {
        for (const digest of underOlderKeys) {
          const earlier = await claims.get(idFor(digest));
          if (earlier) return answer(earlier, queue, false);
        }
      }
      const claimId = idFor(requestHash!);
      const { claim, created } = await claims.create({ ...body, claimId, status: 'RECEIVED', submittedAt: now.toISOString(), requestHash: requestHash! });
      // Compared under the key that made the stored digest: a replay across a key rotation is still recognised.
      if (!created && claim.requestHash !== requestHash && !(await pseudonymiser.digestMatches(content, claim.requestHash)))
        throw problems.idempotencyKeyReused();
      return answer(claim, queue, key !== undefined);
    },
  });

/**
 * The answer to a submission, first or replayed. Sent again on a replay while the claim
 * waits: the first send may have failed after the claim was stored. The consumer decides a
 * claim once, however often its id arrives. Not sent for a claim that waits for its school
 * year's figures (`waitingFor`): the consumer has seen it, and each send would count as an
 * attempt, so a client retrying its POST would push the claim's back-off to its maximum; the
 * sweeper sends it when it is due. A replay that names a withdrawn claim is a 409: a 202
 * would tell a client that checks the status that it had filed again.
 */
const answer = async (claim: SealedClaim, queue: ClaimQueue, byKey: boolean) => {
  if (claim.status === 'WITHDRAWN') throw problems.claimWithdrawn(claim.claimId, byKey);
  if (claim.status === 'RECEIVED' && !claim.waitingFor) await queue.enqueue(claim.claimId);
  return { status: 202, body: { claimId: claim.claimId, status: claim.status }, headers: { location: `/v1/training-leave/claims/${claim.claimId}` } };
};

export const handler = createSubmitClaimHandler(() => submitClaimDeps());
