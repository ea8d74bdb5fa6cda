import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KMSClient } from '@aws-sdk/client-kms';
import { SqsEventSource } from '../../local/sqs-event-source.js';
import { createDocumentClient } from '../../shared/aws/clients.js';
import { trainingLeaveReimbursement } from '../../shared/purposes/catalogue.js';
import { ClaimStore, type StoredClaim } from '../../shared/storage/claims.js';
import { targetCipher } from '../support/cipher.js';
import { freshSubjectHashKeys, targetPseudonymiser } from '../support/pseudonymiser.js';
import { targetClients } from '../support/aws.js';
import { lambdaContext, sqsRecord } from '../support/lambda.js';
import { queueHelpers } from '../support/queues.js';
import { isExternalTarget, targetEnv, targetValue } from '../support/target.js';
import { setFault } from '../support/fake-sources.js';

// The claim consumer with the real queue (local-aws-sqs), the real table (DynamoDB Local)
// and the fake sources over HTTP. The handler runs in process, as Lambda would run it.
const { sqs, dynamodb } = targetClients();
const doc = createDocumentClient(dynamodb);
const { queuePair, send, remaining, deadLettered } = queueHelpers(sqs);
let handler: (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
let store: ClaimStore;

beforeAll(async () => {
  // A KMS key of this file's own: its workers' ledger is apart from other files' running in parallel.
  const subjectHashKeys = await freshSubjectHashKeys('claim-consumer');
  Object.assign(process.env, targetEnv(), { POWERTOOLS_LOG_LEVEL: 'SILENT', SUBJECT_HASH_KEYS: subjectHashKeys });
  ({ handler } = (await import('../../functions/training-leave/evaluate-claims.js')) as never);
  store = new ClaimStore(doc, targetValue('CLAIMS_TABLE'), trainingLeaveReimbursement, {
    pseudonymiser: targetPseudonymiser(subjectHashKeys),
    cipher: targetCipher(),
  });
});
afterAll(() => {
  sqs.destroy();
  dynamodb.destroy();
});

const storeClaim = async (over: Partial<StoredClaim> = {}): Promise<StoredClaim> => {
  const claim: StoredClaim = {
    claimId: randomUUID(),
    status: 'RECEIVED',
    submittedAt: '2024-11-15T10:00:00.000Z',
    requestHash: 'test',
    employerEnterpriseNumber: '0403170701',
    workerNiss: '85073003328',
    schoolYear: '2024-2025',
    training: { id: 'ODB-12345', startDate: '2024-10-01', endDate: '2025-03-31' },
    hoursByMonth: { '2024-10': 8, '2024-11': 12 },
    ...over,
  };
  await store.create(claim);
  return claim;
};

const record = sqsRecord;
const claimMessage = (claimId: string) => record(JSON.stringify({ claimId }));

describe('claim consumer', () => {
  it('decides a claim: the example claim is approved, 20 h × € 21.30', async () => {
    const claim = await storeClaim();
    const result = await handler({ Records: [claimMessage(claim.claimId)] }, lambdaContext('evaluateTrainingLeaveClaims'));
    expect(result.batchItemFailures).toEqual([]);
    const stored = await store.get(claim.claimId);
    expect(stored).toMatchObject({ status: 'DECIDED', decision: { outcome: 'APPROVED', approvedHours: 20, amount: '426.00', decidedAt: expect.any(String) } });
    expect(stored!.decision!.reasons.length).toBeGreaterThan(5);
  });

  it('reports only the failing record of a batch (partial batch failure)', async () => {
    const good = await storeClaim({ workerNiss: '84050550577' });
    const poison = record('{"not": "a claim"');
    const unknown = claimMessage(randomUUID());
    const result = await handler({ Records: [claimMessage(good.claimId), poison, unknown] }, lambdaContext());
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([poison.messageId, unknown.messageId].sort());
    expect(await store.get(good.claimId)).toMatchObject({ status: 'DECIDED', decision: { outcome: 'PARTIALLY_APPROVED', approvedHours: 10 } });
  });

  it('never decides twice: a redelivered message or a second message for the same claim changes nothing', async () => {
    const claim = await storeClaim();
    await handler({ Records: [claimMessage(claim.claimId)] }, lambdaContext());
    // Mark the stored decision; a second decision would overwrite the mark.
    await doc.send(
      new UpdateCommand({
        TableName: targetValue('CLAIMS_TABLE'),
        Key: { pk: `CLAIM#${claim.claimId}`, sk: 'CLAIM' },
        UpdateExpression: 'SET decision.amount = :mark',
        ExpressionAttributeValues: { ':mark': 'MARK' },
      }),
    );
    const again = await handler({ Records: [claimMessage(claim.claimId), claimMessage(claim.claimId)] }, lambdaContext());
    expect(again.batchItemFailures).toEqual([]);
    expect((await store.get(claim.claimId))!.decision!.amount).toBe('MARK');
  });

  it('asks KMS for no MAC: the subject hash is the one the claim keeps, under the current key', async () => {
    const claim = await storeClaim({ workerNiss: '84050550577' });
    const sent = vi.spyOn(KMSClient.prototype, 'send');
    try {
      const result = await handler({ Records: [claimMessage(claim.claimId)] }, lambdaContext());
      expect(result.batchItemFailures).toEqual([]);
      expect(sent.mock.calls.map(([command]) => command.constructor.name)).not.toContain('GenerateMacCommand');
    } finally {
      sent.mockRestore();
    }
    expect((await store.get(claim.claimId))!.status).toBe('DECIDED');
  });

  describe.skipIf(isExternalTarget())('with a failing source', () => {
    afterEach(() => setFault('bcss-registers', 'ok'));

    it('a source time-out fails only the record that needed it, which stays RECEIVED for the retry', async () => {
      const decided = await storeClaim();
      await handler({ Records: [claimMessage(decided.claimId)] }, lambdaContext());
      const waiting = await storeClaim();
      await setFault('bcss-registers', 'slow', 4_000);
      const waitingMessage = claimMessage(waiting.claimId);
      const result = await handler({ Records: [claimMessage(decided.claimId), waitingMessage] }, lambdaContext());
      expect(result.batchItemFailures).toEqual([{ itemIdentifier: waitingMessage.messageId }]);
      expect((await store.get(waiting.claimId))!.status).toBe('RECEIVED');
      await setFault('bcss-registers', 'ok');
      expect((await handler({ Records: [waitingMessage] }, lambdaContext())).batchItemFailures).toEqual([]);
      expect((await store.get(waiting.claimId))!.status).toBe('DECIDED');
    });
  });

  it('through the real queue: decided claims leave it, a poison message ends in the dead-letter queue, a claim without published figures waits in the table', async () => {
    const queue = await queuePair({ visibility: 1, maxReceiveCount: 2 });
    const claims = await Promise.all([
      storeClaim(),
      storeClaim({
        workerNiss: '80010110104',
        training: { id: 'ODB-20001', startDate: '2024-10-01', endDate: '2025-03-31' },
        hoursByMonth: { '2024-10': 40, '2024-11': 40 },
      }),
    ]);
    const waiting = await storeClaim({
      schoolYear: '2026-2027',
      training: { id: 'ODB-12345', startDate: '2026-10-01', endDate: '2027-03-31' },
      hoursByMonth: { '2026-10': 6 },
    });
    await send(queue.url, [...[...claims, waiting].map((c) => JSON.stringify({ claimId: c.claimId })), 'poison']);
    const source = new SqsEventSource({
      sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      region: 'eu-west-1',
      batchSize: 10,
      batchWindowSeconds: 0,
      reportBatchItemFailures: true,
      invoke: (event) => handler(event, lambdaContext()),
      idleWaitSeconds: 1,
    });
    source.start();
    for (let i = 0; i < 100 && (await deadLettered(queue.dlqUrl)) === 0; i++) await new Promise((r) => setTimeout(r, 200));
    await source.stop();
    expect(await deadLettered(queue.dlqUrl)).toBe(1);
    expect(await remaining(queue.url)).toBe(0);
    for (const claim of claims) expect((await store.get(claim.claimId))!.status).toBe('DECIDED');
    expect((await store.get(claims[1]!.claimId))!.decision).toMatchObject({ outcome: 'PARTIALLY_APPROVED', approvedHours: 75, amount: '1597.50' });
    // Acknowledged, not retried to the dead-letter queue (which holds the poison message only): it waits, saying why.
    expect(await store.get(waiting.claimId)).toMatchObject({
      status: 'RECEIVED',
      waitingFor: { code: 'SCHOOL_YEAR_FIGURES_NOT_PUBLISHED', attempts: 1, since: expect.any(String), nextAttemptAt: expect.any(String) },
    });
  });

  it('a claim without published figures, delivered again, waits twice as long; it is never decided on a guess, and it can still be withdrawn', async () => {
    const claim = await storeClaim({
      schoolYear: '2026-2027',
      training: { id: 'ODB-12345', startDate: '2026-10-01', endDate: '2027-03-31' },
      hoursByMonth: { '2026-10': 2 },
    });
    expect((await handler({ Records: [claimMessage(claim.claimId)] }, lambdaContext())).batchItemFailures).toEqual([]);
    const first = (await store.get(claim.claimId))!.waitingFor!;
    expect((await handler({ Records: [claimMessage(claim.claimId)] }, lambdaContext())).batchItemFailures).toEqual([]);
    const second = (await store.get(claim.claimId))!;
    expect(second.status).toBe('RECEIVED');
    expect(second.waitingFor).toMatchObject({ since: first.since, attempts: 2 });
    expect(second).not.toHaveProperty('decision');
    expect((await store.withdraw(second, new Date())).outcome).toBe('WITHDRAWN');
    const withdrawn = await store.get(claim.claimId);
    expect(withdrawn).toMatchObject({ status: 'WITHDRAWN' });
    expect(withdrawn).not.toHaveProperty('waitingFor');
    expect((await handler({ Records: [claimMessage(claim.claimId)] }, lambdaContext())).batchItemFailures).toEqual([]);
    expect(await store.get(claim.claimId)).toMatchObject({ status: 'WITHDRAWN' });
  });
});
