import { randomUUID } from 'node:crypto';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll } from 'vitest';
import { SqsClaimQueue } from '../../shared/storage/claim-queue.js';
import { ensureClaimQueues, PgBossClaimQueue } from '../../shared/storage/postgres/claim-queue.js';
import { claimQueueContract } from '../contract/claim-queue.contract.js';
import { targetClients } from '../support/aws.js';
import { InMemoryQueue } from '../support/fakes.js';
import { queueHelpers } from '../support/queues.js';
import { targetValue } from '../support/target.js';

// One contract, three queues: the in-memory fake the handler tests use, SQS (the emulator) and
// pg-boss on the suite's PostgreSQL (a schema of this file's own).
const { sqs } = targetClients();
const { queuePair } = queueHelpers(sqs);
const boss = new PgBoss({ connectionString: targetValue('DATABASE_URL'), schema: `pgboss_q${randomUUID().slice(0, 8)}`, max: 3 });
beforeAll(() => boss.start());
afterAll(async () => {
  await boss.stop({ graceful: false });
  sqs.destroy();
});

claimQueueContract('in memory', async () => {
  const queue = new InMemoryQueue();
  return {
    queue,
    received: async () => queue.sent.splice(0).map((claimId) => ({ claimId })),
  };
});

claimQueueContract('SQS', async () => {
  const { url } = await queuePair({ visibility: 30 });
  return {
    queue: new SqsClaimQueue(() => sqs, url),
    received: async () => {
      const bodies: unknown[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        if (Messages.length === 0) return bodies;
        bodies.push(...Messages.map((m) => JSON.parse(m.Body!)));
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
      }
    },
  };
});

claimQueueContract('pg-boss', async () => {
  const name = `claims-${randomUUID().slice(0, 8)}`;
  await ensureClaimQueues(boss, { name, maxReceiveCount: 3, retryDelaySeconds: 1 });
  return {
    queue: new PgBossClaimQueue(() => boss, name),
    received: async () => {
      const bodies: unknown[] = [];
      for (;;) {
        const jobs = await boss.fetch<{ claimId: string }>(name, { batchSize: 50 });
        if (jobs.length === 0) return bodies;
        bodies.push(...jobs.map((j) => j.data));
        await boss.complete(
          name,
          jobs.map((j) => j.id),
        );
      }
    },
  };
});
