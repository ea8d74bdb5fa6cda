import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/aws/clients.js';
import { targetClients } from '../support/aws.js';
import { targetValue } from '../support/target.js';
import { api, tokenFor } from '../support/tokens.js';

// Runs after the other e2e files (alphabetical, one at a time), so the tables hold what a full run wrote.
const { dynamodb } = targetClients();
const doc = createDocumentClient(dynamodb);
afterAll(() => dynamodb.destroy());

const TABLES = ['CLAIMS_TABLE', 'PREMIUM_CHECKS_TABLE', 'AUDIT_TABLE'] as const;
const scan = async (table: string) => {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
};
const counts = async () => Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, (await scan(targetValue(t))).length])));

describe('retention over a full run', () => {
  it.each([
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
  ] as const)('the career-break %s writes nothing but its audit record', async (_route, purpose, { path, init }) => {
    const before = await counts();
    const response = await api(path, { ...init, token: await tokenFor({ role: 'citizen', niss: '85073003328' }) });
    expect(response.status).toBe(200);
    const after = await counts();
    // Nothing in the tables of data; the audit trail grows (the consumer may still be writing
    // records of earlier suites' retries), and holds exactly one record of this request.
    expect({ ...after, AUDIT_TABLE: 0 }).toEqual({ ...before, AUDIT_TABLE: 0 });
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    const records = (await scan(targetValue('AUDIT_TABLE'))).filter((item) => item.requestId === requestId);
    expect(records).toEqual([expect.objectContaining({ purpose, outcome: 'ALLOWED' })]);
  });

  it('every item of every table carries an expiry in the future, within 10 years and a day', async () => {
    const now = Date.now() / 1000;
    for (const name of TABLES) {
      for (const item of await scan(targetValue(name))) {
        expect(item.expiresAt, `${name} item without expiresAt`).toEqual(expect.any(Number));
        expect(item.expiresAt as number).toBeGreaterThan(now);
        expect(item.expiresAt as number).toBeLessThan(now + (10 * 366 + 1) * 86_400);
      }
    }
    expect((await scan(targetValue('AUDIT_TABLE'))).length).toBeGreaterThan(0);
  });

  it('the audit trail holds no NISS in clear', async () => {
    const text = JSON.stringify(await scan(targetValue('AUDIT_TABLE')));
    expect(text).not.toMatch(/\b\d{11}\b/);
  });
});
