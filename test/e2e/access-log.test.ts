import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../local/identity/tokens.js';
import { api, clientFor, tokenFor } from '../support/tokens.js';
import { freshNiss } from '../support/fresh-niss.js';

// GET /v1/me/access-log over HTTP, against the local cloud: what a citizen sees of who
// consulted their data. Workers chosen so that no other suite's figures move (83040440483 is
// unknown to the BCSS registers: their claims are rejected without touching the ledger).
type Page = {
  items: { at: string; purpose: string; deliberation: string; actorRole: string; actorOrganisation?: string; outcome: string; listed?: boolean }[];
  next: string | null;
};
const log = async (niss: string, query: { limit?: number; cursor?: string } = {}): Promise<Page> => {
  const client = await clientFor({ role: 'citizen', niss });
  const { data, response } = await client.GET('/v1/me/access-log', { params: { query } });
  expect(response.status).toBe(200);
  if (!data) throw new Error('no access log');
  return data;
};

/** Every entry of a citizen's log, page after page. */
const wholeLog = async (niss: string): Promise<Page['items']> => {
  const items: Page['items'] = [];
  let cursor: string | undefined;
  do {
    const page = await log(niss, { limit: 100, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.next ?? undefined;
  } while (cursor);
  return items;
};

/** Every page of claims `principal` may list, as a client would walk them; the claim ids seen. */
const listAllClaims = async (principal: Principal): Promise<string[]> => {
  const client = await clientFor(principal);
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const { data, response } = await client.GET('/v1/training-leave/claims', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } });
    expect(response.status).toBe(200);
    ids.push(...(data?.items ?? []).map((c) => c.claimId));
    cursor = data?.next ?? undefined;
  } while (cursor);
  return ids;
};

describe('a citizen’s access log', () => {
  it('shows the citizen’s own lookups (the log’s own included), newest first, never another citizen’s', async () => {
    // A citizen of this test's own: no other file's claim or lookup lands in this log meanwhile.
    const citizen = freshNiss();
    const mine = await api('/v1/career-break/possibilities', { token: await tokenFor({ role: 'citizen', niss: citizen }) });
    expect(mine.status).toBe(200);
    const first = await log(citizen, { limit: 5 });
    expect(first.items[0]).toEqual({
      at: expect.any(String),
      purpose: 'CAREER_BREAK_POSSIBILITIES',
      deliberation: '24/012',
      actorRole: 'citizen',
      actorOrganisation: 'MYCAREER',
      outcome: 'ALLOWED',
    });
    // The lookup itself is an access, audited: it heads the next view.
    const again = await log(citizen, { limit: 5 });
    expect(again.items[0]).toMatchObject({ purpose: 'SUBJECT_ACCESS_LOG', deliberation: 'GDPR art. 15', actorRole: 'citizen' });
    expect(again.items.map((i) => i.at)).toEqual([...again.items.map((i) => i.at)].sort().reverse());
    // Another citizen's log does not move with this one's accesses.
    const other = await log('87091520373');
    expect(other.items.filter((i) => i.purpose === 'CAREER_BREAK_POSSIBILITIES')).toEqual([]);
  });

  it('shows who handled a claim about the citizen: the employer that filed it and the DWSE consumer that read the sources for it', async () => {
    const worker = '83040440483';
    const employerToken = await tokenFor({ role: 'employer', enterpriseNumber: '0403170701' });
    const submitted = await api('/v1/training-leave/claims', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        employerEnterpriseNumber: '0403170701',
        workerNiss: worker,
        schoolYear: '2024-2025',
        training: { id: 'ODB-12345', startDate: '2024-10-01', endDate: '2025-03-31' },
        hoursByMonth: { '2024-10': 1 },
      }),
      token: employerToken,
    });
    expect(submitted.status).toBe(202);
    let items: Page['items'] = [];
    for (let i = 0; i < 100 && !items.some((r) => r.actorRole === 'system'); i++) {
      items = (await log(worker, { limit: 100 })).items;
      if (!items.some((r) => r.actorRole === 'system')) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ purpose: 'TRAINING_LEAVE_REIMBURSEMENT', actorRole: 'employer', actorOrganisation: '0403170701', outcome: 'ALLOWED' }),
        expect.objectContaining({ purpose: 'TRAINING_LEAVE_REIMBURSEMENT', actorRole: 'system', actorOrganisation: 'DWSE:competenties', outcome: 'ALLOWED' }),
      ]),
    );
  });

  it('shows a list of claims that held the citizen’s claim, by DWSE and by the employer, and nothing of it to anyone else', async () => {
    // Rejected without touching the ledger (unknown to the BCSS registers; no DIMONA employment).
    const workers = ['83040440483', '75092106174'];
    const employer = { role: 'employer', enterpriseNumber: '0403170701' } as const;
    const dwse = { role: 'dwse', team: 'competenties' } as const;
    const employerClient = await clientFor(employer);
    const claimIds: string[] = [];
    for (const workerNiss of workers) {
      const { data, response } = await employerClient.POST('/v1/training-leave/claims', {
        body: {
          employerEnterpriseNumber: '0403170701',
          workerNiss,
          schoolYear: '2024-2025',
          training: { id: 'ODB-12345', startDate: '2024-10-01', endDate: '2025-03-31' },
          hoursByMonth: { '2024-11': 1.5 },
        },
        params: { header: { 'idempotency-key': `access-log-list-${randomUUID()}` } },
      });
      expect(response.status).toBe(202);
      claimIds.push(data!.claimId);
    }
    // Other suites list claims too, and on the suites' fixed clock every record has the same
    // `at`: the listings are counted per organisation, before and after, never by position.
    const listedBy = (items: Page['items'], organisation: string) => items.filter((i) => i.listed === true && i.actorOrganisation === organisation);
    const before = await Promise.all(workers.map(wholeLog));

    expect(await listAllClaims(dwse)).toEqual(expect.arrayContaining(claimIds));
    expect(await listAllClaims(employer)).toEqual(expect.arrayContaining(claimIds));

    for (const [i, worker] of workers.entries()) {
      const after = await wholeLog(worker);
      const byDwse = listedBy(after, 'DWSE:competenties');
      const byEmployer = listedBy(after, '0403170701');
      expect(byDwse.length, worker).toBeGreaterThan(listedBy(before[i]!, 'DWSE:competenties').length);
      expect(byEmployer.length, worker).toBeGreaterThan(listedBy(before[i]!, '0403170701').length);
      const listing = { at: expect.any(String), purpose: 'TRAINING_LEAVE_REIMBURSEMENT', deliberation: '19/038', outcome: 'ALLOWED', listed: true };
      expect(byDwse).toEqual(byDwse.map(() => ({ ...listing, actorRole: 'dwse', actorOrganisation: 'DWSE:competenties' })));
      expect(byEmployer).toEqual(byEmployer.map(() => ({ ...listing, actorRole: 'employer', actorOrganisation: '0403170701' })));
    }
    // A citizen no claim names was in no list: nothing of the listings in their log.
    const other = await wholeLog('88041212335');
    expect(other.filter((i) => i.listed || i.purpose === 'TRAINING_LEAVE_REIMBURSEMENT')).toEqual([]);
  });

  it('is for citizens only, and refuses a cursor it did not give', async () => {
    const employer = await api('/v1/me/access-log', { token: await tokenFor({ role: 'employer', enterpriseNumber: '0403170701' }) });
    expect(employer.status).toBe(403);
    const forged = await api('/v1/me/access-log?cursor=bm90LWEtY3Vyc29y', { token: await tokenFor({ role: 'citizen', niss: '85073003328' }) });
    expect(forged.status).toBe(400);
  });
});
