import { afterAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/aws/clients.js';
import type { StoredPremiumCheck } from '../../shared/domain/premium-check/ports.js';
import { checkPremium } from '../../shared/purposes/catalogue.js';
import { RetentionError } from '../../shared/purposes/retention.js';
import { PgPremiumCheckStore } from '../../shared/storage/postgres/premium-checks.js';
import { purgeExpiredRows } from '../../shared/storage/postgres/retention.js';
import { RetentionRepository } from '../../shared/storage/retention-repository.js';
import { createPool } from '../../shared/storage/postgres/pool.js';
import { PremiumCheckStore } from '../../shared/storage/premium-checks.js';
import { aCheck, premiumCheckContract } from '../contract/premium-checks.contract.js';
import { targetClients } from '../support/aws.js';
import { InMemoryPremiumChecks } from '../support/fakes.js';
import { targetValue } from '../support/target.js';

// One contract, every implementation of the port: what the handler tests assume of the fake
// is what DynamoDB and PostgreSQL do.
const { dynamodb } = targetClients();
const doc = createDocumentClient(dynamodb);
const pool = createPool(targetValue('DATABASE_URL'));
afterAll(async () => {
  dynamodb.destroy();
  await pool.end();
});

const inMemory = new Map<string, StoredPremiumCheck>();
premiumCheckContract('in memory (test/support/fakes.ts)', async ({ clock }) => new InMemoryPremiumChecks({ clock, checks: inMemory }), { purges: true });

premiumCheckContract(
  'DynamoDB (PremiumCheckStore)',
  async ({ clock }) => new PremiumCheckStore(doc, targetValue('PREMIUM_CHECKS_TABLE'), checkPremium.purpose, clock),
  {
    purges: false,
  },
);

premiumCheckContract('PostgreSQL (PgPremiumCheckStore)', async ({ clock }) => new PgPremiumCheckStore(pool, checkPremium.purpose, clock), { purges: true });

// What only PostgreSQL can be asked: the rows themselves. In this file, so that no purge of the
// contract runs meanwhile (a file's tests run one after the other).
describe('premium checks on PostgreSQL, row by row', () => {
  it('keeps keys and expiry as columns, the result as jsonb, the worker as a subject hash only, expiring when DynamoDB’s would', async () => {
    const checkedAt = new Date('1986-04-01T12:00:00.000Z');
    const check = aCheck(checkedAt);
    await new PgPremiumCheckStore(pool, checkPremium.purpose, () => checkedAt).save(check);
    const { rows } = await pool.query('SELECT * FROM bcss.premium_checks WHERE check_id = $1', [check.checkId]);
    expect(rows).toEqual([
      {
        check_id: check.checkId,
        checked_at: checkedAt,
        scheme: 'ACS',
        employer_enterprise_number: check.employerEnterpriseNumber,
        worker_subject: check.workerSubject,
        month: check.month,
        result: { outcome: check.outcome, premium: check.premium, findings: check.findings },
        expires_at: new Date(new RetentionRepository(doc, targetValue('PREMIUM_CHECKS_TABLE'), checkPremium.purpose).expiryFor(checkedAt) * 1000),
      },
    ]);
    expect(rows[0].expires_at.toISOString()).toBe('1996-04-01T12:00:00.000Z');
  });

  it('refuses a NISS where the worker’s subject hash goes', async () => {
    const store = new PgPremiumCheckStore(pool, checkPremium.purpose, () => new Date('1986-04-02T00:00:00Z'));
    await expect(store.save(aCheck(new Date('1986-04-01T12:00:00.000Z'), { workerSubject: '85073003328' }))).rejects.toThrow(/check constraint/);
  });

  it('refuses to be built for a purpose that may store nothing', () => {
    expect(() => new PgPremiumCheckStore(pool, { id: 'NOTHING', retention: { kind: 'none', source: 'test' } })).toThrow(RetentionError);
  });

  it('purges in bounded batches until nothing past expiry is left', async () => {
    const checkedAt = new Date('1986-05-01T12:00:00.000Z');
    const store = new PgPremiumCheckStore(pool, checkPremium.purpose, () => checkedAt);
    const checks = Array.from({ length: 5 }, () => aCheck(checkedAt));
    for (const c of checks) await store.save(c);
    const purge = await purgeExpiredRows(pool, 'bcss.premium_checks', new Date('1997-01-01T00:00:00Z'), 2);
    expect(purge.deleted).toBeGreaterThanOrEqual(5);
    const { rows } = await pool.query('SELECT 1 FROM bcss.premium_checks WHERE check_id = ANY($1)', [checks.map((c) => c.checkId)]);
    expect(rows).toEqual([]);
  });
});
