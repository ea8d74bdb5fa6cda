import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/aws/clients.js';
import { targetClients } from '../support/aws.js';
import { isContainerTarget, isExternalTarget, targetValue } from '../support/target.js';
import { clientFor } from '../support/tokens.js';
import type { PremiumCheckBody } from '../../shared/purposes/premium-check.js';
import { setFault, sourceHits, type FaultMode } from '../support/fake-sources.js';

// POST /v1/premium-checks over HTTP with an Actiris token, against the synthetic DMFA.
const A = '0403170701';
const B = '0412345614';
const { dynamodb } = targetClients();
const doc = createDocumentClient(dynamodb);
afterAll(() => dynamodb.destroy());

// The premium field follows the scheme (PC-7): the grant's monthly premium for ACS, the month's claim for PTP.
const body = (over: Record<string, unknown> = {}, declared: Record<string, unknown> = {}) => ({
  scheme: 'ACS',
  employerEnterpriseNumber: A,
  workerNiss: '91011715490',
  hiringDate: '2023-01-01',
  month: '2024-05',
  ...over,
  declared: {
    daysWorked: 18,
    assimilatedDays: 2,
    grossSalary: '2500.00',
    // The exemption is from the ACS employer share only (PC-4, PC-7).
    ...(over.scheme === 'PTP' ? { amountClaimed: '1168.75' } : { grantedMonthlyPremium: '1500.00', exemptionClaimed: false }),
    regularStaffFte: '10.20',
    ...declared,
  },
});
// Through the typed client (shared/client); payloads the contract refuses are sent as they are.
const check = async (payload: unknown) => {
  const client = await clientFor({ role: 'actiris' });
  const { data, error, response } = await client.POST('/v1/premium-checks', { body: payload as PremiumCheckBody });
  return { response, body: (data ?? error) as any };
};
/** DMFA requests about this worker (the claim consumer may call DMFA for others meanwhile). */
const dmfaHitsFor = (niss: string) => sourceHits('dmfa', niss);
const outcomes = (b: any) => Object.fromEntries(b.findings.map((f: any) => [f.check, f.outcome]));

describe('premium checks over HTTP', () => {
  it('calls DMFA for a worker who passes the gate (the counter the refusals rely on works)', async () => {
    const before = await dmfaHitsFor('91011715490');
    await check(body());
    expect(await dmfaHitsFor('91011715490')).toBeGreaterThan(before);
  });

  it('ACS, declaration matching DMFA: every check passes but the salary basis, whose figure no source gives → INCOMPLETE', async () => {
    const { response, body: result } = await check(body());
    expect(response.status).toBe(200);
    expect(result).toMatchObject({
      checkId: expect.any(String),
      outcome: 'INCOMPLETE',
      premium: { due: '1304.35', employerShare: '65.22', paidByRegion: '1239.13' },
    });
    expect(outcomes(result)).toEqual({
      NON_REPLACEMENT: 'PASS',
      PTP_CAREER_LIMIT: 'NOT_APPLICABLE',
      SALARY_BASIS: 'NOT_APPLICABLE',
      PROPORTIONAL_DAYS: 'PASS',
      SALARY_COST_CAP: 'PASS',
      DOUBLE_SUBSIDY: 'PASS',
      DECLARATION_MATCH: 'PASS',
      EMPLOYER_SHARE: 'PASS',
    });
  });

  it('PTP in May 2024, everything in order → CONFORM, € 1,168.75, no employer share (an ACS rule), all paid by the region', async () => {
    const { body: result } = await check(body({ scheme: 'PTP', workerNiss: '84050550577', hiringDate: '2023-06-01' }, { daysWorked: 20, assimilatedDays: 3 }));
    expect(result).toMatchObject({ outcome: 'CONFORM', premium: { due: '1168.75', employerShare: null, paidByRegion: '1168.75' } });
  });

  it('takes each scheme’s premium field only: the other one is refused before any source is read', async () => {
    const before = await dmfaHitsFor('84050550577');
    const { response, body: problem } = await check({
      ...body({ scheme: 'PTP', workerNiss: '84050550577', hiringDate: '2023-06-01' }),
      declared: { ...body().declared },
    });
    expect(response.status).toBe(400);
    expect(problem.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['body.declared.amountClaimed']));
    // PTP has no employer share, so no exemption from it either.
    const exemption = await check(body({ scheme: 'PTP', workerNiss: '84050550577', hiringDate: '2023-06-01' }, { exemptionClaimed: true }));
    expect(exemption.response.status).toBe(400);
    expect(await dmfaHitsFor('84050550577')).toBe(before);
  });

  it('answers in Accept-Language (fr by default, nl, en), a replay too: the same check, said in the language asked', async () => {
    const client = await clientFor({ role: 'actiris' });
    const ask = async (language?: string) => {
      const { data, response } = await client.POST('/v1/premium-checks', {
        body: body() as PremiumCheckBody,
        ...(language ? { params: { header: { 'Accept-Language': language } } } : {}),
      });
      return { data: data as any, language: response.headers.get('content-language') };
    };
    const [fr, nl, en] = [await ask(), await ask('nl-BE,nl;q=0.9'), await ask('en')];
    expect([fr.language, nl.language, en.language]).toEqual(['fr', 'nl', 'en']);
    expect(nl.data.checkId).toBe(fr.data.checkId);
    const days = (answer: any) => answer.findings.find((f: any) => f.check === 'PROPORTIONAL_DAYS');
    expect(days(fr.data)).toMatchObject({ title: 'Prime proportionnelle aux jours prestés', paragraph: expect.stringContaining('05/012'), found: '1304.35' });
    expect(days(nl.data).title).toBe('Premie in verhouding tot de gewerkte dagen');
    expect(days(en.data).detail).toContain('€1,500.00 × (18 worked + 2 assimilated) / 23 working days');
  });

  it('declared figures that differ from DMFA are findings with both values', async () => {
    const { body: result } = await check(body({}, { daysWorked: 19, grossSalary: '2600.00' }));
    expect(result.outcome).toBe('NON_CONFORM');
    expect(result.findings.filter((f: any) => f.outcome === 'FAIL')).toEqual([
      expect.objectContaining({ check: 'DECLARATION_MATCH', declared: 19, found: 18 }),
      expect.objectContaining({ check: 'DECLARATION_MATCH', declared: '2600.00', found: '2500.00' }),
    ]);
  });

  it('an employer that replaced regular staff, over the salary cost, with another premium and an exemption', async () => {
    const { body: result } = await check(
      body(
        { employerEnterpriseNumber: B, workerNiss: '89070770731' },
        { daysWorked: 20, assimilatedDays: 3, grossSalary: '800.00', exemptionClaimed: true, regularStaffFte: '9.50' },
      ),
    );
    expect(outcomes(result)).toMatchObject({ NON_REPLACEMENT: 'FAIL', SALARY_COST_CAP: 'FAIL', DOUBLE_SUBSIDY: 'FAIL', EMPLOYER_SHARE: 'PASS' });
    expect(result.premium).toEqual({ due: '500.00', employerShare: '0.00', paidByRegion: '500.00' });
  });

  // Read from the DynamoDB table (the container's premium checks are on PostgreSQL: its contract suite checks them).
  it.skipIf(isContainerTarget())('keeps the result with an expiry, and no DMFA extract beyond the figures the findings cite', async () => {
    const { body: result } = await check(body());
    const { Items = [] } = await doc.send(
      new ScanCommand({
        TableName: targetValue('PREMIUM_CHECKS_TABLE'),
        FilterExpression: 'checkId = :c',
        ExpressionAttributeValues: { ':c': result.checkId },
      }),
    );
    expect(Items).toHaveLength(1);
    expect(Items[0]).toMatchObject({ outcome: 'INCOMPLETE', expiresAt: expect.any(Number) });
    // The findings as their texts' keys and figures, rendered in the reader's language when answered: no sentence kept.
    const stored = Items[0]!.findings as { check: string; outcome: string; text: string; params: object; detail?: string }[];
    expect(stored.map((f) => [f.check, f.outcome])).toEqual(result.findings.map((f: any) => [f.check, f.outcome]));
    expect(stored.every((f) => typeof f.text === 'string' && typeof f.params === 'object' && f.detail === undefined)).toBe(true);
    expect(Object.keys(Items[0]!).sort()).toEqual([
      'checkId',
      'checkedAt',
      'employerEnterpriseNumber',
      'expiresAt',
      'findings',
      'month',
      'outcome',
      'pk',
      'premium',
      'scheme',
      'sk',
      'workerSubject',
    ]);
    // The worker as a keyed hash only: no route reads a stored check's NISS back.
    expect(Items[0]!.workerSubject).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(JSON.stringify(Items[0])).not.toMatch(/(?<![0-9a-f])\d{11}(?![0-9a-f])/);
  });

  it.skipIf(isExternalTarget()).each([
    ['002', '82061119872'],
    ['003', '80010110104'],
    ['010', '81020220295'],
    [null, '85073003328'],
    [null, '87060660616'], // registered with 001, but by another organisation
  ])('refuses quality code %s with the same 403 NOT_REGISTERED_AS_JOB_SEEKER, and DMFA is not called', async (_code, niss) => {
    const before = await dmfaHitsFor(niss);
    const { response, body: problem } = await check(body({ workerNiss: niss }));
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    // One answer for every reason: the refusal does not reveal who registered the person, or how.
    const { instance: _instance, ...rest } = problem;
    // In the route's default language, French, as no other is asked for.
    expect(rest).toEqual({
      type: expect.any(String),
      title: 'Interdit',
      status: 403,
      code: 'NOT_REGISTERED_AS_JOB_SEEKER',
      detail:
        'La DMFA ne peut être consultée que pour une personne inscrite par ACTIRIS au répertoire de références de la BCSS avec le code qualité 001 (délibération 05/012).',
    });
    expect(await dmfaHitsFor(niss)).toBe(before);
  });

  it('refuses euro amounts sent as numbers, naming the field', async () => {
    const { response, body: problem } = await check(body({}, { grantedMonthlyPremium: 1500 }));
    expect(response.status).toBe(400);
    expect(problem.errors).toEqual([{ path: 'body.declared.grantedMonthlyPremium', message: expect.stringContaining('decimal string') }]);
  });

  describe.skipIf(isExternalTarget())('when DMFA misbehaves', () => {
    afterAll(() => setFault('dmfa', 'ok'));

    it.each([
      ['down', 503, 'SOURCE_UNAVAILABLE'],
      ['slow', 503, 'SOURCE_UNAVAILABLE'],
      ['garbage', 502, 'SOURCE_CONTRACT_VIOLATION'],
    ])('DMFA %s → %i %s, nothing stored', async (mode, status, code) => {
      await setFault('dmfa', mode as FaultMode, 5_000);
      const { response, body: problem } = await check(body());
      expect(response.status).toBe(status);
      expect(problem).toMatchObject({ code, source: 'dmfa' });
      if (status === 503) expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    });
  });
});
