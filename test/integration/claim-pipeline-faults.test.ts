import { randomUUID } from 'node:crypto';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsEventSource } from '../../local/sqs-event-source.js';
import { createDocumentClient } from '../../shared/aws/clients.js';
import { targetCipher } from '../support/cipher.js';
import { freshSubjectHashKeys, targetPseudonymiser } from '../support/pseudonymiser.js';
import { trainingLeaveReimbursement } from '../../shared/purposes/catalogue.js';
import { ClaimStore, type StoredClaim } from '../../shared/storage/claims.js';
import { targetClients } from '../support/aws.js';
import { seeded, startFaultProxy, type FaultProxy } from '../support/dynamodb-fault-proxy.js';
import { lambdaContext } from '../support/lambda.js';
import { queueHelpers } from '../support/queues.js';
import { isExternalTarget, targetEnv, targetValue } from '../support/target.js';
import { setFault } from '../support/fake-sources.js';

// Faults all at once on the claim pipeline: DynamoDB throttling (a third of the consumer's
// requests), the consumer killed after some batches (its work done, its answer lost), poison
// messages, a claim that cannot be decided, and DMFA going down for a while. Assert: every
// claim ends decided or in the dead-letter queue (one without published figures: postponed in
// the table, or dead-lettered by the faults), and no claim is decided twice.
describe.skipIf(isExternalTarget())('claim pipeline under faults', () => {
  const { sqs, dynamodb } = targetClients();
  const { queuePair, remaining } = queueHelpers(sqs);
  let direct: ClaimStore;
  let proxy: FaultProxy;
  let handler: (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

  beforeAll(async () => {
    proxy = await startFaultProxy(targetValue('AWS_ENDPOINT_URL_DYNAMODB'));
    // A KMS key of this file's own: its workers' ledger is apart from other files'.
    const subjectHashKeys = await freshSubjectHashKeys('pipeline-faults');
    direct = new ClaimStore(createDocumentClient(dynamodb), targetValue('CLAIMS_TABLE'), trainingLeaveReimbursement, {
      pseudonymiser: targetPseudonymiser(subjectHashKeys),
      cipher: targetCipher(),
    });
    // The consumer, and only it, reaches DynamoDB through the proxy.
    Object.assign(process.env, targetEnv(), { POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint, SUBJECT_HASH_KEYS: subjectHashKeys });
    ({ handler } = (await import('../../functions/training-leave/evaluate-claims.js')) as never);
  });
  afterAll(async () => {
    await setFault('dmfa', 'ok');
    await proxy.close();
    sqs.destroy();
    dynamodb.destroy();
  });

  it('loses nothing and decides nothing twice', async () => {
    const queue = await queuePair({ visibility: 1, maxReceiveCount: 3 });
    const claim = (workerNiss: string, over: Partial<StoredClaim> = {}): StoredClaim => ({
      claimId: randomUUID(),
      status: 'RECEIVED',
      submittedAt: '2024-11-15T10:00:00.000Z',
      requestHash: 'fault-test',
      employerEnterpriseNumber: '0403170701',
      workerNiss,
      schoolYear: '2024-2025',
      training: { id: 'ODB-12345', startDate: '2024-10-01', endDate: '2025-03-31' },
      hoursByMonth: { '2024-10': 1 },
      ...over,
    });
    const workers = ['85073003328', '84050550577', '79030330326', '83040440483', '91011715490', '75092106174'];
    const decidable = Array.from({ length: 24 }, (_, i) => claim(workers[i % workers.length]!));
    const undecidable = [
      claim('85073003328', {
        schoolYear: '2026-2027',
        training: { id: 'ODB-12345', startDate: '2026-10-01', endDate: '2027-03-31' },
        hoursByMonth: { '2026-10': 1 },
      }),
    ];
    for (const c of [...decidable, ...undecidable]) await direct.create(c);
    const poison = ['not json', '{"claimId":"not-a-uuid"}', JSON.stringify({ claimId: randomUUID() })];
    const bodies = [...[...decidable, ...undecidable].map((c) => JSON.stringify({ claimId: c.claimId })), ...poison];
    // A second message for some claims, as a double submission would send.
    bodies.push(...decidable.slice(0, 4).map((c) => JSON.stringify({ claimId: c.claimId })));
    for (let i = 0; i < bodies.length; i += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: bodies.slice(i, i + 10).map((MessageBody, j) => ({ Id: String(j), MessageBody })),
        }),
      );
    }

    proxy.throttle = 1 / 3;
    const kill = seeded(7);
    let invocations = 0;
    let killed = 0;
    const source = new SqsEventSource({
      sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      region: 'eu-west-1',
      batchSize: 5,
      batchWindowSeconds: 0,
      reportBatchItemFailures: true,
      idleWaitSeconds: 1,
      invoke: async (event) => {
        invocations++;
        // DMFA is down for the 3rd to the 5th invocation.
        if (invocations === 3) await setFault('dmfa', 'down');
        if (invocations === 6) await setFault('dmfa', 'ok');
        const response = await handler(event, lambdaContext());
        // Killed after doing its work: Lambda loses the answer and SQS redelivers the whole batch.
        if (kill() < 0.25) {
          killed++;
          throw new Error('consumer killed mid-batch');
        }
        return response;
      },
    });

    // The emulator's ApproximateNumberOfMessages counts in-flight messages too: 0 means the queue is empty.
    const onQueue = async () =>
      Number(
        (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes!
          .ApproximateNumberOfMessages,
      );
    source.start();
    // Bounded by a count of checks; ends when every message has left the queue (handled or dead-lettered).
    for (let i = 0; i < 300 && (await onQueue()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 200));
    await source.stop();
    proxy.throttle = 0;

    // Read the dead-letter queue's bodies.
    const deadBodies: string[] = [];
    for (let round = 0; round < 20; round++) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue.dlqUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60, WaitTimeSeconds: 0 }),
      );
      if (Messages.length === 0) break;
      deadBodies.push(...Messages.map((m) => m.Body!));
    }
    const deadClaimIds = new Set(
      deadBodies.flatMap((b) => {
        try {
          return [JSON.parse(b).claimId as string];
        } catch {
          return [];
        }
      }),
    );
    const statuses = await Promise.all(decidable.map(async (c) => (await direct.get(c.claimId))!.status));

    // Every message is accounted for: its claim decided, or the message in the dead-letter queue.
    expect(await remaining(queue.url)).toBe(0);
    for (const [i, c] of decidable.entries()) expect(statuses[i] === 'DECIDED' || deadClaimIds.has(c.claimId), c.claimId).toBe(true);
    // A school year without figures is postponed, not dead-lettered; only the faults (throttling) may
    // dead-letter its message, and then it is still in the table, due for the sweeper as a message lost.
    for (const c of undecidable) {
      const stored = (await direct.get(c.claimId))!;
      expect(stored.status).toBe('RECEIVED');
      expect(stored.waitingFor !== undefined || deadClaimIds.has(c.claimId), c.claimId).toBe(true);
    }
    for (const body of poison) expect(deadBodies).toContain(body);
    // No claim decided twice: DynamoDB accepted exactly one decision (a transaction with its ledger postings) per decided claim.
    const decided = statuses.filter((s) => s === 'DECIDED').length;
    expect(decided).toBeGreaterThan(decidable.length / 2);
    expect(proxy.succeeded.TransactWriteItems ?? 0).toBe(decided);
    // The faults did happen.
    expect(proxy.throttled).toBeGreaterThan(0);
    expect(killed).toBeGreaterThan(0);
  }, 180_000);
});
