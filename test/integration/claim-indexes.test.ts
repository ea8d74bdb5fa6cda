import { randomInt, randomUUID } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { rewriteClaimIndexKeys } from '../../local/claim-index-keys.js';
import { createDocumentClient } from '../../shared/aws/clients.js';
import type { Claim, ClaimListQuery, ClaimStatus } from '../../shared/domain/training-leave/ports.js';
import { trainingLeaveReimbursement } from '../../shared/purposes/catalogue.js';
import { ClaimStore, type ListRead } from '../../shared/storage/claims.js';
import { targetClients } from '../support/aws.js';
import { inProcessCipher } from '../support/cipher.js';
import { testPseudonymiser } from '../support/pseudonymiser.js';
import { targetValue } from '../support/target.js';

// The claim lists on DynamoDB Local: what a page reads (ScannedCount, summed over the
// page's queries) against what it returns, on a table that holds far more than the list;
// and the start-time rewrite of claims kept with an earlier version's keys.
const { dynamodb } = targetClients();
const doc = createDocumentClient(dynamodb);
const table = targetValue('CLAIMS_TABLE');
afterAll(() => dynamodb.destroy());

const reads: ListRead[] = [];
const privacy = () => ({ pseudonymiser: testPseudonymiser({ t1: `indexes-${randomUUID()}` }), cipher: inProcessCipher() });
const store = new ClaimStore(doc, table, trainingLeaveReimbursement, privacy(), undefined, { onListRead: (read) => reads.push(read) });

const enterprise = () => `0${String(randomInt(100_000_000, 999_999_999))}`;
const claimOf = (employer: string, schoolYear: string, status: ClaimStatus, submittedAt: string): Claim => ({
  claimId: randomUUID(),
  status,
  submittedAt,
  requestHash: 'indexes',
  employerEnterpriseNumber: employer,
  workerNiss: '86041210115',
  schoolYear,
  training: { id: `ODB-I-${randomUUID().slice(0, 8)}`, startDate: '2024-10-01', endDate: '2025-06-30' },
  hoursByMonth: { '2024-10': 10 },
  ...(status === 'DECIDED'
    ? {
        decision: {
          outcome: 'APPROVED',
          final: true,
          approvedHours: 10,
          approvedHoursByMonth: { '2024-10': 10 },
          amount: '213.00',
          reasons: [],
          ledger: [],
          figures: {},
          decidedAt: submittedAt,
        },
      }
    : {}),
  ...(status === 'WITHDRAWN' ? { withdrawnAt: submittedAt } : {}),
});

describe('a claim list reads what it returns (DynamoDB Local)', () => {
  it('a filtered DWSE or employer page: ScannedCount over its queries ≤ 2 × the claims it returns, however many others the table holds', async () => {
    // Three school years of this test's own, four employers, the three statuses: 240 claims,
    // of which each list below is a small part (the others are what a filter would read).
    const y = randomInt(3_000, 9_000);
    const years = [`${y}-${y + 1}`, `${y + 1}-${y + 2}`, `${y + 2}-${y + 3}`];
    const employers = [enterprise(), enterprise(), enterprise(), enterprise()];
    const statusOf = (i: number): ClaimStatus => (i % 6 === 0 ? 'WITHDRAWN' : i % 2 === 0 ? 'RECEIVED' : 'DECIDED');
    const claims = Array.from({ length: 240 }, (_, i) =>
      claimOf(employers[i % 4]!, years[Math.floor(i / 3) % 3]!, statusOf(i), new Date(Date.UTC(2096, 0, 1) + i * 60_000 + randomInt(0, 59_000)).toISOString()),
    );
    for (let i = 0; i < claims.length; i += 20) await Promise.all(claims.slice(i, i + 20).map((c) => store.create(c)));

    const [year] = years;
    const [employer] = employers;
    const lists: [string, ClaimListQuery, (c: Claim) => boolean][] = [
      ['DWSE, year and status', { schoolYear: year!, status: 'DECIDED', limit: 20 }, (c) => c.schoolYear === year && c.status === 'DECIDED'],
      ['DWSE, year', { schoolYear: year!, limit: 20 }, (c) => c.schoolYear === year],
      [
        'employer, status',
        { employerEnterpriseNumber: employer!, status: 'RECEIVED', limit: 20 },
        (c) => c.employerEnterpriseNumber === employer && c.status === 'RECEIVED',
      ],
      [
        'employer, year',
        { employerEnterpriseNumber: employer!, schoolYear: year!, limit: 10 },
        (c) => c.employerEnterpriseNumber === employer && c.schoolYear === year,
      ],
      ['employer', { employerEnterpriseNumber: employer!, limit: 20 }, (c) => c.employerEnterpriseNumber === employer],
    ];
    const figures: Record<string, { pages: number; scanned: number; returned: number; queries: number }> = {};
    for (const [name, query, mine] of lists) {
      const want = claims
        .filter(mine)
        .sort((a, b) => (b.submittedAt < a.submittedAt ? -1 : 1))
        .map((c) => c.claimId);
      const seen: string[] = [];
      let cursor: string | undefined;
      const figure = { pages: 0, scanned: 0, returned: 0, queries: 0 };
      do {
        reads.length = 0;
        const page = await store.list({ ...query, ...(cursor ? { cursor } : {}) });
        expect(reads, name).toHaveLength(1);
        const [read] = reads;
        expect(read!.returned).toBe(page.items.length);
        // The point: the page's cost is its own size, not the table's.
        expect(read!.scanned, `${name}: page ${figure.pages + 1}`).toBeLessThanOrEqual(2 * page.items.length);
        figure.pages++;
        figure.scanned += read!.scanned;
        figure.returned += read!.returned;
        figure.queries += read!.queries;
        seen.push(...page.items.map((c) => c.claimId));
        cursor = page.next;
      } while (cursor);
      expect(seen, name).toEqual(want);
      figures[name] = figure;
    }
    // The DWSE list by status alone runs over the whole shared table: its first page.
    reads.length = 0;
    const withdrawn = await store.list({ status: 'WITHDRAWN', limit: 20 });
    expect(withdrawn.items).toHaveLength(20);
    expect(reads[0]!.scanned).toBeLessThanOrEqual(40);
    figures['DWSE, status (first page)'] = { pages: 1, scanned: reads[0]!.scanned, returned: 20, queries: reads[0]!.queries };
    if (process.env.CLAIM_LIST_FIGURES) console.log(JSON.stringify(figures, null, 1));
  });
});

describe('claims kept with an earlier version’s list keys (local/claim-index-keys.ts)', () => {
  it('are rewritten at start into every list, the settlement and the waiting index; a second run leaves them as they are', async () => {
    const employer = enterprise();
    const y = randomInt(3_000, 9_000);
    const schoolYear = `${y}-${y + 1}`;
    const at = (minute: number) => new Date(Date.UTC(2095, 5, 1, 0, minute)).toISOString();
    const received = claimOf(employer, schoolYear, 'RECEIVED', at(1));
    const provisional = {
      ...claimOf(employer, schoolYear, 'RECEIVED', at(2)),
      training: { id: `ODB-I-${randomUUID()}`, startDate: '2095-01-01', endDate: '2095-03-01' },
    };
    for (const c of [received, provisional]) await store.create(c);
    await store.approvedSoFar(provisional);
    const decision = { ...claimOf(employer, schoolYear, 'DECIDED', at(3)).decision!, final: false };
    expect(await store.decide(provisional, decision)).toBe('DECIDED');
    // As an earlier version wrote them: one constant partition, the employer's without status, no other list key.
    for (const c of [received, provisional]) {
      await doc.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: `CLAIM#${c.claimId}`, sk: 'CLAIM' },
          UpdateExpression: `SET listAll = :all, listEmployer = :employer, ${c === provisional ? 'provisional = :provisional' : 'waiting = :waiting'} REMOVE listStatus, listYear, listYearStatus, listEmployerYear`,
          ExpressionAttributeValues: {
            ':all': 'CLAIMS',
            ':employer': `EMPLOYER#${employer}`,
            ...(c === provisional ? { ':provisional': 'PROVISIONAL' } : { ':waiting': 'RECEIVED' }),
          },
        }),
      );
    }
    const ids = async (query: ClaimListQuery) => (await store.list(query)).items.map((c) => c.claimId);
    const due = async () => (await store.dueForSettlement('2095-03-02', 10_000)).filter((id) => id === provisional.claimId);
    expect(await ids({ employerEnterpriseNumber: employer, limit: 10 })).toEqual([]);
    expect(await ids({ schoolYear, limit: 10 })).toEqual([]);
    expect(await due()).toEqual([]);
    // The sweeper reads the waiting index's shards: the unsharded partition is not among them.
    const swept = async () =>
      (await store.waiting({ submittedBefore: new Date(Date.UTC(2096, 0, 1)), now: new Date() }, 10_000)).filter((id) => id === received.claimId);
    expect(await swept()).toEqual([]);

    const first = await rewriteClaimIndexKeys(dynamodb, table);
    expect(first.rewritten).toBeGreaterThanOrEqual(2);
    expect(await ids({ employerEnterpriseNumber: employer, limit: 10 })).toEqual([provisional.claimId, received.claimId]);
    expect(await ids({ employerEnterpriseNumber: employer, status: 'DECIDED', limit: 10 })).toEqual([provisional.claimId]);
    expect(await ids({ schoolYear, status: 'RECEIVED', limit: 10 })).toEqual([received.claimId]);
    expect(await ids({ schoolYear, limit: 10 })).toEqual([provisional.claimId, received.claimId]);
    expect(await due()).toEqual([provisional.claimId]);
    expect(await swept()).toEqual([received.claimId]);
    // Once more: our claims are left as they are (other test files' claims carry this version's keys already).
    const stored = () =>
      Promise.all(
        [received, provisional].map(async (c) => (await doc.send(new GetCommand({ TableName: table, Key: { pk: `CLAIM#${c.claimId}`, sk: 'CLAIM' } }))).Item),
      );
    const before = await stored();
    expect((await rewriteClaimIndexKeys(dynamodb, table)).scanned).toBeGreaterThan(0);
    expect(await stored()).toEqual(before);
  });
});
