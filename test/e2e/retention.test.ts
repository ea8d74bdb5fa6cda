import { readFile } from 'node:fs/promises';
import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/aws/clients.js';
import { targetClients } from '../support/aws.js';
import { freshNiss } from '../support/fresh-niss.js';
import { targetPseudonymiser } from '../support/pseudonymiser.js';
import { targetValue } from '../support/target.js';
import { api, tokenFor } from '../support/tokens.js';

// Retention of what this file writes itself: two lookups, a premium check and a claim taken to
// its decision, each found again by its request id or its key. Nothing here counts on what other
// files wrote or did not write, so the file runs in any order and beside any other.
const { dynamodb } = targetClients();
const doc = createDocumentClient(dynamodb);
afterAll(() => dynamodb.destroy());

const TABLES = ['CLAIMS_TABLE', 'PREMIUM_CHECKS_TABLE', 'AUDIT_TABLE'] as const;
type Item = Record<string, unknown>;
const scan = async (table: string) => {
  const items: Item[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
};
/** The audit records of one request (its x-request-id). */
const auditOf = async (requestId: string) => (await scan(targetValue('AUDIT_TABLE'))).filter((item) => item.requestId === requestId);

/** Kept for the purpose's period: an expiry in the future, within 10 years and a day. */
const expectRetained = (item: Item, what: string) => {
  const now = Date.now() / 1000;
  expect(item.expiresAt, `${what} without expiresAt`).toEqual(expect.any(Number));
  expect(item.expiresAt as number, what).toBeGreaterThan(now);
  expect(item.expiresAt as number, what).toBeLessThan(now + (10 * 366 + 1) * 86_400);
};

const LOOKUPS = [
  ['lookup', 'CAREER_BREAK_POSSIBILITIES', { path: '/v1/career-break/possibilities', init: {} }],
  [
    'what-if',
    'CAREER_BREAK_WHAT_IF',
    {
      path: '/v1/career-break/what-if',
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'TRAINING', regime: 'ONE_FIFTH', months: 12, from: '2027-01-01' }),
      },
    },
  ],
] as const;

describe('retention of what the career-break lookups write', () => {
  it.each(LOOKUPS)('the career-break %s writes exactly one audit record, kept for the audit period', async (_route, purpose, { path, init }) => {
    const response = await api(path, { ...init, token: await tokenFor({ role: 'citizen', niss: '85073003328' }) });
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    const records = await auditOf(requestId!);
    expect(records).toEqual([expect.objectContaining({ purpose, outcome: 'ALLOWED' })]);
    expectRetained(records[0]!, `${purpose} audit record`);
  });

  // A subject of this file's own: whatever the lookup wrote about them is found by their hash.
  it.each(LOOKUPS)('the career-break %s writes nothing about its subject but its audit record', async (_route, purpose, { path, init }) => {
    const niss = freshNiss();
    const hashes = await targetPseudonymiser().subjectUnderEveryKey(niss);
    const response = await api(path, { ...init, token: await tokenFor({ role: 'citizen', niss }) });
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id');
    const mentions = (item: Item) => {
      const text = JSON.stringify(item);
      return text.includes(niss) || hashes.some((hash) => text.includes(hash));
    };
    for (const name of ['CLAIMS_TABLE', 'PREMIUM_CHECKS_TABLE'] as const) {
      expect((await scan(targetValue(name))).filter(mentions), name).toEqual([]);
    }
    const audit = (await scan(targetValue('AUDIT_TABLE'))).filter(mentions);
    expect(audit).toEqual([expect.objectContaining({ purpose, requestId, outcome: 'ALLOWED', subjectHash: hashes[0] })]);
  });
});

describe('retention of a premium check and of a claim', () => {
  // Rejected without a ledger posting (unknown to the BCSS registers): no other test's hours move.
  const WORKER = '83040440483';
  let check: { requestId: string; checkId: string };
  let claim: { requestId: string; claimId: string };

  beforeAll(async () => {
    const checked = await api('/v1/premium-checks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: await readFile(new URL('../../events/bodies/premium-check.json', import.meta.url), 'utf8'),
      token: await tokenFor({ role: 'actiris' }),
    });
    expect(checked.status).toBe(200);
    check = { requestId: checked.headers.get('x-request-id')!, checkId: ((await checked.json()) as { checkId: string }).checkId };

    const body = JSON.parse(await readFile(new URL('../../events/bodies/training-leave-claim.json', import.meta.url), 'utf8'));
    const submitted = await api('/v1/training-leave/claims', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, workerNiss: WORKER, hoursByMonth: { '2024-10': 1 } }),
      token: await tokenFor({ role: 'employer', enterpriseNumber: body.employerEnterpriseNumber }),
    });
    expect(submitted.status).toBe(202);
    claim = { requestId: submitted.headers.get('x-request-id')!, claimId: ((await submitted.json()) as { claimId: string }).claimId };
    // Until the consumer has decided it (bounded by a count of polls, not by a clock assertion).
    const dwse = await tokenFor({ role: 'dwse', team: 'competenties' });
    for (let i = 0; i < 240; i++) {
      const read = await api(`/v1/training-leave/claims/${claim.claimId}`, { token: dwse });
      if (((await read.json()) as { status?: string }).status === 'DECIDED') return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`claim ${claim.claimId} was not decided after 240 polls`);
  });

  it('keeps the premium check and its audit record each with an expiry in the future, within 10 years and a day', async () => {
    const { Item } = await doc.send(new GetCommand({ TableName: targetValue('PREMIUM_CHECKS_TABLE'), Key: { pk: `CHECK#${check.checkId}`, sk: 'CHECK' } }));
    expect(Item).toBeDefined();
    expectRetained(Item!, 'premium check');
    const records = await auditOf(check.requestId);
    expect(records).toEqual([expect.objectContaining({ purpose: 'ACS_PTP_PREMIUM_CHECK', outcome: 'ALLOWED' })]);
    expectRetained(records[0]!, 'premium check audit record');
  });

  it('keeps every item of the claim, its submission’s audit record and the consumer’s, each with an expiry in the future, within 10 years and a day', async () => {
    const items = (
      await doc.send(
        new QueryCommand({
          TableName: targetValue('CLAIMS_TABLE'),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `CLAIM#${claim.claimId}` },
        }),
      )
    ).Items!;
    expect(items.map((item) => item.sk)).toContain('CLAIM');
    for (const item of items) expectRetained(item, `claim item ${item.sk}`);
    const submission = await auditOf(claim.requestId);
    expect(submission).toEqual([expect.objectContaining({ purpose: 'TRAINING_LEAVE_REIMBURSEMENT', actorRole: 'employer', outcome: 'ALLOWED' })]);
    expectRetained(submission[0]!, 'submission audit record');
    // The consumer's records of this worker (its own and those of any other claim for them).
    const hashes = await targetPseudonymiser().subjectUnderEveryKey(WORKER);
    const consumer = (await scan(targetValue('AUDIT_TABLE'))).filter((item) => item.actorRole === 'system' && hashes.includes(item.subjectHash as string));
    expect(consumer.length).toBeGreaterThan(0);
    for (const record of consumer) expectRetained(record, 'consumer audit record');
  });

  it('holds no NISS in clear in the audit records of the check and of the claim', async () => {
    const records = [...(await auditOf(check.requestId)), ...(await auditOf(claim.requestId))];
    expect(records.length).toBe(2);
    expect(JSON.stringify(records)).not.toMatch(/\b\d{11}\b/);
  });
});

// Invariants of every table, whatever else has run or is running: each item was written with
// its expiry (never added later), and no audit record ever holds a NISS.
describe('retention over the whole tables', () => {
  it('every item of every table carries an expiry in the future, within 10 years and a day', async () => {
    for (const name of TABLES) {
      for (const item of await scan(targetValue(name))) expectRetained(item, `${name} item`);
    }
  });

  it('the audit trail holds no NISS in clear', async () => {
    const text = JSON.stringify(await scan(targetValue('AUDIT_TABLE')));
    expect(text).not.toMatch(/\b\d{11}\b/);
  });
});
