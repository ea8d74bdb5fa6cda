import type { Job, JobResult, PgBoss } from 'pg-boss';
import { logger } from '../shared/observability/logger.js';
import { PoisonMessageError, type QueueRecord } from '../shared/queue/purpose-consumer.js';

/**
 * The pg-boss front door of the claim consumer: jobs taken in batches, each handed to the
 * same consumer core as an SQS record (its id, its body, which delivery it is), each
 * settled on its own, as `ReportBatchItemFailures` does: done, retried with back-off by the
 * queue's policy, or (a message that can never be processed) dead-lettered at once.
 */
export interface ClaimWorkerSettings {
  queue: string;
  batchSize: number;
  concurrency: number;
  pollSeconds: number;
}

/** A job as the core takes it: its retry count is the deliveries before this one. */
export const fromJob = (job: Job<object>): QueueRecord => ({ id: job.id, body: JSON.stringify(job.data), attempt: job.retryCount + 1 });

/** What became of one job; the failure's name only (its message may name a claim, never a person, but it stays out of the table). */
export const settle = async (job: Job<object>, process: (record: QueueRecord) => Promise<void>): Promise<JobResult> => {
  try {
    await process(fromJob(job));
    return { id: job.id, status: 'completed' };
  } catch (error) {
    const name = (error as Error).name;
    const poison = error instanceof PoisonMessageError;
    logger.warn(poison ? 'claim message dead-lettered: it can never be processed' : 'claim message failed; retried by the queue', {
      jobId: job.id,
      attempt: job.retryCount + 1,
      errorName: name,
    });
    return { id: job.id, status: poison ? 'deadletter' : 'failed', output: { error: name } };
  }
};

export const startClaimWorker = (boss: PgBoss, settings: ClaimWorkerSettings, process: (record: QueueRecord) => Promise<void>): Promise<string> =>
  boss.work<object>(
    settings.queue,
    {
      batchSize: settings.batchSize,
      localConcurrency: settings.concurrency,
      pollingIntervalSeconds: settings.pollSeconds,
      burstWhenBatchFull: true,
      perJobResults: true,
    },
    // The records of a batch run in parallel, as in the Lambda consumer.
    async (jobs) => Promise.all(jobs.map((job) => settle(job, process))),
  );
