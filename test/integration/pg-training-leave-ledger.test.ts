import { randomBytes, randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createClaimConsumer, newLedgerStats } from '../../functions/training-leave/evaluate-claims.js';
import { quarterOf } from '../../shared/domain/calendar.js';
import type { Claim } from '../../shared/domain/training-leave/ports.js';
import { trainingLeaveReimbursement } from '../../shared/purposes/catalogue.js';
import { PurposeSources } from '../../shared/sources/purpose-sources.js';
import { createSourceClients } from '../../shared/sources/source-clients.js';
import { PgClaimStore } from '../../shared/storage/postgres/claims.js';
import { createPool } from '../../shared/storage/postgres/pool.js';
import { inProcessCipher } from '../support/cipher.js';
import { InMemoryAudit } from '../support/fakes.js';
import { lambdaContext, sqsRecord } from '../support/lambda.js';
import { testPseudonymiser } from '../support/pseudonymiser.js';
import { targetValue } from '../support/target.js';

// The ledger under concurrency on PostgreSQL: the real consumer, two "replicas" (two
// PgClaimStore instances on two pools), batches of up to 5 records handled in parallel and
// several batches at once, the fake sources over HTTP. A failed record is delivered again,
// as SQS would after its visibility timeout. Each run has a hash key of its own, so its
// workers start with an empty ledger. Bounds of the bundled dataset (school year 2024-25,
// employer 0403170701; local/fake-sources/README.md), as in training-leave-ledger.test.ts:
const WORKERS = {
  '86041210115': { maximum: 100, trainings: { 'ODB-30001': 500 }, declared: { '2024-Q4': 250 } },
  '87091520373': { maximum: 125, trainings: { 'ODB-12345': 20 }, declared: { '2024-Q4': 20 } },
  '90022830580': { maximum: 125, trainings: { 'ODB-12345': 40, 'ODB-20001': 60 }, declared: { '2024-Q4': 50 } },
} as const;
type Niss = keyof typeof WORKERS;

const pools = [createPool(targetValue('DATABASE_URL')), createPool(targetValue('DATABASE_URL'))];
const sources = new PurposeSources(trainingLeaveReimbursement, createSourceClients(targetValue('SOURCES_BASE_URL')));
afterAll(() => Promise.all(pools.map((p) => p.end())));

const claimArbitrary = fc.constantFrom(...(Object.keys(WORKERS) as Niss[])).chain((niss) =>
  fc.record({
    niss: fc.constant(niss),
    training: fc.constantFrom(...Object.keys(WORKERS[niss].trainings)),
    hoursByMonth: fc.dictionary(
      fc.constantFrom('2024-10', '2024-11', '2024-12'),
      fc.integer({ min: 1, max: 120 }).map((h) => h / 2),
      { minKeys: 1, maxKeys: 3 },
    ),
  }),
);

const batchesOf = <T>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

const runPipeline = async (claims: { niss: Niss; training: string; hoursByMonth: Record<string, number> }[], duplicates: number) => {
  const pseudonymiser = testPseudonymiser({ t1: `pg-ledger-${randomUUID()}` });
  const material = randomBytes(32);
  const clock = () => new Date('2024-11-15T10:00:00Z');
  const replicas = pools.map((pool) => new PgClaimStore(pool, trainingLeaveReimbursement, { pseudonymiser, cipher: inProcessCipher(material) }, clock));
  const stats = replicas.map(() => newLedgerStats());
  const handlers = replicas.map((claims, i) => createClaimConsumer(() => ({ claims, sources, audit: new InMemoryAudit(), clock, stats: stats[i] })));
  const stored: Claim[] = claims.map((c) => ({
    claimId: randomUUID(),
    status: 'RECEIVED',
    submittedAt: '2024-11-15T10:00:00.000Z',
    requestHash: 'pg-ledger-test',
    employerEnterpriseNumber: '0403170701',
    workerNiss: c.niss,
    schoolYear: '2024-2025',
    training: { id: c.training, startDate: '2024-10-01', endDate: '2025-06-30' },
    hoursByMonth: c.hoursByMonth,
  }));
  await Promise.all(stored.map((c, i) => replicas[i % 2]!.create(c)));
  let pending: SQSRecord[] = [...stored, ...stored.slice(0, duplicates)].map((c) => sqsRecord(JSON.stringify({ claimId: c.claimId })));
  // Every batch (of up to 5, so both replicas get several) at once, alternately on each replica; the records that fail come again.
  for (let round = 0; round < 10 && pending.length > 0; round++) {
    const results = await Promise.all(batchesOf(pending, 5).map((Records, i) => handlers[i % 2]!({ Records }, lambdaContext())));
    const failed = new Set(results.flatMap((r) => r.batchItemFailures.map((f) => f.itemIdentifier)));
    pending = pending.filter((r) => failed.has(r.messageId));
  }
  const decided = await Promise.all(stored.map(async (c) => replicas[0]!.open((await replicas[0]!.get(c.claimId))!)));
  return { replicas, stored, decided, stats, pending };
};

describe('training-leave ledger under concurrency on PostgreSQL (the real consumer, two replicas)', () => {
  it('never approves past a bound, decides every claim once, and the ledger adds up (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(claimArbitrary, { minLength: 4, maxLength: 16 }), fc.nat({ max: 3 }), async (claims, duplicates) => {
        const { replicas, stored, decided, stats, pending } = await runPipeline(claims, duplicates);
        expect(pending).toEqual([]);
        expect(decided.map((c) => c.status)).toEqual(stored.map(() => 'DECIDED'));
        // None decided twice: a second decision would have been counted (and posted) twice.
        expect(stats.reduce((sum, s) => sum + s.decided, 0)).toBe(stored.length);

        const sum = (filter: (c: Claim) => boolean, hours: (c: Claim) => number) => decided.filter(filter).reduce((s, c) => s + hours(c), 0);
        for (const [niss, bounds] of Object.entries(WORKERS) as [Niss, (typeof WORKERS)[Niss]][]) {
          const mine = (c: Claim) => c.workerNiss === niss;
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
            const inQuarter = (c: Claim) =>
              Object.entries(c.decision!.approvedHoursByMonth)
                .filter(([m]) => quarterOf(m) === quarter)
                .reduce((s, [, h]) => s + h, 0);
            expect(sum(mine, inQuarter)).toBeLessThanOrEqual(declared);
          }
          // The ledger holds exactly what the decisions approved, whichever replica reads it.
          const sample = stored.find(mine);
          if (sample) for (const replica of replicas) expect((await replica.approvedSoFar(sample)).schoolYear).toBe(year);
        }
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
    const { decided, stats, pending } = await runPipeline(claims, 2);
    expect(pending).toEqual([]);
    expect(decided.reduce((s, c) => s + c.decision!.approvedHours, 0)).toBe(100);
    const refused = decided.filter((c) => c.decision!.approvedHours === 0);
    expect(refused).toHaveLength(8);
    for (const c of refused) expect(c.decision!.reasons.map((r) => r.code)).toContain('MAXIMUM_HOURS_EXCEEDED');
    expect(stats.reduce((sum, s) => sum + s.decided, 0)).toBe(10);
    // The race was real: claims met the ledger moving under them.
    expect(stats.reduce((sum, s) => sum + s.conflicts, 0)).toBeGreaterThan(0);
  });
});
