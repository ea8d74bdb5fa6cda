import type { PgBoss, Queue } from 'pg-boss';
import type { ClaimQueue } from '../../domain/training-leave/ports.js';

/**
 * The claim queue on PostgreSQL, for the container runtime: pg-boss (its own schema, which
 * it creates and migrates at start), only the claim id travelling, as on SQS. Retries with
 * exponential back-off, then the dead-letter queue, as SQS's redrive policy does:
 * `maxReceiveCount` deliveries in all, so `retryLimit = maxReceiveCount - 1`.
 */
export interface ClaimQueueSettings {
  name: string;
  /** Deliveries of one job before it is dead-lettered (SQS maxReceiveCount). */
  maxReceiveCount: number;
  /** The first retry's delay; doubled per retry, with jitter (retryBackoff). */
  retryDelaySeconds: number;
  /** An active job not settled after this long is delivered again (SQS's visibility timeout). */
  expireInSeconds?: number;
}

export const deadLetterQueueOf = (name: string): string => `${name}-dlq`;

/** The queue's options: what a delivery may cost and where it goes when all have failed. */
export const claimQueueOptions = (settings: ClaimQueueSettings): Omit<Queue, 'name'> => ({
  deadLetter: deadLetterQueueOf(settings.name),
  retryLimit: settings.maxReceiveCount - 1,
  retryDelay: settings.retryDelaySeconds,
  retryBackoff: true,
  retryDelayMax: 300,
  expireInSeconds: settings.expireInSeconds ?? 60,
  // Kept 14 days waiting, as SQS keeps a message at most (MessageRetentionPeriod).
  retentionSeconds: 14 * 24 * 3600,
  // Workers are woken by LISTEN/NOTIFY when a claim is queued, not only by their polling
  // (measured: polling alone held the pipeline to about one batch per interval).
  notify: true,
});

/** Creates the claim queue and its dead-letter queue, or brings an existing one to these settings (replicas may race: both are idempotent). */
export const ensureClaimQueues = async (boss: PgBoss, settings: ClaimQueueSettings): Promise<void> => {
  const dlq = deadLetterQueueOf(settings.name);
  if (!(await boss.getQueue(dlq))) await boss.createQueue(dlq, { retentionSeconds: 14 * 24 * 3600 }).catch(ignoreExisting);
  const options = claimQueueOptions(settings);
  if (await boss.getQueue(settings.name)) await boss.updateQueue(settings.name, options);
  else await boss.createQueue(settings.name, options).catch(ignoreExisting);
};

/** Another replica created it between our look and our create. */
const ignoreExisting = (error: Error): void => {
  if (!/already exists|duplicate key/i.test(error.message)) throw error;
};

export class PgBossClaimQueue implements ClaimQueue {
  constructor(
    private readonly boss: () => PgBoss,
    private readonly name: string,
  ) {}

  async enqueue(claimId: string): Promise<void> {
    const id = await this.boss().send(this.name, { claimId });
    if (id === null) throw new Error(`claim ${claimId} was not queued`);
  }

  /** All in one insert: all queued, or none (the caller runs again). */
  async enqueueAll(claimIds: readonly string[]): Promise<void> {
    if (claimIds.length === 0) return;
    await this.boss().insert(
      this.name,
      claimIds.map((claimId) => ({ data: { claimId } })),
    );
  }
}

/**
 * Moves the dead-lettered claim ids back to the claim queue (`npm run claims:redrive` in
 * container mode), in pages of 1 000 until none is left. Safe to run twice and beside the
 * sweeper: the consumer decides a claim once, however often its id arrives.
 */
export const redriveClaims = async (boss: PgBoss, name: string): Promise<{ moved: number }> => {
  let moved = 0;
  for (;;) {
    const n = await boss.redrive(deadLetterQueueOf(name), { destination: name, createdBefore: new Date() });
    moved += n;
    if (n === 0) return { moved };
  }
};
