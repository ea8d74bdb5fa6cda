import { randomInt, randomUUID } from 'node:crypto';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { sweepWaitingClaims } from '../../functions/training-leave/sweep-waiting-claims.js';
import { redriveDeadLetters } from '../../local/redrive.js';
import { createClaimConsumer } from '../../functions/training-leave/evaluate-claims.js';
import { PurposeSources } from '../../shared/sources/purpose-sources.js';
import { createSourceClients } from '../../shared/sources/source-clients.js';
import { InMemoryAudit } from '../support/fakes.js';
import { lambdaContext, sqsRecord } from '../support/lambda.js';
import { createDocumentClient } from '../../shared/aws/clients.js';
import { InvalidCursorError } from '../../shared/domain/training-leave/ports.js';
import { trainingLeaveReimbursement } from '../../shared/purposes/catalogue.js';
import { SqsClaimQueue } from '../../shared/storage/claim-queue.js';
import { ClaimStore, type StoredClaim } from '../../shared/storage/claims.js';
import { targetClients } from '../support/aws.js';
import { inProcessCipher } from '../support/cipher.js';
import { testPseudonymiser } from '../support/pseudonymiser.js';
import { queueHelpers } from '../support/queues.js';
import { targetValue } from '../support/target.js';
import type { RuleRow } from '../../shared/domain/effective-dated.js';
import { SCHOOL_YEAR_PARAMETERS, type SchoolYearParameters } from '../../shared/domain/training-leave/rules.js';

// The rule table of this file only (vitest isolates each file's modules): a test adds the
// 2026-27 row as a deploy would, and takes it out again.
vi.mock('../../shared/domain/training-leave/rules.js', async (original) => {
  const actual = await original<typeof import('../../shared/domain/training-leave/rules.js')>();
  return { ...actual, SCHOOL_YEAR_PARAMETERS: [...actual.SCHOOL_YEAR_PARAMETERS] };
});

// The claim lists on DynamoDB Local's indexes: order, pages, filters, cursors.
const { dynamodb } = targetClients();
const doc = createDocumentClient(dynamodb);
afterAll(() => dynamodb.destroy());
const cipher = inProcessCipher();
const store = new ClaimStore(doc, targetValue('CLAIMS_TABLE'), trainingLeaveReimbursement, { pseudonymiser: testPseudonymiser(), cipher });
/** A stored claim with its NISS opened, as the consumer and the withdrawal take it. */
const opened = async (claims: ClaimStore, claimId: string) => claims.open((await claims.get(claimId))!);

/** An enterprise number of this run's own, so other files' claims stay out of its list. */
const enterprise = () => `0${String(randomInt(100_000_000, 999_999_999))}`;

const make = async (employer: string, n: number, over: (i: number) => Partial<StoredClaim> = () => ({})) => {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const claim: StoredClaim = {
      claimId: randomUUID(),
      status: 'RECEIVED',
      submittedAt: new Date(Date.UTC(2024, 10, 1, 8, i)).toISOString(),
      requestHash: 'list-test',
      employerEnterpriseNumber: employer,
      workerNiss: '85073003328',
      schoolYear: '2024-2025',
      training: { id: 'ODB-12345', startDate: '2024-10-01', endDate: '2025-06-30' },
      hoursByMonth: { '2024-10': 1 },
      ...over(i),
    };
    await store.create(claim);
    ids.push(claim.claimId);
  }
  return ids;
};

const all = async (query: Parameters<ClaimStore['list']>[0]) => {
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await store.list({ ...query, ...(cursor ? { cursor } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(query.limit);
    seen.push(...page.items.map((c) => c.claimId));
    cursor = page.next;
    pages++;
  } while (cursor && pages < 50);
  return { seen, pages };
};

describe('claim lists on the indexes', () => {
  it('pages through an employer’s claims newest first, each once, without index attributes in the items', async () => {
    const employer = enterprise();
    const ids = await make(employer, 7);
    const { seen, pages } = await all({ employerEnterpriseNumber: employer, limit: 3 });
    expect(seen).toEqual([...ids].reverse());
    expect(pages).toBe(3);
    const [first] = (await store.list({ employerEnterpriseNumber: employer, limit: 1 })).items;
    expect(Object.keys(first!).filter((k) => k.startsWith('list') || k === 'pk' || k === 'sk' || k === 'expiresAt')).toEqual([]);
  });

  it('fills a page through the filter (DynamoDB limits before filtering) and ends without an empty page', async () => {
    const employer = enterprise();
    const ids = await make(employer, 9, (i) => (i % 3 === 0 ? { status: 'DECIDED' } : { schoolYear: i % 3 === 1 ? '2024-2025' : '2025-2026' }));
    const decided = ids.filter((_, i) => i % 3 === 0).reverse();
    const page = await store.list({ employerEnterpriseNumber: employer, status: 'DECIDED', limit: 3 });
    expect(page.items.map((c) => c.claimId)).toEqual(decided);
    expect(page.next).toBeUndefined();
    const year = await all({ employerEnterpriseNumber: employer, schoolYear: '2025-2026', limit: 2 });
    expect(year.seen).toEqual(ids.filter((_, i) => i % 3 === 2).reverse());
  });

  it('lists all claims for DWSE across employers, newest first', async () => {
    const [a, b] = [enterprise(), enterprise()];
    const early = await make(a, 1, () => ({ submittedAt: '2099-01-01T00:00:00.000Z' }));
    const late = await make(b, 1, () => ({ submittedAt: '2099-01-02T00:00:00.000Z' }));
    const page = await store.list({ limit: 2 });
    expect(page.items.map((c) => c.claimId)).toEqual([...late, ...early]);
  });

  it('refuses a cursor from another employer’s list, from the other index, or made up', async () => {
    const [a, b] = [enterprise(), enterprise()];
    await make(a, 3);
    await make(b, 3);
    const ofA = (await store.list({ employerEnterpriseNumber: a, limit: 1 })).next!;
    const ofAll = (await store.list({ limit: 1 })).next!;
    await expect(store.list({ employerEnterpriseNumber: b, limit: 1, cursor: ofA })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(store.list({ employerEnterpriseNumber: a, limit: 1, cursor: ofAll })).rejects.toBeInstanceOf(InvalidCursorError);
    const forged = Buffer.from(JSON.stringify({ pk: 'WORKER#x', sk: 'LEDGER#x', listOrder: 'x', listEmployer: `EMPLOYER#${a}` })).toString('base64url');
    for (const cursor of ['', 'e30', forged, '%%%', Buffer.from('[1]').toString('base64url')]) {
      await expect(store.list({ employerEnterpriseNumber: a, limit: 1, cursor }), cursor).rejects.toBeInstanceOf(InvalidCursorError);
    }
  });
});

describe('withdrawal against a decision at the same moment', () => {
  it('exactly one wins, many times over: the claim ends WITHDRAWN with no ledger posting, or DECIDED and the withdrawal is refused', async () => {
    const outcomes = { withdrawn: 0, decided: 0 };
    for (let round = 0; round < 12; round++) {
      const [claimId] = await make(enterprise(), 1);
      const claim = await opened(store, claimId!);
      const sealed = (await store.get(claimId!))!;
      const training = claim.training.id;
      const [withdrawal, decision] = await Promise.all([
        store.withdraw(sealed, new Date()),
        (async () => {
          const read = await store.approvedSoFar(claim);
          return store
            .decide(claim, {
              outcome: 'APPROVED',
              approvedHours: 1,
              decidedAt: new Date().toISOString(),
              reasons: [],
              ledger: [{ bound: 'TRAINING', scope: `${training}-${randomUUID()}`, limitHours: 10, alreadyApprovedHours: 0, hours: 1 }],
            } as never)
            .then((result) => ({ result, read }));
        })(),
      ]);
      const final = (await store.get(claimId!))!;
      if (final.status === 'WITHDRAWN') {
        outcomes.withdrawn++;
        expect(withdrawal.outcome).toBe('WITHDRAWN');
        expect(decision.result).toBe('ALREADY_DECIDED');
        expect(final.decision).toBeUndefined();
      } else {
        outcomes.decided++;
        expect(final.status).toBe('DECIDED');
        expect(decision.result).toBe('DECIDED');
        expect(withdrawal.outcome).toBe('TOO_LATE');
      }
    }
    expect(outcomes.withdrawn + outcomes.decided).toBe(12);
  });
});

describe('claims never stuck', () => {
  const { sqs } = targetClients();
  const queues = queueHelpers(sqs);
  afterAll(() => sqs.destroy());

  it('the sweeper puts back on the queue every claim still waiting past its threshold, and only those; twice is harmless', async () => {
    const queue = await queues.queuePair({ visibility: 30 });
    const employer = enterprise();
    const [old, recent, decided, withdrawn] = await make(employer, 4, (i) => ({
      submittedAt: new Date(Date.now() - (i === 1 ? 10 : 3_600) * 1000).toISOString(),
    }));
    const decidedClaim = await opened(store, decided!);
    await store.approvedSoFar(decidedClaim);
    expect(
      await store.decide(decidedClaim, { outcome: 'REJECTED', approvedHours: 0, decidedAt: new Date().toISOString(), reasons: [], ledger: [] } as never),
    ).toBe('DECIDED');
    expect((await store.withdraw((await store.get(withdrawn!))!, new Date())).outcome).toBe('WITHDRAWN');

    const deps = { claims: store, queue: new SqsClaimQueue(() => sqs, queue.url) };
    // Other files' waiting claims (older) come first: a limit past all of them.
    const first = await sweepWaitingClaims(deps, new Date(), 300, 100_000);
    const again = await sweepWaitingClaims(deps, new Date(), 300, 100_000);
    const mine = async () => {
      // Every message (other files' waiting claims are swept into this queue too), until it is empty.
      const bodies: string[] = [];
      for (let i = 0, empty = 0; i < 500 && empty < 2; i++) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: empty === 0 ? 0 : 1 }),
        );
        empty = Messages.length === 0 ? empty + 1 : 0;
        bodies.push(...Messages.map((m) => JSON.parse(m.Body!).claimId as string));
      }
      return bodies.filter((id) => [old, recent, decided, withdrawn].includes(id));
    };
    expect(await mine()).toEqual([old, old]);
    // Other files' waiting claims are swept too (into this queue only); this file's are counted exactly above.
    expect(first.requeued).toBeGreaterThanOrEqual(1);
    expect(again.requeued).toBeGreaterThanOrEqual(1);
  });
});

describe('claims:redrive', () => {
  const { sqs } = targetClients();
  const queues = queueHelpers(sqs);
  afterAll(() => sqs.destroy());

  it('moves dead-lettered claim ids back to the claim queue, leaving the DLQ empty', async () => {
    const queue = await queues.queuePair({ visibility: 1, maxReceiveCount: 1 });
    await queues.send(queue.url, [JSON.stringify({ claimId: 'a' }), JSON.stringify({ claimId: 'b' })]);
    // Received once and not deleted: with maxReceiveCount 1 both go to the DLQ once visible again.
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (let i = 0; i < 30 && (await queues.deadLettered(queue.dlqUrl)) < 2; i++) {
      await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await queues.deadLettered(queue.dlqUrl)).toBe(2);
    expect(await redriveDeadLetters(sqs, queue.dlqUrl, queue.url)).toEqual({ moved: 2 });
    const { Messages: left = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect(left).toEqual([]);
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }));
    expect(Messages.map((m) => JSON.parse(m.Body!).claimId).sort()).toEqual(['a', 'b']);
    await sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: queue.url, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }),
    );
  });
});

describe('a claim for a training still running: provisional decision, then settlement (DynamoDB Local, fake sources)', () => {
  // Worker 88050512358 attended 20 of the 120 contact hours of ODB-40001 (October to June).
  const WORKER = '88050512358';
  const sources = new PurposeSources(trainingLeaveReimbursement, createSourceClients(targetValue('SOURCES_BASE_URL')));
  const run = async (pseudonymiser: ReturnType<typeof testPseudonymiser>, claimId: string, at: string) => {
    const claims = new ClaimStore(doc, targetValue('CLAIMS_TABLE'), trainingLeaveReimbursement, { pseudonymiser, cipher });
    const handler = createClaimConsumer(() => ({ claims, sources, audit: new InMemoryAudit(), clock: () => new Date(at) }));
    const { batchItemFailures } = await handler({ Records: [sqsRecord(JSON.stringify({ claimId }))] }, lambdaContext());
    expect(batchItemFailures).toEqual([]);
    return opened(claims, claimId);
  };
  const submit = async (pseudonymiser: ReturnType<typeof testPseudonymiser>) => {
    const claims = new ClaimStore(doc, targetValue('CLAIMS_TABLE'), trainingLeaveReimbursement, { pseudonymiser, cipher });
    const claim: StoredClaim = {
      claimId: randomUUID(),
      status: 'RECEIVED',
      submittedAt: '2024-12-10T10:00:00.000Z',
      requestHash: 'settlement-test',
      employerEnterpriseNumber: '0403170701',
      workerNiss: WORKER,
      schoolYear: '2024-2025',
      training: { id: 'ODB-40001', startDate: '2024-10-01', endDate: '2025-06-30' },
      hoursByMonth: { '2024-10': 10, '2024-11': 10 },
    };
    await claims.create(claim);
    return { claims, claim };
  };

  it('approves the hours attended so far in December (final: false), then settles in July as rejected, with the correction kept and the hours released', async () => {
    // A ledger of this test's own (its own key): the worker's other claims stay apart.
    const pseudonymiser = testPseudonymiser({ t1: `settle-${randomUUID()}` });
    const { claims, claim } = await submit(pseudonymiser);
    const provisional = await run(pseudonymiser, claim.claimId, '2024-12-15T10:00:00Z');
    expect(provisional.decision).toMatchObject({ outcome: 'APPROVED', approvedHours: 20, final: false });
    expect((await claims.approvedSoFar(provisional)).training).toBe(20);
    // The sweeper finds it once the training has ended, not before.
    expect(await claims.dueForSettlement('2025-06-30', 1000)).not.toContain(claim.claimId);
    expect(await claims.dueForSettlement('2025-07-01', 1000)).toContain(claim.claimId);

    const settled = await run(pseudonymiser, claim.claimId, '2025-07-01T10:00:00Z');
    expect(settled.decision).toMatchObject({ outcome: 'REJECTED', approvedHours: 0, final: true });
    expect(settled.corrections).toEqual([
      {
        at: '2025-07-01T10:00:00.000Z',
        reason: expect.stringMatching(/Settled after the end of the training/),
        previous: expect.objectContaining({ outcome: 'APPROVED', approvedHours: 20 }),
      },
    ]);
    expect((await claims.approvedSoFar(settled)).training).toBe(0);
    expect(await claims.dueForSettlement('2025-07-01', 1000)).not.toContain(claim.claimId);
    // Delivered again: settled once, nothing moves.
    const again = await run(pseudonymiser, claim.claimId, '2025-07-02T10:00:00Z');
    expect(again.decision).toEqual(settled.decision);
    expect(again.corrections).toHaveLength(1);
  });

  it('a provisionally decided claim can be withdrawn: its hours go back to the ledger; a settled one cannot', async () => {
    const pseudonymiser = testPseudonymiser({ t1: `withdraw-${randomUUID()}` });
    const { claims, claim } = await submit(pseudonymiser);
    const provisional = await run(pseudonymiser, claim.claimId, '2024-12-15T10:00:00Z');
    expect((await claims.approvedSoFar(provisional)).schoolYear).toBe(20);
    const { outcome, claim: withdrawn } = await claims.withdraw((await claims.get(provisional.claimId))!, new Date('2024-12-20T10:00:00Z'));
    expect([outcome, withdrawn.status]).toEqual(['WITHDRAWN', 'WITHDRAWN']);
    const after = await opened(claims, claim.claimId);
    expect(after.decision).toBeUndefined();
    expect(after.corrections?.[0]).toMatchObject({ reason: expect.stringMatching(/Withdrawn/), previous: { approvedHours: 20 } });
    // The school year emptied: it forgets the maximum its (withdrawn) first decision set.
    expect(await claims.approvedSoFar(after)).toEqual({ schoolYear: 0, training: 0, quarters: { '2024-Q4': 0 } });
    expect((await claims.approvedSoFar(after)).training).toBe(0);
    // The consumer and the settlement leave it alone.
    expect((await run(pseudonymiser, claim.claimId, '2025-07-01T10:00:00Z')).status).toBe('WITHDRAWN');
    expect(await claims.dueForSettlement('2025-07-01', 1000)).not.toContain(claim.claimId);

    // A provisional claim whose ledger item is gone (expired, purged) is still withdrawn: nothing below 0 is released.
    const third = await submit(pseudonymiser);
    const thirdDecided = await run(pseudonymiser, third.claim.claimId, '2024-12-15T10:00:00Z');
    const trainingItem = `LEDGER#TRAINING#ODB-40001`;
    const pk = `WORKER#${await pseudonymiser.subject(WORKER)}`;
    await doc.send(new DeleteCommand({ TableName: targetValue('CLAIMS_TABLE'), Key: { pk, sk: trainingItem } }));
    expect((await claims.withdraw((await claims.get(thirdDecided.claimId))!, new Date('2024-12-21T10:00:00Z'))).outcome).toBe('WITHDRAWN');

    const second = await submit(pseudonymiser);
    await run(pseudonymiser, second.claim.claimId, '2024-12-15T10:00:00Z');
    const settled = await run(pseudonymiser, second.claim.claimId, '2025-07-01T10:00:00Z');
    expect((await claims.withdraw((await claims.get(settled.claimId))!, new Date('2025-07-02T10:00:00Z'))).outcome).toBe('TOO_LATE');
  });
});

describe('a claim for a school year without published figures (DynamoDB Local, the real queue, the fake sources)', () => {
  const { sqs } = targetClients();
  const queues = queueHelpers(sqs);
  const sources = new PurposeSources(trainingLeaveReimbursement, createSourceClients(targetValue('SOURCES_BASE_URL')));
  const row: RuleRow<SchoolYearParameters> = {
    from: '2026-09-01',
    to: '2027-08-31',
    value: { referenceMonth: 'MARCH_BEFORE_SCHOOL_YEAR', minimumFraction: 0.5, hoursPerYear: 125, hourlyForfait: '21.30', filingDeadlineMonths: 3 },
    source: 'test: the 2026-27 figures, as a deploy would bring them',
  };
  afterEach(() => {
    const table = SCHOOL_YEAR_PARAMETERS as RuleRow<SchoolYearParameters>[];
    if (table.includes(row)) table.splice(table.indexOf(row), 1);
  });
  afterAll(() => sqs.destroy());

  it('waits in the table, swept only when its next attempt is due or its figures land, then decided once like any claim', async () => {
    const queue = await queues.queuePair({ visibility: 30 });
    const t0 = Date.now();
    const at = (minutes: number) => new Date(t0 + minutes * 60_000);
    const [claimId] = await make(enterprise(), 1, () => ({
      submittedAt: at(-60).toISOString(),
      schoolYear: '2026-2027',
      training: { id: 'ODB-12345', startDate: '2026-10-01', endDate: '2027-03-31' },
      hoursByMonth: { '2026-10': 2 },
    }));
    const deps = { claims: store, queue: new SqsClaimQueue(() => sqs, queue.url) };
    /** This claim's messages on the queue (other files' due claims are swept into it too), the queue drained. */
    const swept = async (now: Date) => {
      await sweepWaitingClaims(deps, now, 300, 100_000);
      const ids: string[] = [];
      for (let i = 0, empty = 0; i < 500 && empty < 2; i++) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: empty === 0 ? 0 : 1 }),
        );
        empty = Messages.length === 0 ? empty + 1 : 0;
        ids.push(...Messages.map((m) => JSON.parse(m.Body!).claimId as string));
        if (Messages.length > 0)
          await sqs.send(
            new DeleteMessageBatchCommand({ QueueUrl: queue.url, Entries: Messages.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle! })) }),
          );
      }
      return ids.filter((id) => id === claimId);
    };
    const deliver = async (now: Date) => {
      const handler = createClaimConsumer(() => ({ claims: store, sources, audit: new InMemoryAudit(), clock: () => now }));
      const { batchItemFailures } = await handler({ Records: [sqsRecord(JSON.stringify({ claimId }))] }, lambdaContext());
      expect(batchItemFailures).toEqual([]);
    };

    // Never tried (its message lost): swept as any claim; tried, it waits an hour.
    expect(await swept(at(0))).toEqual([claimId]);
    await deliver(at(0));
    expect((await store.get(claimId!))!.waitingFor).toMatchObject({ attempts: 1, nextAttemptAt: at(60).toISOString() });
    expect(await swept(at(30))).toEqual([]);
    expect(await swept(at(61))).toEqual([claimId]);
    await deliver(at(61));
    expect((await store.get(claimId!))!.waitingFor).toMatchObject({ attempts: 2, since: at(0).toISOString(), nextAttemptAt: at(181).toISOString() });
    expect(await swept(at(90))).toEqual([]);
    // A deploy brings the 2026-27 figures: swept at the next run, its back-off not waited out.
    (SCHOOL_YEAR_PARAMETERS as RuleRow<SchoolYearParameters>[]).push(row);
    expect(await swept(at(90))).toEqual([claimId]);
    await deliver(at(90));
    await deliver(at(91));
    const decided = await store.get(claimId!);
    expect(decided).toMatchObject({ status: 'DECIDED', decision: { decidedAt: at(90).toISOString() } });
    expect(decided).not.toHaveProperty('waitingFor');
    expect(await swept(at(2_000))).toEqual([]);
  });
});
