import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../shared/audit/audit-trail.js';
import { createDocumentClient } from '../../shared/aws/clients.js';
import { expiresAt } from '../../shared/purposes/retention.js';
import { AUDIT_TRAIL_PURPOSE } from '../../shared/storage/audit-records.js';
import { PgAuditTrail } from '../../shared/storage/postgres/audit-trail.js';
import { purgeExpiredRows } from '../../shared/storage/postgres/retention.js';
import { createPool } from '../../shared/storage/postgres/pool.js';
import { auditContract } from '../contract/audit.contract.js';
import { targetClients } from '../support/aws.js';
import { InMemoryAudit, type InMemoryAuditRow } from '../support/fakes.js';
import { testPseudonymiser } from '../support/pseudonymiser.js';
import { targetValue } from '../support/target.js';

// One contract, every audit trail: the access log means the same on the fake the handler
// tests use, on DynamoDB and on PostgreSQL.
const { dynamodb } = targetClients();
const doc = createDocumentClient(dynamodb);
const pool = createPool(targetValue('DATABASE_URL'));
afterAll(async () => {
  dynamodb.destroy();
  await pool.end();
});

const inMemory: InMemoryAuditRow[] = [];
auditContract('in memory (test/support/fakes.ts)', async ({ pseudonymiser, clock }) => new InMemoryAudit({ pseudonymiser, clock, rows: inMemory }), {
  purges: true,
});

auditContract('DynamoDB (AuditTrail)', async ({ pseudonymiser, clock }) => new AuditTrail(doc, targetValue('AUDIT_TABLE'), pseudonymiser, clock), {
  purges: false,
});

auditContract('PostgreSQL (PgAuditTrail)', async ({ pseudonymiser, clock }) => new PgAuditTrail(pool, pseudonymiser, clock), { purges: true });

// What only PostgreSQL can be asked: the rows themselves. In this file, so that no purge of the
// contract runs meanwhile (a file's tests run one after the other).
describe('the audit trail on PostgreSQL, row by row', () => {
  const pseudonymiser = () => testPseudonymiser({ v1: `pg-${randomUUID()}` });
  const at = new Date('1985-02-01T10:00:00.000Z');
  const rowsOf = async (requestId: string) =>
    (
      await pool.query<{ subject_hash: string | null; listed: boolean; at: Date; expires_at: Date }>(
        'SELECT subject_hash, listed, at, expires_at FROM bcss.audit_records WHERE request_id = $1 ORDER BY id',
        [requestId],
      )
    ).rows;

  it('stamps each row with the expiry DynamoDB would give it: 10 years naming someone, 90 days for a refusal naming no one', async () => {
    const trail = new PgAuditTrail(pool, pseudonymiser(), () => at);
    const named = randomUUID();
    const anonymous = randomUUID();
    await trail.record({ purpose: 'P', deliberation: '24/012', requestId: named, actorRole: 'citizen', outcome: 'ALLOWED', subjectNiss: '85073003328' });
    await trail.record({ purpose: 'P', deliberation: '24/012', requestId: anonymous, actorRole: 'anonymous', outcome: 'DENIED', status: 401 });
    const [record] = await rowsOf(named);
    expect(record!.subject_hash).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(record!.expires_at.getTime() / 1000).toBe(expiresAt(AUDIT_TRAIL_PURPOSE, at));
    expect(record!.expires_at.toISOString()).toBe('1995-02-01T10:00:00.000Z');
    // A refusal before authentication is counted in its minute's aggregate, not a row of its own.
    expect(await rowsOf(anonymous)).toEqual([]);
    const { rows: aggregates } = await pool.query<{ minute: Date; count: number; expires_at: Date }>(
      'SELECT minute, count, expires_at FROM bcss.audit_refusals WHERE first_request_id = $1',
      [anonymous],
    );
    expect(aggregates).toEqual([{ minute: at, count: 1, expires_at: new Date('1985-05-02T10:00:00.000Z') }]);
    // A refusal of a known principal naming no one is a row, kept 90 days.
    const forbidden = randomUUID();
    await trail.record({
      purpose: 'P',
      deliberation: '24/012',
      requestId: forbidden,
      actorRole: 'employer',
      actorOrganisation: '0123456789',
      outcome: 'DENIED',
      status: 403,
    });
    const [refusal] = await rowsOf(forbidden);
    expect(refusal).toMatchObject({ subject_hash: null, listed: false });
    expect(refusal!.expires_at.toISOString()).toBe('1985-05-02T10:00:00.000Z');
  });

  it('writes a list of 1 200 in batches of 500 in one transaction: all, or none when one row is refused', async () => {
    const p = pseudonymiser();
    const trail = new PgAuditTrail(pool, p, () => at);
    const hashes = await Promise.all(Array.from({ length: 1_200 }, (_, i) => p.subject(`niss-${i}`)));
    const all = randomUUID();
    await trail.recordDisclosures(
      { purpose: 'LIST', deliberation: '19/038', requestId: all, actorRole: 'dwse', outcome: 'ALLOWED' },
      hashes.map((hash) => ({ hash })),
    );
    const written = await rowsOf(all);
    expect(written).toHaveLength(1_200);
    expect(new Set(written.map((r) => r.subject_hash))).toEqual(new Set(hashes));
    expect(written.every((r) => r.listed)).toBe(true);
    // The 1 001st subject is not a subject hash (the table refuses it): the first two batches are rolled back.
    const none = randomUUID();
    const subjects = [...hashes.slice(0, 1_000).map((hash) => ({ hash })), { hash: 'not-a-subject-hash' }];
    await expect(
      trail.recordDisclosures({ purpose: 'LIST', deliberation: '19/038', requestId: none, actorRole: 'dwse', outcome: 'ALLOWED' }, subjects),
    ).rejects.toThrow(/check constraint/);
    expect(await rowsOf(none)).toEqual([]);
  });

  it('refuses a NISS where a subject hash goes', async () => {
    const trail = new PgAuditTrail(pool, pseudonymiser(), () => at);
    await expect(
      trail.record({ purpose: 'P', deliberation: '24/012', requestId: randomUUID(), actorRole: 'citizen', outcome: 'ALLOWED', subjectHash: '85073003328' }),
    ).rejects.toThrow(/check constraint/);
  });

  it('purges in bounded batches until nothing past expiry is left', async () => {
    const trail = new PgAuditTrail(pool, pseudonymiser(), () => at);
    const requestId = randomUUID();
    await trail.recordDisclosures(
      { purpose: 'LIST', deliberation: '19/038', requestId, actorRole: 'dwse', outcome: 'ALLOWED' },
      Array.from({ length: 7 }, (_, i) => ({ niss: `niss-${i}` })),
    );
    const purge = await purgeExpiredRows(pool, 'bcss.audit_records', new Date('1996-01-01T00:00:00Z'), 3);
    expect(purge.table).toBe('bcss.audit_records');
    expect(purge.deleted).toBeGreaterThanOrEqual(7);
    expect(await rowsOf(requestId)).toEqual([]);
  });

  it('reads a subject’s page through the index on (subject_hash, at, id), a purpose’s day through (purpose, at, id)', async () => {
    const { rows } = await pool.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE schemaname = 'bcss' AND tablename = 'audit_records'");
    expect(rows.map((r) => r.indexdef)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\(subject_hash, at DESC, id DESC\)/),
        expect.stringMatching(/audit_records_expires_at .*\(expires_at\)/),
        expect.stringMatching(/audit_records_by_purpose_day .*\(purpose, at, id\)/),
      ]),
    );
    const { rows: refusals } = await pool.query<{ indexdef: string }>(
      "SELECT indexdef FROM pg_indexes WHERE schemaname = 'bcss' AND tablename = 'audit_refusals'",
    );
    expect(refusals.map((r) => r.indexdef)).toEqual(
      expect.arrayContaining([expect.stringMatching(/UNIQUE .*\(purpose, minute, route, status, code\)/), expect.stringMatching(/\(expires_at\)/)]),
    );
  });
});
