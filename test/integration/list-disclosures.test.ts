import { randomUUID } from 'node:crypto';
import type { BatchWriteItemCommandInput, BatchWriteItemCommandOutput } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { AUDIT_BY_SUBJECT_INDEX, AUDIT_RETENTION, AuditTrail } from '../../shared/audit/audit-trail.js';
import { createDocumentClient } from '../../shared/aws/clients.js';
import { BATCH_WRITE_LIMIT, RetentionRepository, UnprocessedWritesError } from '../../shared/storage/retention-repository.js';
import { targetClients } from '../support/aws.js';
import { testPseudonymiser } from '../support/pseudonymiser.js';
import { targetValue } from '../support/target.js';

// A list's per-person audit records (recordDisclosures) on DynamoDB Local: in BatchWriteItem
// calls of 25, what DynamoDB leaves unprocessed sent again, each record in its person's log.
const { dynamodb } = targetClients();
afterAll(() => dynamodb.destroy());

/**
 * DynamoDB Local never throttles. This client middleware plays DynamoDB under throttling:
 * on the next `hold` BatchWriteItem calls it sends only the first half of the writes and
 * answers the rest as UnprocessedItems, as DynamoDB does. It also counts the calls.
 */
const calls: number[] = [];
const faults = { hold: 0, held: 0, always: false };
dynamodb.middlewareStack.add(
  (next, context) => async (args) => {
    if (context.commandName !== 'BatchWriteItemCommand') return next(args);
    const input = args.input as BatchWriteItemCommandInput;
    const [table, writes] = Object.entries(input.RequestItems ?? {})[0]!;
    calls.push(writes.length);
    if (faults.always) return { output: { UnprocessedItems: { [table]: writes }, $metadata: {} }, response: {} };
    if (faults.hold <= 0) return next(args);
    faults.hold--;
    faults.held++;
    const unprocessed = writes.splice(Math.ceil(writes.length / 2));
    const result = await next(args);
    (result.output as BatchWriteItemCommandOutput).UnprocessedItems = { [table]: unprocessed };
    return result;
  },
  { step: 'serialize', priority: 'high', name: 'playThrottledBatchWrites' },
);
const doc = createDocumentClient(dynamodb);

const TABLE = () => targetValue('AUDIT_TABLE');
const entry = () => ({
  purpose: 'TRAINING_LEAVE_REIMBURSEMENT',
  deliberation: '19/038',
  requestId: randomUUID(),
  actorRole: 'dwse',
  actorOrganisation: 'DWSE:competenties',
  outcome: 'ALLOWED' as const,
  status: 200,
});
/** `n` people, under a key of this test's own: no other test's records share their hashes. */
const people = (n: number) => Array.from({ length: n }, (_, i) => String(80_000_000_000 + i));
const trail = () => new AuditTrail(doc, TABLE(), testPseudonymiser({ v1: randomUUID() }), () => new Date('2026-03-02T09:00:00Z'));

/** Runs `fn` with the calls counted from zero and the given faults. */
const counting = async (set: Partial<typeof faults>, fn: () => Promise<unknown>) => {
  calls.length = 0;
  Object.assign(faults, { hold: 0, held: 0, always: false }, set);
  try {
    await fn();
  } finally {
    faults.always = false;
  }
};

describe('the per-person records of a list', () => {
  it('writes 130 people (a few twice) in at most ceil(n/25) BatchWriteItem calls, each in their own log with the request’s fields', async () => {
    const audit = trail();
    const listed = people(130);
    const request = entry();
    await counting({}, () =>
      audit.recordDisclosures(
        request,
        [...listed, ...listed.slice(0, 7)].map((niss) => ({ niss })),
      ),
    );
    expect(calls.length).toBeLessThanOrEqual(Math.ceil(130 / BATCH_WRITE_LIMIT));
    expect(Math.max(...calls)).toBeLessThanOrEqual(BATCH_WRITE_LIMIT);
    // One record per distinct person: the seven named twice are written once.
    expect(calls.reduce((a, b) => a + b, 0)).toBe(130);
    const logs = await Promise.all(listed.map((niss) => audit.accessesTo(niss, { limit: 10 })));
    for (const log of logs)
      expect(log).toEqual({
        items: [
          {
            at: '2026-03-02T09:00:00.000Z',
            purpose: 'TRAINING_LEAVE_REIMBURSEMENT',
            deliberation: '19/038',
            actorRole: 'dwse',
            actorOrganisation: 'DWSE:competenties',
            outcome: 'ALLOWED',
            listed: true,
          },
        ],
      });
  });

  it('sends again what DynamoDB left unprocessed, until every record is written', async () => {
    const audit = trail();
    const listed = people(110);
    await counting({ hold: 3 }, () =>
      audit.recordDisclosures(
        entry(),
        listed.map((niss) => ({ niss })),
      ),
    );
    expect(faults.held).toBe(3);
    // One more call for each call that left writes unprocessed; nothing written twice or lost.
    expect(calls.length).toBe(Math.ceil(110 / BATCH_WRITE_LIMIT) + faults.held);
    const logs = await Promise.all(listed.map((niss) => audit.accessesTo(niss, { limit: 10 })));
    expect(logs.map((l) => l.items.length)).toEqual(listed.map(() => 1));
  });

  it('gives up after a bounded number of calls when DynamoDB keeps leaving writes unprocessed', async () => {
    const repository = new RetentionRepository(doc, TABLE(), { id: 'AUDIT_TRAIL', retention: AUDIT_RETENTION });
    const items = Array.from({ length: 30 }, (_, i) => ({ pk: `AUDIT#GIVE_UP#${randomUUID()}`, sk: `2026-03-02T09:00:00.000Z#r#L${i}` }));
    const errors: unknown[] = [];
    await counting({ always: true }, () => repository.putBatch(items, { maxAttempts: 3, baseDelayMs: 1 }).catch((e: unknown) => void errors.push(e)));
    const [error] = errors;
    expect(error).toBeInstanceOf(UnprocessedWritesError);
    expect(error).toMatchObject({ unprocessed: 30 });
    // Two batches (25 + 5), three calls each, then no more.
    expect(calls.sort((a, b) => a - b)).toEqual([5, 5, 5, 25, 25, 25]);
  });

  it('keeps them as long as any access record, under unique sort keys the access log’s cursor accepts', async () => {
    const pseudonymiser = testPseudonymiser({ v1: randomUUID() });
    let clock = Date.parse('2026-03-02T09:00:00Z');
    const tick = () => {
      clock += 1000;
      return new Date(clock);
    };
    const audit = new AuditTrail(doc, TABLE(), pseudonymiser, tick);
    const [worker, other] = people(2) as [string, string];
    const request = entry();
    await audit.recordDisclosures(request, [{ niss: worker }, { niss: other }]);
    await audit.record({ ...entry(), actorRole: 'employer', actorOrganisation: '0403170701', subjectNiss: worker });
    const { Items = [] } = await doc.send(
      new QueryCommand({
        TableName: TABLE(),
        IndexName: AUDIT_BY_SUBJECT_INDEX,
        KeyConditionExpression: 'subjectHash = :h',
        ExpressionAttributeValues: { ':h': await pseudonymiser.subject(worker) },
      }),
    );
    expect(Items.map((i) => i.sk)).toEqual([`2026-03-02T09:00:01.000Z#${request.requestId}#L0`, expect.stringMatching(/^2026-03-02T09:00:02.000Z#[^#]+$/)]);
    const tenYears = (Date.parse('2036-03-02T09:00:01Z') - Date.parse('2026-03-02T09:00:01Z')) / 1000;
    expect(Items[0]!.expiresAt - Date.parse('2026-03-02T09:00:01Z') / 1000).toBe(tenYears);
    // Page by page across a list's record: the cursor is its sort key.
    const first = await audit.accessesTo(worker, { limit: 1 });
    expect(first.items).toEqual([expect.objectContaining({ actorRole: 'employer' })]);
    expect(first.items[0]).not.toHaveProperty('listed');
    const second = await audit.accessesTo(worker, { limit: 1, cursor: first.next! });
    expect(second).toEqual({ items: [expect.objectContaining({ actorRole: 'dwse', listed: true })] });
    expect((await audit.accessesTo(other, { limit: 10 })).items).toEqual([expect.objectContaining({ listed: true })]);
  });
});
