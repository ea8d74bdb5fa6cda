/**
 * `npm run claims:redrive`: moves the claim dead-letter queue's messages back to the claim
 * queue, once the cause (a source down, a school year without figures) is fixed. In the cloud
 * this is SQS's own message move task:
 *   aws sqs start-message-move-task --source-arn <ARN of bcss-exchanges-<stage>-claims-dlq>
 * Locally the queue emulator's move task copies without deleting (measured: the messages stay
 * in the DLQ), so the move is done here: receive, send to the claim queue, delete, until the
 * DLQ is empty. Safe to run twice, and beside the sweeper: the consumer decides a claim once,
 * however often its id arrives. Talks to the local cloud on the port variables of `npm start`.
 *
 * Container mode (DATABASE_URL set, or `-- --container`): the claim dead-letter queue of the
 * container runtime's pg-boss queue (PGBOSS_SCHEMA, CLAIM_QUEUE_NAME) on that database; the
 * jobs go back to the claim queue with a fresh retry count.
 */
import { DeleteMessageBatchCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { localEndpoints } from './endpoints.js';
import { loadServiceDefinition } from './service-definition.js';

export const redriveDeadLetters = async (sqs: SQSClient, deadLetterUrl: string, queueUrl: string): Promise<{ moved: number }> => {
  let moved = 0;
  for (let empty = 0; empty < 2; ) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: deadLetterUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: empty === 0 ? 0 : 1, VisibilityTimeout: 30 }),
    );
    if (Messages.length === 0) {
      empty++;
      continue;
    }
    empty = 0;
    // Sent before it is deleted: a crash in between leaves a copy in the DLQ (moved again next time), never a loss.
    const { Failed = [] } = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), MessageBody: m.Body! })) }),
    );
    const sent = Messages.filter((_, i) => !Failed.some((f) => f.Id === String(i)));
    if (sent.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: deadLetterUrl, Entries: sent.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }),
      );
    }
    moved += sent.length;
    if (Failed.length > 0) throw new Error(`${Failed.length} message(s) could not be sent back (${Failed[0]?.Code ?? 'unknown'}); they stay in the DLQ`);
  }
  return { moved };
};

/** The container runtime's dead letters back to its claim queue, through pg-boss (no schedule, no worker of its own). */
const redriveContainer = async (): Promise<void> => {
  const { PgBoss } = await import('pg-boss');
  const { readContainerConfig } = await import('../shared/config/env.js');
  const { redriveClaims, deadLetterQueueOf } = await import('../shared/storage/postgres/claim-queue.js');
  const settings = readContainerConfig();
  if (!settings.databaseUrl) throw new Error('container mode needs DATABASE_URL (the start summary of npm run serve prints it)');
  const boss = new PgBoss({ connectionString: settings.databaseUrl, schema: settings.queueSchema, schedule: false, supervise: false });
  boss.on('error', () => {});
  await boss.start();
  try {
    const { moved } = await redriveClaims(boss, settings.claimQueueName);
    const dlq = deadLetterQueueOf(settings.claimQueueName);
    console.log(moved === 0 ? `${dlq} is empty: nothing to move` : `${moved} claim(s) moved from ${dlq} back to ${settings.claimQueueName}`);
  } finally {
    await boss.stop({ graceful: false, close: true });
  }
};

if (import.meta.url === `file://${process.argv[1]}` && (process.env.DATABASE_URL || process.argv.includes('--container'))) {
  try {
    await redriveContainer();
  } catch (error) {
    console.error(`redrive failed: ${(error as Error).message}`);
    process.exitCode = 1;
  }
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const definition = await loadServiceDefinition('local');
  const dlq = definition.queues.find((q) => q.logicalId === 'ClaimDeadLetterQueue');
  const queue = definition.queues.find((q) => q.logicalId === 'ClaimQueue');
  if (!dlq || !queue) throw new Error('serverless.yml declares no ClaimQueue / ClaimDeadLetterQueue');
  const sqs = new SQSClient({
    region: 'eu-west-1',
    endpoint: localEndpoints().AWS_ENDPOINT_URL_SQS,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const url = async (name: string) => (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
    const { moved } = await redriveDeadLetters(sqs, await url(dlq.queueName), await url(queue.queueName));
    console.log(moved === 0 ? `${dlq.queueName} is empty: nothing to move` : `${moved} message(s) moved from ${dlq.queueName} back to ${queue.queueName}`);
  } catch (error) {
    console.error(`redrive failed (is the local cloud running?): ${(error as Error).message}`);
    process.exitCode = 1;
  } finally {
    sqs.destroy();
  }
}
