import { describe, expect, it } from 'vitest';
import { api, clientFor, tokenFor } from '../support/tokens.js';

// GET /v1/me/access-log over HTTP, against the local cloud: what a citizen sees of who
// consulted their data. Workers chosen so that no other suite's figures move (83040440483 is
// unknown to the BCSS registers: their claims are rejected without touching the ledger).
type Page = {
  items: { at: string; purpose: string; deliberation: string; actorRole: string; actorOrganisation?: string; outcome: string }[];
  next: string | null;
};
const log = async (niss: string, query: { limit?: number; cursor?: string } = {}): Promise<Page> => {
  const client = await clientFor({ role: 'citizen', niss });
  const { data, response } = await client.GET('/v1/me/access-log', { params: { query } });
  expect(response.status).toBe(200);
  if (!data) throw new Error('no access log');
  return data;
};

describe('a citizen’s access log', () => {
  it('shows the citizen’s own lookups (the log’s own included), newest first, never another citizen’s', async () => {
    const citizen = '85073003328';
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

  it('is for citizens only, and refuses a cursor it did not give', async () => {
    const employer = await api('/v1/me/access-log', { token: await tokenFor({ role: 'employer', enterpriseNumber: '0403170701' }) });
    expect(employer.status).toBe(403);
    const forged = await api('/v1/me/access-log?cursor=bm90LWEtY3Vyc29y', { token: await tokenFor({ role: 'citizen', niss: '85073003328' }) });
    expect(forged.status).toBe(400);
  });
});
