import { readFile } from 'node:fs/promises';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/aws/clients.js';
import { EXTRA_PERSONAL_FIELDS } from '../../local/fake-sources/server.js';
import { targetClients } from '../support/aws.js';
import { isContainerTarget, isExternalTarget, targetValue } from '../support/target.js';
import { api, clientFor, tokenFor } from '../support/tokens.js';
import { setFault, sourceHits } from '../support/fake-sources.js';

// GET /v1/career-break/possibilities over HTTP, with tokens from the local identity provider.
const ROUTE = '/v1/career-break/possibilities';
// Through the typed client (shared/client), in the language asked; a query parameter the route does not take goes raw.
const ask = async (niss: string, headers: { 'accept-language'?: string } = {}, query = '') => {
  if (query) {
    const response = await api(`${ROUTE}${query}`, { token: await tokenFor({ role: 'citizen', niss }), headers });
    return { response, body: (await response.json()) as any };
  }
  const client = await clientFor({ role: 'citizen', niss }, headers['accept-language'] ? { language: headers['accept-language'] } : {});
  const { data, error, response } = await client.GET(ROUTE);
  return { response, body: (data ?? error) as any };
};
const reason = (body: any, code: string) => body.reasons.find((r: any) => r.reason === code);

describe('career-break possibilities over HTTP', () => {
  it('shows an adult private-sector worker their remaining time credit, in the asked language, without echoing the NISS', async () => {
    const { response, body } = await ask('85073003328', { 'accept-language': 'nl-BE,nl;q=0.9' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-language')).toBe('nl');
    expect(body.preconditions).toEqual({ met: true, failed: [] });
    expect(body.employer).toEqual({ enterpriseNumber: '0403170701' });
    // 18 months at 1/5 for a child under 8 count as 18 of the 51 (calendar months).
    expect(reason(body, 'TRAINING')).toEqual({
      reason: 'TRAINING',
      label: 'Opleiding',
      available: true,
      remainingMonths: { FULL_TIME: 33, HALF_TIME: 33, ONE_FIFTH: 33 },
      closedBecause: [],
    });
    expect(reason(body, 'OTHER').closedBecause).toEqual([{ code: 'NOT_AVAILABLE_IN_SECTOR', label: 'Niet beschikbaar in uw sector' }]);
    expect(JSON.stringify(body)).not.toContain('85073003328');
  });

  it('shows a public-sector worker the ordinary career break and no time credit', async () => {
    const { body } = await ask('78021511718', { 'accept-language': 'fr' });
    expect(reason(body, 'OTHER')).toMatchObject({ available: true, remainingMonths: { FULL_TIME: 48, HALF_TIME: 60, ONE_FIFTH: 60 } });
    expect(reason(body, 'TRAINING')).toMatchObject({ available: false, closedBecause: [{ code: 'NOT_AVAILABLE_IN_SECTOR' }] });
    expect(reason(body, 'TRAINING').label).toBe('Formation');
  });

  it('sums parental leave over the children still young enough, in every regime', async () => {
    const { body } = await ask('82061119872');
    // The second child's 4 months were taken (8 months half time); the disabled youngest has 4.
    expect(reason(body, 'PARENTAL_LEAVE').remainingMonths).toEqual({ FULL_TIME: 4, HALF_TIME: 8, ONE_FIFTH: 20, ONE_TENTH: 40 });
  });

  it('says why the reasons of a used-up pool are closed', async () => {
    const { body } = await ask('91011715490', { 'accept-language': 'en' });
    expect(reason(body, 'CHILD_UNDER_8')).toMatchObject({
      available: false,
      closedBecause: [{ code: 'POOL_EXHAUSTED', label: 'You have used up the maximum allowed' }],
    });
  });

  it.each([
    ['a person under 18', '10050324536', ['UNDER_18']],
    ['a self-employed person', '75092106174', ['NO_PUBLIC_OR_PRIVATE_SECTOR_CAREER']],
    ['a person the career source does not know', '88041212335', ['NO_PUBLIC_OR_PRIVATE_SECTOR_CAREER']],
  ])('answers %s with the failed precondition, without calling ONEM', async (_who, niss, failed) => {
    const before = await sourceHits('onem');
    const { response, body } = await ask(niss);
    expect(response.status).toBe(200);
    expect(body).toEqual({ preconditions: { met: false, failed }, employer: null, reasons: [] });
    expect(await sourceHits('onem')).toBe(before);
  });

  it('calls ONEM exactly once per request', async () => {
    const before = await sourceHits('onem');
    await ask('85073003328');
    expect(await sourceHits('onem')).toBe(before + 1);
  });

  it('refuses another citizen’s NISS in the query, and does not use it', async () => {
    const before = await sourceHits('onem');
    const { response, body } = await ask('85073003328', {}, '?niss=78021511718');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(body.detail).toContain('"niss"');
    expect(await sourceHits('onem')).toBe(before);
  });
});

// What is stored is read from DynamoDB here: the local cloud's (the container keeps none of it; the PostgreSQL scan checks it).
describe.skipIf(isExternalTarget() || isContainerTarget())('career-break lookup when ONEM misbehaves', () => {
  const { dynamodb } = targetClients();
  const doc = createDocumentClient(dynamodb);
  afterEach(() => setFault('onem', 'ok'));
  afterAll(() => dynamodb.destroy());

  it('drops the personal fields ONEM adds: not in the answer, not in the logs, not in DynamoDB', async () => {
    await setFault('onem', 'extra-fields');
    const { response, body } = await ask('85073003328');
    expect(response.status).toBe(200);
    const forbidden = [EXTRA_PERSONAL_FIELDS.lastName, EXTRA_PERSONAL_FIELDS.address.street, EXTRA_PERSONAL_FIELDS.phone, 'nationality'];
    const answer = JSON.stringify(body);
    for (const value of forbidden) expect(answer).not.toContain(value);
    const logs = await readFile(targetValue('CLOUD_LOG_FILE'), 'utf8');
    for (const value of [...forbidden, '85073003328']) expect(logs).not.toContain(value);
    for (const table of ['CLAIMS_TABLE', 'PREMIUM_CHECKS_TABLE', 'AUDIT_TABLE']) {
      const { Items = [] } = await doc.send(new ScanCommand({ TableName: targetValue(table) }));
      const stored = JSON.stringify(Items);
      for (const value of forbidden) expect(stored, table).not.toContain(value);
      // The lookup stores nothing: its subject may appear only where another purpose put it (a claim).
      if (table === 'AUDIT_TABLE') expect(stored).not.toContain('85073003328');
    }
  });

  it('answers 503 with Retry-After when ONEM is down, and 502 when it answers garbage', async () => {
    await setFault('onem', 'down');
    const down = await ask('85073003328');
    expect(down.response.status).toBe(503);
    expect(down.response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(down.body).toMatchObject({ code: 'SOURCE_UNAVAILABLE', source: 'onem' });
    await setFault('onem', 'garbage');
    const garbage = await ask('85073003328');
    expect(garbage.response.status).toBe(502);
    expect(garbage.body).toMatchObject({ code: 'SOURCE_CONTRACT_VIOLATION', source: 'onem' });
  });

  it('answers 503 instead of hanging when ONEM is slow', async () => {
    await setFault('onem', 'slow', 8_000);
    const { response, body } = await ask('85073003328');
    expect(response.status).toBe(503);
    expect(body.code).toBe('SOURCE_UNAVAILABLE');
  });
});

// POST /v1/career-break/what-if over HTTP: the same pre-filter and single ONEM call, then the plan.
const plan = async (niss: string, body: Record<string, unknown>, language = 'en') => {
  const client = await clientFor({ role: 'citizen', niss }, { language });
  const { data, error, response } = await client.POST('/v1/career-break/what-if', { body: body as never });
  return { response, body: (data ?? error) as any };
};

describe('the career-break what-if over HTTP', () => {
  it('applies a plan to ONEM’s counters: a year of training at 1/5 leaves 21 months in the shared pool, parental leave untouched', async () => {
    const before = await sourceHits('onem');
    const { response, body } = await plan('85073003328', { reason: 'TRAINING', regime: 'ONE_FIFTH', months: 12, from: '2025-01-01' }, 'nl');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-language')).toBe('nl');
    expect(await sourceHits('onem')).toBe(before + 1);
    expect(body.plan).toMatchObject({ fits: true, until: '2025-12-31', refusedBecause: [] });
    expect(body.plan.caveats.map((c: any) => c.code)).toEqual([]);
    expect(reason(body, 'TRAINING')).toMatchObject({ label: 'Opleiding', remainingMonths: { FULL_TIME: 21, HALF_TIME: 21, ONE_FIFTH: 21 } });
    expect(reason(body, 'CHILD_UNDER_8').remainingMonths).toEqual({ FULL_TIME: 21, HALF_TIME: 21, ONE_FIFTH: 21 });
    expect(reason(body, 'PARENTAL_LEAVE').remainingMonths).toEqual({ FULL_TIME: 4, HALF_TIME: 8, ONE_FIFTH: 20, ONE_TENTH: 40 });
    expect(JSON.stringify(body)).not.toContain('85073003328');
  });

  it('says why a plan does not fit, and shows the counters unchanged', async () => {
    const { body } = await plan('85073003328', { reason: 'TRAINING', regime: 'ONE_FIFTH', months: 40, from: '2025-01-01' });
    expect(body.plan).toMatchObject({ fits: false, refusedBecause: [{ code: 'NOT_ENOUGH_MONTHS', label: 'You have 33 months left in this regime' }] });
    expect(reason(body, 'TRAINING').remainingMonths.ONE_FIFTH).toBe(33);
    const past = await plan('85073003328', { reason: 'TRAINING', regime: 'ONE_FIFTH', months: 6, from: '2024-11-14' });
    expect(past.body.plan.refusedBecause.map((r: any) => r.code)).toEqual(['STARTS_BEFORE_TODAY']);
  });

  it('answers a person the pre-filter stops without calling ONEM', async () => {
    const before = await sourceHits('onem');
    const { body } = await plan('10050324536', { reason: 'PARENTAL_LEAVE', regime: 'FULL_TIME', months: 1, from: '2025-01-01' });
    expect(body).toMatchObject({
      preconditions: { met: false, failed: ['UNDER_18'] },
      reasons: [],
      plan: { fits: false, refusedBecause: [{ code: 'PRECONDITIONS_NOT_MET' }] },
    });
    expect(await sourceHits('onem')).toBe(before);
  });

  it('refuses a plan it cannot read, and a subject in the body, before any source is called', async () => {
    const before = await sourceHits('onem');
    const zero = await plan('85073003328', { reason: 'TRAINING', regime: 'ONE_FIFTH', months: 0, from: '2025-01-01' });
    expect(zero.response.status).toBe(400);
    expect(zero.body.errors).toEqual([{ path: 'body.months', message: expect.any(String) }]);
    const impossible = await plan('85073003328', { reason: 'TRAINING', regime: 'ONE_FIFTH', months: 6, from: '2025-02-30' });
    expect(impossible.body.errors).toEqual([{ path: 'body.from', message: expect.stringContaining('ISO date') }]);
    const someoneElse = await plan('85073003328', { reason: 'TRAINING', regime: 'ONE_FIFTH', months: 6, from: '2025-01-01', niss: '78021511718' });
    expect(someoneElse.response.status).toBe(400);
    expect(await sourceHits('onem')).toBe(before);
  });
});
