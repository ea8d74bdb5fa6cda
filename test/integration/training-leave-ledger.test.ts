import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsEventSource } from '../../local/sqs-event-source.js';
import { createDocumentClient } from '../../shared/aws/clients.js';
import { quarterOf } from '../../shared/domain/calendar.js';
import { inProcessCipher } from '../support/cipher.js';
import { testPseudonymiser } from '../support/pseudonymiser.js';
import { AuditTrail } from '../../shared/audit/audit-trail.js';
import { trainingLeaveReimbursement } from '../../shared/purposes/catalogue.js';
import { ClaimStore, type StoredClaim } from '../../shared/storage/claims.js';
import { PurposeSources } from '../../shared/sources/purpose-sources.js';
import { createSourceClients } from '../../shared/sources/source-clients.js';
import { targetClients } from '../support/aws.js';
import { lambdaContext } from '../support/lambda.js';
import { queueHelpers } from '../support/queues.js';
import { targetEnv, targetValue } from '../support/target.js';

// The ledger under concurrency, through the real queue (local-aws-sqs), two pollers each
// running the consumer on batches of up to 10 records in parallel, DynamoDB Local with its
// transactions, and the fake sources over HTTP. Each run has a hash key of its own, so its
// workers start with an empty ledger. Bounds of the bundled dataset (school year 2024-25,
// employer 0403170701; local/fake-sources/README.md):
const WORKERS = {
  // 80 %: maximum 100 h; ODB-30001 attended 500 h; 250 h under code 5 in 2024-Q4.
  '86041210115': { maximum: 100, trainings: { 'ODB-30001': 500 }, declared: { '2024-Q4': 250 } },
  // Full time: 125 h; ODB-12345 attended 20 h; 20 h under code 5.
  '87091520373': { maximum: 125, trainings: { 'ODB-12345': 20 }, declared: { '2024-Q4': 20 } },
  // Full time: 125 h; two trainings (40 h and 60 h attended) share 50 h under code 5.
  '90022830580': { maximum: 125, trainings: { 'ODB-12345': 40, 'ODB-20001': 60 }, declared: { '2024-Q4': 50 } },
} as const;
type Niss = keyof typeof WORKERS;

const { sqs, dynamodb } = targetClients();
const doc = createDocumentClient(dynamodb);
const { queuePair, send } = queueHelpers(sqs);
let consumer: typeof import('../../functions/training-leave/evaluate-claims.js');
let sources: PurposeSources;

beforeAll(async () => {
  Object.assign(process.env, targetEnv(), { POWERTOOLS_LOG_LEVEL: 'SILENT' });
  consumer = await import('../../functions/training-leave/evaluate-claims.js');
  sources = new PurposeSources(trainingLeaveReimbursement, createSourceClients(targetValue('SOURCES_BASE_URL')));
});
afterAll(() => {
  sqs.destroy();
  dynamodb.destroy();
});

const claimArbitrary = fc.constantFrom(...(Object.keys(WORKERS) as Niss[])).chain((niss) =>
  fc.record({
    niss: fc.constant(niss),
    training: fc.constantFrom(...Object.keys(WORKERS[niss].trainings)),
    // Half hours, 0.5 to 60 h a month, on one to three months of 2024-Q4.
    hoursByMonth: fc.dictionary(
      fc.constantFrom('2024-10', '2024-11', '2024-12'),
      fc.integer({ min: 1, max: 120 }).map((h) => h / 2),
      { minKeys: 1, maxKeys: 3 },
    ),
  }),
);

const runPipeline = async (
  claims: { niss: Niss; training: string; hoursByMonth: Record<string, number> }[],
  duplicates: number,
  hashKey = `ledger-${randomUUID()}`,
) => {
  // A key of each run's own (the consumer's dependencies are given here, not built from the environment): each run has its own ledgers.
  const pseudonymiser = testPseudonymiser({ t1: hashKey });
  const store = new ClaimStore(doc, targetValue('CLAIMS_TABLE'), trainingLeaveReimbursement, { pseudonymiser, cipher: inProcessCipher() });
  const stats = consumer.newLedgerStats();
  const audit = new AuditTrail(doc, targetValue('AUDIT_TABLE'), pseudonymiser);
  const handler = consumer.createClaimConsumer(() => ({ claims: store, sources, audit, clock: () => new Date('2024-11-15T10:00:00Z'), stats }));
  const stored: StoredClaim[] = claims.map((c) => ({
    claimId: randomUUID(),
    status: 'RECEIVED',
    submittedAt: '2024-11-15T10:00:00.000Z',
    requestHash: 'ledger-test',
    employerEnterpriseNumber: '0403170701',
    workerNiss: c.niss,
    schoolYear: '2024-2025',
    training: { id: c.training, startDate: '2024-10-01', endDate: '2025-06-30' },
    hoursByMonth: c.hoursByMonth,
  }));
  await Promise.all(stored.map((c) => store.create(c)));
  const queue = await queuePair({ visibility: 2, maxReceiveCount: 5 });
  const bodies = [...stored, ...stored.slice(0, duplicates)].map((c) => JSON.stringify({ claimId: c.claimId }));
  for (let i = 0; i < bodies.length; i += 10) await send(queue.url, bodies.slice(i, i + 10));
  const pollers = [1, 2].map(
    () =>
      new SqsEventSource({
        sqs,
        queueUrl: queue.url,
        queueArn: queue.arn,
        region: 'eu-west-1',
        batchSize: 10,
        batchWindowSeconds: 0,
        reportBatchItemFailures: true,
        idleWaitSeconds: 1,
        invoke: (event) => handler(event, lambdaContext()),
      }),
  );
  for (const p of pollers) p.start();
  let decided: StoredClaim[] = [];
  for (let poll = 0; poll < 300; poll++) {
    const read = await Promise.all(stored.map((c) => store.get(c.claimId)));
    decided = await Promise.all(read.filter((c) => c?.status === 'DECIDED').map((c) => store.open(c!)));
    if (decided.length === stored.length) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await Promise.all(pollers.map((p) => p.stop()));
  return { store, stored, decided, stats };
};

describe('training-leave ledger under concurrency', () => {
  it('never approves past a bound, decides every claim once, and the ledger adds up (property, through the queue)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(claimArbitrary, { minLength: 4, maxLength: 16 }), fc.nat({ max: 3 }), async (claims, duplicates) => {
        const { store, stored, decided, stats } = await runPipeline(claims, duplicates);
        // None lost, none decided twice (a second decision would have posted to the ledger twice).
        expect(decided).toHaveLength(stored.length);
        expect(stats.decided).toBe(stored.length);

        const sum = (filter: (c: StoredClaim) => boolean, hours: (c: StoredClaim) => number) => decided.filter(filter).reduce((s, c) => s + hours(c), 0);
        for (const [niss, bounds] of Object.entries(WORKERS) as [Niss, (typeof WORKERS)[Niss]][]) {
          const mine = (c: StoredClaim) => c.workerNiss === niss;
          const year = sum(mine, (c) => c.decision!.approvedHours);
          expect(year).toBeLessThanOrEqual(bounds.maximum);
          for (const [training, attended] of Object.entries(bounds.trainings)) {
            expect(
              sum(
                (c) => mine(c) && c.training.id === training,
                (c) => c.decision!.approvedHours,
              ),
            ).toBeLessThanOrEqual(attended);
          }
          for (const [quarter, declared] of Object.entries(bounds.declared)) {
            const inQuarter = (c: StoredClaim) =>
              Object.entries(c.decision!.approvedHoursByMonth)
                .filter(([m]) => quarterOf(m) === quarter)
                .reduce((s, [, h]) => s + h, 0);
            expect(sum(mine, inQuarter)).toBeLessThanOrEqual(declared);
          }
          // The ledger holds exactly what the decisions approved.
          const sample = stored.find(mine);
          if (sample) expect((await store.approvedSoFar(sample)).schoolYear).toBe(year);
        }
        // Each decision's amount is its hours at the forfait, and what it says it took is what it approved.
        for (const c of decided) {
          expect(Object.values(c.decision!.approvedHoursByMonth).reduce((s, h) => s + h, 0)).toBe(c.decision!.approvedHours);
          for (const p of c.decision!.ledger) expect(p.alreadyApprovedHours + p.hours).toBeLessThanOrEqual(p.limitHours);
        }
      }),
      { numRuns: 4, endOnFailure: true },
    );
  });

  it('ten claims of 50 h at once for a worker whose maximum is 100 h: exactly 100 h approved, the rest refused with the reason', async () => {
    const claims = Array.from({ length: 10 }, () => ({ niss: '86041210115' as const, training: 'ODB-30001', hoursByMonth: { '2024-10': 25, '2024-11': 25 } }));
    // Each run on ledgers of its own; run again (at most 5 times) until the claims met the
    // ledger moving under them, so the race is real whatever else the machine is running.
    let conflicts = 0;
    for (let run = 0; run < 5 && conflicts === 0; run++) {
      const { decided, stats } = await runPipeline(claims, 0);
      expect(decided).toHaveLength(10);
      expect(decided.reduce((s, c) => s + c.decision!.approvedHours, 0)).toBe(100);
      const refused = decided.filter((c) => c.decision!.approvedHours === 0);
      expect(refused).toHaveLength(8);
      for (const c of refused) expect(c.decision!.reasons.map((r) => r.code)).toContain('MAXIMUM_HOURS_EXCEEDED');
      conflicts = stats.conflicts;
    }
    expect(conflicts).toBeGreaterThan(0);
  });

  it('forty claims of 0.5 h at once for one worker all end decided, each paid once (a conflict is another claim committing, so they drain)', async () => {
    const claims = Array.from({ length: 40 }, () => ({ niss: '86041210115' as const, training: 'ODB-30001', hoursByMonth: { '2024-10': 0.5 } }));
    const { decided, stats } = await runPipeline(claims, 0);
    expect(decided).toHaveLength(40);
    expect(decided.reduce((sum, c) => sum + c.decision!.approvedHours, 0)).toBe(20);
    expect(stats.contended).toBe(0);
  });

  it('a ledger item past its retention counts as empty: it is deleted, not left to fail every condition (adversarial review)', async () => {
    const hashKey = `ledger-${randomUUID()}`;
    const pk = `WORKER#${await testPseudonymiser({ t1: hashKey }).subject('87091520373')}`;
    const table = targetValue('CLAIMS_TABLE');
    const longAgo = Math.floor(Date.now() / 1000) - 60;
    await doc.send(
      new PutCommand({ TableName: table, Item: { pk, sk: 'LEDGER#TRAINING#ODB-12345', approvedHundredths: 2000, limitHundredths: 2000, expiresAt: longAgo } }),
    );
    const { decided, stats } = await runPipeline([{ niss: '87091520373', training: 'ODB-12345', hoursByMonth: { '2024-10': 8, '2024-11': 12 } }], 0, hashKey);
    expect(decided[0]?.decision).toMatchObject({ outcome: 'APPROVED', approvedHours: 20 });
    expect(stats.conflicts).toBe(0);
    const { Item } = await doc.send(new GetCommand({ TableName: table, Key: { pk, sk: 'LEDGER#TRAINING#ODB-12345' } }));
    expect(Item).toMatchObject({ approvedHundredths: 2000 });
    expect(Item!.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });

  it('the school year keeps the maximum its first posting set: a posting under another maximum is not recorded', async () => {
    const hashKey = `ledger-${randomUUID()}`;
    const { store, decided } = await runPipeline([{ niss: '86041210115', training: 'ODB-30001', hoursByMonth: { '2024-10': 10 } }], 0, hashKey);
    expect((await store.approvedSoFar(decided[0]!)).schoolYearLimit).toBe(100);
    const next: StoredClaim = { ...decided[0]!, claimId: randomUUID(), status: 'RECEIVED', decision: undefined };
    await store.create(next);
    const decision = {
      ...decided[0]!.decision!,
      ledger: [{ bound: 'SCHOOL_YEAR' as const, scope: '2024-2025', limitHours: 125, alreadyApprovedHours: 10, hours: 5 }],
    };
    expect(await store.decide(next, decision)).toBe('LEDGER_MOVED');
    expect(await store.decide(next, { ...decision, ledger: [{ ...decision.ledger[0]!, limitHours: 100 }] })).toBe('DECIDED');
  });
});
