import type { PgBoss } from 'pg-boss';
import { logger } from '../shared/observability/logger.js';

/**
 * The scheduled functions as pg-boss schedules: one job per occurrence whatever the number
 * of replicas (pg-boss's cron is kept in the database), worked by whichever replica takes
 * it. The sweeper only queues ids (the consumer decides each claim once), the purge deletes
 * what is past its expiry: either run twice would be harmless, once is cheaper.
 */
export interface ScheduledJob {
  /** The queue of its occurrences (a function key, kebab-cased). */
  name: string;
  cron: string;
  run: () => Promise<unknown>;
}

export const SCHEDULE_TIME_ZONE = 'Europe/Brussels';

export const startSchedules = async (boss: PgBoss, jobs: readonly ScheduledJob[]): Promise<void> => {
  for (const job of jobs) {
    if (!(await boss.getQueue(job.name))) await boss.createQueue(job.name, { retryLimit: 0, expireInSeconds: 600 }).catch(() => {});
    await boss.schedule(job.name, job.cron, {}, { tz: SCHEDULE_TIME_ZONE });
    await boss.work(job.name, { batchSize: 1, pollingIntervalSeconds: 5 }, async () => {
      try {
        const result = await job.run();
        logger.info('scheduled job done', { job: job.name, result: result as Record<string, unknown> });
      } catch (error) {
        logger.error('scheduled job failed', { job: job.name, errorName: (error as Error).name, errorMessage: (error as Error).message });
        throw error;
      }
    });
  }
};
