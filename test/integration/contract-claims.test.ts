import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createDocumentClient } from '../../shared/aws/clients.js';
import type { Claim } from '../../shared/domain/training-leave/ports.js';
import { trainingLeaveReimbursement } from '../../shared/purposes/catalogue.js';
import { ClaimStore } from '../../shared/storage/claims.js';
import { PgClaimStore } from '../../shared/storage/postgres/claims.js';
import { createPool } from '../../shared/storage/postgres/pool.js';
import { claimRepositoryContract } from '../contract/claims.contract.js';
import { targetClients } from '../support/aws.js';
import { inProcessCipher } from '../support/cipher.js';
import { InMemoryClaims } from '../support/fakes.js';
import { testPseudonymiser } from '../support/pseudonymiser.js';
import { targetValue } from '../support/target.js';

// One suite, three implementations of ClaimRepository: the handler tests' fake, DynamoDB
// Local (the Lambda runtime) and PostgreSQL (the container runtime). Each test has its own
// subject-hash key, so its ledger rows are its own on the shared table and database.
const { dynamodb } = targetClients();
const doc = createDocumentClient(dynamodb);
const pool = createPool(targetValue('DATABASE_URL'));
afterAll(async () => {
  dynamodb.destroy();
  await pool.end();
});

const testKeys = () => ({ t1: `contract-${randomUUID()}` });

claimRepositoryContract('in-memory fake', async () => {
  const cipher = inProcessCipher();
  const repo = new InMemoryClaims(cipher, testPseudonymiser(testKeys()));
  return {
    repo,
    withKeys: (keys) => new InMemoryClaims(cipher, testPseudonymiser(keys), repo),
    stored: async (claimId) => repo.claims.get(claimId),
  };
});

claimRepositoryContract('DynamoDB (ClaimStore on DynamoDB Local)', async () => {
  const cipher = inProcessCipher();
  const table = targetValue('CLAIMS_TABLE');
  const store = (keys: Record<string, string>) => new ClaimStore(doc, table, trainingLeaveReimbursement, { pseudonymiser: testPseudonymiser(keys), cipher });
  return {
    repo: store(testKeys()),
    withKeys: store,
    stored: async (claimId) => (await doc.send(new GetCommand({ TableName: table, Key: { pk: `CLAIM#${claimId}`, sk: 'CLAIM' } }))).Item,
  };
});

claimRepositoryContract('PostgreSQL (PgClaimStore)', async () => {
  const cipher = inProcessCipher();
  const store = (keys: Record<string, string>) => new PgClaimStore(pool, trainingLeaveReimbursement, { pseudonymiser: testPseudonymiser(keys), cipher });
  return {
    repo: store(testKeys()),
    withKeys: store,
    stored: async (claimId) => (await pool.query('SELECT * FROM bcss.claims WHERE claim_id = $1', [claimId])).rows[0],
  };
});

describe('PgClaimStore: retention and what rests in the tables', () => {
  const claim = (over: Partial<Claim> = {}): Claim => ({
    claimId: randomUUID(),
    status: 'RECEIVED',
    submittedAt: '2024-11-15T10:00:00.000Z',
    requestHash: 'pg-retention',
    employerEnterpriseNumber: '0403170701',
    workerNiss: '87091520373',
    schoolYear: '2024-2025',
    training: { id: `ODB-R-${randomUUID()}`, startDate: '2024-10-01', endDate: '2025-06-30' },
    hoursByMonth: { '2024-10': 8 },
    ...over,
  });
  const privacy = () => ({ pseudonymiser: testPseudonymiser(testKeys()), cipher: inProcessCipher() });
  const decision = (c: Claim, read: number, hours: number, decidedAt: string) => ({
    outcome: 'APPROVED' as const,
    final: true,
    approvedHours: hours,
    approvedHoursByMonth: { '2024-10': hours },
    amount: '0.00',
    reasons: [],
    figures: {},
    decidedAt,
    ledger: [{ bound: 'TRAINING' as const, scope: c.training.id, limitHours: 20, alreadyApprovedHours: read, hours }],
  });

  it('stamps a claim 10 years from its submission, renewed from its decision, and a ledger row from its last posting', async () => {
    const store = new PgClaimStore(pool, trainingLeaveReimbursement, privacy());
    const c = claim();
    await store.create(c);
    const expiry = async (sql: string, id: string) => ((await pool.query<{ expires_at: Date }>(sql, [id])).rows[0]!.expires_at as Date).toISOString();
    expect(await expiry('SELECT expires_at FROM bcss.claims WHERE claim_id = $1', c.claimId)).toBe('2034-11-15T10:00:00.000Z');
    await store.approvedSoFar(c);
    expect(await store.decide(c, decision(c, 0, 8, '2025-01-10T09:00:00.000Z'))).toBe('DECIDED');
    expect(await expiry('SELECT expires_at FROM bcss.claims WHERE claim_id = $1', c.claimId)).toBe('2035-01-10T09:00:00.000Z');
    expect(await expiry('SELECT expires_at FROM bcss.ledger WHERE scope = $1', c.training.id)).toBe('2035-01-10T09:00:00.000Z');
  });

  it('hides rows past retention; a ledger row past it counts as empty and is deleted when read; the purge deletes the rest', async () => {
    // Decided in January 2016: claim and ledger row expired in January 2026, before today. The
    // purge below runs at today's date, so other files' rows (within retention) are untouched.
    const keys = privacy();
    const c = claim({ submittedAt: '2015-12-01T10:00:00.000Z', schoolYear: '2015-2016' });
    const then = new PgClaimStore(pool, trainingLeaveReimbursement, keys, () => new Date('2016-01-10T09:00:00Z'));
    await then.create(c);
    await then.approvedSoFar(c);
    expect(await then.decide(c, decision(c, 0, 20, '2016-01-10T09:00:00.000Z'))).toBe('DECIDED');
    const today = new PgClaimStore(pool, trainingLeaveReimbursement, keys);
    expect(await today.get(c.claimId)).toBeUndefined();
    expect((await today.list({ employerEnterpriseNumber: c.employerEnterpriseNumber, limit: 100 })).items.map((i) => i.claimId)).not.toContain(c.claimId);
    // The training's 20 h are past retention: they count as none, and the stale row is gone.
    const next = claim({ training: c.training, schoolYear: '2015-2016', submittedAt: new Date().toISOString() });
    await today.create(next);
    expect((await today.approvedSoFar(next)).training).toBe(0);
    expect((await pool.query('SELECT 1 FROM bcss.ledger WHERE scope = $1', [c.training.id])).rowCount).toBe(0);
    expect(await today.decide(next, decision(next, 0, 20, new Date().toISOString()))).toBe('DECIDED');

    const purged = await today.purgeExpired();
    expect(purged.map((p) => p.table)).toEqual(['bcss.claims', 'bcss.ledger']);
    expect(purged[0]!.deleted).toBeGreaterThanOrEqual(1);
    expect((await pool.query('SELECT 1 FROM bcss.claims WHERE claim_id = $1', [c.claimId])).rowCount).toBe(0);
    expect((await pool.query('SELECT 1 FROM bcss.claims WHERE claim_id = $1', [next.claimId])).rowCount).toBe(1);
    expect((await pool.query('SELECT approved_hundredths FROM bcss.ledger WHERE scope = $1', [c.training.id])).rows).toEqual([{ approved_hundredths: 2000 }]);
  });

  it('no column of either table holds a NISS in clear', async () => {
    const niss = '90022830580';
    const store = new PgClaimStore(pool, trainingLeaveReimbursement, privacy());
    const c = claim({ workerNiss: niss });
    await store.create(c);
    await store.approvedSoFar(c);
    expect(await store.decide(c, decision(c, 0, 5, '2024-11-15T10:00:00.000Z'))).toBe('DECIDED');
    for (const table of ['bcss.claims', 'bcss.ledger']) {
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${table} t WHERE t::text LIKE '%' || $1 || '%'`, [niss]);
      expect(rows[0].n, table).toBe(0);
    }
  });

  /** 8 h approved provisionally, against the school year and the training. */
  const provisionalOf = (c: Claim) => ({
    ...decision(c, 0, 8, '2024-12-15T10:00:00.000Z'),
    final: false,
    ledger: [
      { bound: 'SCHOOL_YEAR' as const, scope: c.schoolYear, limitHours: 125, alreadyApprovedHours: 0, hours: 8 },
      { bound: 'TRAINING' as const, scope: c.training.id, limitHours: 20, alreadyApprovedHours: 0, hours: 8 },
    ],
  });

  it('a provisional decision whose ledger row is gone is still withdrawn: nothing is released below 0', async () => {
    const store = new PgClaimStore(pool, trainingLeaveReimbursement, privacy());
    const c = claim();
    await store.create(c);
    await store.approvedSoFar(c);
    const provisional = provisionalOf(c);
    expect(await store.decide(c, provisional)).toBe('DECIDED');
    await pool.query("DELETE FROM bcss.ledger WHERE bound = 'TRAINING' AND scope = $1", [c.training.id]);
    const decided = await store.open((await store.get(c.claimId))!);
    expect((await store.withdraw((await store.get(decided.claimId))!, new Date('2024-12-20T10:00:00Z'))).outcome).toBe('WITHDRAWN');
    expect(await store.approvedSoFar(decided)).toEqual({ schoolYear: 0, training: 0, quarters: { '2024-Q4': 0 } });
  });

  it('withdraws a provisional decision without opening the NISS: its hours go back to the rows the decision named', async () => {
    const base = inProcessCipher();
    const opens = { count: 0 };
    const counting = { seal: base.seal.bind(base), open: (v: string, ctx: Parameters<typeof base.open>[1]) => (opens.count++, base.open(v, ctx)) };
    const store = new PgClaimStore(pool, trainingLeaveReimbursement, { pseudonymiser: testPseudonymiser(testKeys()), cipher: counting });
    const c = claim();
    await store.create(c);
    await store.approvedSoFar(c);
    const provisional = provisionalOf(c);
    expect(await store.decide(c, provisional)).toBe('DECIDED');
    expect((await store.get(c.claimId))!.ledgerItems).toEqual({
      // Subject hashes (<key version>:<hex>), never a NISS.
      [`SCHOOL_YEAR#${c.schoolYear}`]: expect.stringMatching(/^[A-Za-z0-9]+:[0-9a-f]{64}$/),
      [`TRAINING#${c.training.id}`]: expect.stringMatching(/^[A-Za-z0-9]+:[0-9a-f]{64}$/),
    });
    opens.count = 0;
    expect((await store.withdraw((await store.get(c.claimId))!, new Date('2024-12-20T10:00:00Z'))).outcome).toBe('WITHDRAWN');
    expect(opens.count).toBe(0);
    expect((await store.approvedSoFar(c)).training).toBe(0);
    expect((await store.get(c.claimId))!.ledgerItems).toBeUndefined();
  });

  it('serves every list, the sweeper and the settlement from an index, in its order (no scan of the table, no sort)', async () => {
    const store = new PgClaimStore(pool, trainingLeaveReimbursement, privacy());
    const c = claim();
    await store.create(c);
    const waiting = claim({ schoolYear: '2026-2027' });
    await store.create(waiting);
    const at = new Date().toISOString();
    await store.postpone(waiting.claimId, { code: 'SCHOOL_YEAR_FIGURES_NOT_PUBLISHED', since: at, attempts: 1, nextAttemptAt: at });
    const spy = vi.spyOn(pool, 'query');
    const first = await store.list({ employerEnterpriseNumber: c.employerEnterpriseNumber, limit: 1 });
    await store.list({ employerEnterpriseNumber: c.employerEnterpriseNumber, limit: 1, ...(first.next ? { cursor: first.next } : {}) });
    await store.list({ employerEnterpriseNumber: c.employerEnterpriseNumber, status: 'RECEIVED', limit: 5 });
    await store.list({ employerEnterpriseNumber: c.employerEnterpriseNumber, schoolYear: '2024-2025', limit: 5 });
    await store.list({ limit: 5 });
    await store.list({ status: 'DECIDED', limit: 5 });
    await store.list({ schoolYear: '2024-2025', limit: 5 });
    await store.list({ schoolYear: '2024-2025', status: 'RECEIVED', limit: 5 });
    await store.list({ employerEnterpriseNumber: c.employerEnterpriseNumber, schoolYear: '2024-2025', status: 'RECEIVED', limit: 5 });
    // The sweeper: none never postponed (before 1970), then each school year postponed (this one at least).
    await store.waiting({ submittedBefore: new Date(0), now: new Date() }, 10);
    await store.dueForSettlement('2025-07-01', 10);
    const queries = spy.mock.calls.map(([text, values]) => ({ text: text as unknown as string, values: values as unknown[] }));
    spy.mockRestore();
    // 9 lists, the sweeper's 3 or more (never postponed; the school years postponed; each one's due claims), the settlement.
    expect(queries.length).toBeGreaterThanOrEqual(13);
    const client = await pool.connect();
    try {
      for (const { text, values } of queries) {
        // On a small table the planner would scan it; with scans and sorts priced out, the plan shows the index that serves the query.
        await client.query('BEGIN');
        await client.query('SET LOCAL enable_seqscan = off');
        await client.query('SET LOCAL enable_sort = off');
        const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${text}`, values);
        await client.query('ROLLBACK');
        const plan = JSON.stringify(rows[0]['QUERY PLAN']);
        // Which of the indexes serves it is the planner's choice on a small table; that one does, in order, is the point.
        expect(plan, text).toMatch(/"Node Type":"Index (Only )?Scan"/);
        expect(plan, text).not.toMatch(/"Node Type":"(Seq Scan|Sort|Bitmap Heap Scan)"/);
      }
    } finally {
      client.release();
    }
  });
});
