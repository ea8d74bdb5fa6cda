import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { platform } from '../../shared/composition/platform.js';
import type { ClaimQueueWithBatch } from '../../shared/composition/storage.js';
import { belgianDate, now } from '../../shared/config/clock.js';
import { settings } from '../../shared/config/env.js';
import { once } from '../../shared/config/once.js';
import type { ClaimRepository } from '../../shared/domain/training-leave/ports.js';
import { logger } from '../../shared/observability/logger.js';
import type { FieldCipher } from '../../shared/privacy/field-cipher.js';
import { type MacService, Pseudonymiser } from '../../shared/privacy/pseudonymiser.js';
import { trainingLeaveReimbursement } from '../../shared/purposes/training-leave.js';
import { figuresPublished } from '../../shared/domain/training-leave/waiting.js';

/**
 * Scheduled (every 5 minutes): queues the provisional decisions whose training has ended, for
 * settlement, and puts back on the claim queue every claim still waiting for its decision
 * that is due:
 * - never postponed, `CLAIM_SWEEP_AFTER_SECONDS` (default 300) after its submission — its
 *   message was lost, never sent (the submit function stored the claim, then failed to send),
 *   or dead-lettered after a source outage;
 * - postponed by the consumer (its school year had no published figures), once its next
 *   attempt is due (back-off: 1 h doubling to 1 day), or at once when the rule table now has
 *   its school year's figures (a deploy added the row): checked per school year waited for,
 *   before its claims are read, so they do not wait out their back-off.
 * Only ids travel; the consumer decides a claim once however often its id arrives, so running
 * this twice, or beside a redrive, is harmless. Reads the `claimsWaiting` index (the claims
 * not yet decided or withdrawn), never a scan. An operator may invoke it with
 * `{ "olderThanSeconds": 0 }` (the local cloud does at start, since its queue emulator keeps
 * nothing across a restart): every claim never postponed is queued; the postponed ones wait
 * for their next attempt as always (they have no message to lose).
 */
const MAX_PER_RUN = 1_000;

const NO_HASHING: MacService = {
  versions: ['none'],
  mac: async () => {
    throw new Error('the sweeper hashes no subject');
  },
};

const NO_CIPHER: FieldCipher = {
  seal: async () => {
    throw new Error('the sweeper seals no NISS');
  },
  open: async () => {
    throw new Error('the sweeper opens no NISS');
  },
};

const deps = once(() => {
  const p = platform();
  return {
    // Reads ids only: no personal data is read, none is written, no subject is hashed, no NISS opened.
    claims: p.storage.claims(trainingLeaveReimbursement, { pseudonymiser: new Pseudonymiser(NO_HASHING), cipher: NO_CIPHER }),
    queue: p.storage.claimQueue,
  };
});

export interface SweepDeps {
  claims: Pick<ClaimRepository, 'waiting' | 'dueForSettlement'>;
  queue: Pick<ClaimQueueWithBatch, 'enqueueAll'>;
  /** Whether a school year's figures are in force (the rule table; injected by tests). */
  figuresPublished?: (schoolYear: string) => boolean;
}

export const sweepWaitingClaims = async (
  { claims, queue, figuresPublished: published = figuresPublished }: SweepDeps,
  now: Date,
  olderThanSeconds: number,
  limit = MAX_PER_RUN,
): Promise<{ requeued: number; toSettle: number }> => {
  // The two sweeps read different indexes and queue different claims: one after the other, a
  // run waited a round of shard queries longer (each index is read on every shard). Both are
  // let finish before the run answers (a failure of one is the run's): no work left running
  // past the handler's answer, which Lambda would freeze into the next invocation.
  const [waiting, settling] = await Promise.allSettled([
    // Lost messages first (oldest first), then the postponed claims due; more than `limit` are taken by the next runs.
    (async () => {
      const ids = await claims.waiting({ submittedBefore: new Date(now.getTime() - olderThanSeconds * 1000), now, figuresPublished: published }, limit);
      await queue.enqueueAll(ids);
      if (ids.length > 0) logger.warn('claims still waiting put back on the queue', { requeued: ids.length, olderThanSeconds });
      return ids.length;
    })(),
    // Provisional decisions whose training has ended: the consumer settles each (once).
    (async () => {
      const due = await claims.dueForSettlement(belgianDate(now), limit);
      await queue.enqueueAll(due);
      if (due.length > 0) logger.info('provisional decisions queued for settlement', { toSettle: due.length });
      return due.length;
    })(),
  ]);
  if (waiting.status === 'rejected') throw waiting.reason;
  if (settling.status === 'rejected') throw settling.reason;
  return { requeued: waiting.value, toSettle: settling.value };
};

export const handler = middy<{ olderThanSeconds?: unknown } | undefined, { requeued: number; toSettle: number }>({ timeoutEarlyInMillis: 0 })
  .use(injectLambdaContext(logger, { clearState: true }))
  .handler(async (event) => {
    const fromEvent = Number(event?.olderThanSeconds);
    const olderThan = Number.isFinite(fromEvent) && fromEvent >= 0 ? fromEvent : settings().claimSweepAfterSeconds;
    // The scenario clock locally (LOCAL_CLOCK), the wall clock in the cloud.
    return sweepWaitingClaims(deps(), now(), olderThan);
  });
