import { describe, expect, it } from 'vitest';
import { FUNCTIONS, rateLimitPolicyOf } from '../../shared/deployment/functions.js';
import { targetEnv, targetValue } from '../support/target.js';
import { api, tokenFor } from '../support/tokens.js';

// The edge of the API over HTTP: CORS only for the admitted origins (ALLOWED_ORIGINS, the
// gateway's and the functions' list), a problem+json 404 for any route the API does not have,
// and only UTF-8 JSON bodies. Every answer goes through the contract check (api()).
const FOREIGN = 'https://foreign.example';
const admitted = () => targetValue('ALLOWED_ORIGINS').split(',')[0]!;
const corsHeaders = (response: Response) => [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));
const preflight = (origin: string, path = '/v1/training-leave/claims') =>
  api(path, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });

describe('CORS', () => {
  it('grants no foreign origin on a simple request, a success or a refusal', async () => {
    for (const path of ['/v1/health', '/v1/career-break/possibilities', '/v1/no-such-route']) {
      const response = await api(path, { headers: { origin: FOREIGN } });
      expect(corsHeaders(response), path).toEqual([]);
    }
  });

  it('grants no foreign origin on a preflight', async () => {
    const response = await preflight(FOREIGN);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('grants the admitted origin, on a preflight and on the request that follows', async () => {
    const origin = admitted();
    const allowed = await preflight(origin);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);
    expect(allowed.headers.get('access-control-allow-methods')).toMatch(/POST/);
    const response = await api('/v1/health', { headers: { origin } });
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it.skipIf(!targetEnv().WEB_URL)('grants no foreign origin through the pages’ server either', async () => {
    const response = await fetch(`${targetEnv().WEB_URL}/v1/health`, { headers: { origin: FOREIGN } });
    expect(response.status).toBe(200);
    expect(corsHeaders(response)).toEqual([]);
  });
});

describe('a route the API does not have', () => {
  const expectNotFound = async (response: Response) => {
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 404, code: 'NOT_FOUND', title: 'Not found' });
  };

  it('is a 404 NOT_FOUND problem, not the emulator’s list of routes', async () => {
    await expectNotFound(await api('/v1/no-such-route'));
    await expectNotFound(await api('/no/such/thing?x=1', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }));
  });

  it('is the same for a method a known path does not have', async () => {
    const token = await tokenFor({ role: 'dwse', team: 'inspectie' });
    await expectNotFound(await api('/v1/training-leave/claims', { method: 'DELETE', token }));
    await expectNotFound(await api('/v1/health', { method: 'PUT' }));
  });

  it.skipIf(!targetEnv().WEB_URL)('is the same through the pages’ server', async () => {
    await expectNotFound(await fetch(`${targetEnv().WEB_URL}/v1/no-such-route`));
  });

  it('leaves the service routes served', async () => {
    expect((await api('/v1/health')).status).toBe(200);
    expect((await api('/v1/openapi.json')).status).toBe(200);
    expect((await api('/docs')).status).toBe(200);
  });
});

describe('the charset of a JSON body', () => {
  const claim = { employerEnterpriseNumber: '0403170701' };

  it('refuses a body labelled UTF-16 with 415, before reading it', async () => {
    const token = await tokenFor({ role: 'employer', enterpriseNumber: '0403170701' });
    const response = await api('/v1/training-leave/claims', {
      method: 'POST',
      token,
      headers: { 'content-type': 'application/json; charset=utf-16' },
      body: Buffer.from(`\ufeff${JSON.stringify(claim)}`, 'utf16le'),
    });
    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('reads a body labelled charset="UTF-8" (quoted, any case) as any JSON body', async () => {
    const token = await tokenFor({ role: 'employer', enterpriseNumber: '0403170701' });
    const response = await api('/v1/training-leave/claims', {
      method: 'POST',
      token,
      headers: { 'content-type': 'Application/JSON; Charset="UTF-8"' },
      body: JSON.stringify(claim),
    });
    // Read, and refused for its missing fields: past the media type.
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('problems in the reader’s language', () => {
  const said = async (response: Response) => ({
    status: response.status,
    language: response.headers.get('content-language'),
    body: (await response.json()) as any,
  });

  it('a 401 without a token, in Dutch and in French as asked', async () => {
    const nl = await said(await api('/v1/training-leave/claims', { headers: { 'accept-language': 'nl-BE,nl;q=0.9,en;q=0.5' } }));
    expect(nl).toMatchObject({
      status: 401,
      language: 'nl',
      body: { code: 'TOKEN_MISSING', title: 'Niet aangemeld', detail: 'Een header Authorization: Bearer <token> is vereist.' },
    });
    const fr = await said(await api('/v1/training-leave/claims', { headers: { 'accept-language': 'fr' } }));
    expect(fr).toMatchObject({ status: 401, language: 'fr', body: { code: 'TOKEN_MISSING', title: 'Non authentifié' } });
    // A language no problem is written in: the route's default (Dutch, the training-leave routes').
    expect(await said(await api('/v1/training-leave/claims', { headers: { 'accept-language': 'es' } }))).toMatchObject({
      language: 'nl',
      body: { title: 'Niet aangemeld' },
    });
    // A path no route serves has no default of its own: English.
    expect(await said(await api('/v1/no-such-route', { headers: { 'accept-language': 'es' } }))).toMatchObject({ language: 'en' });
  });

  it('a 400 validation problem: the sentence in the language, the fields’ messages as the schema gives them', async () => {
    const token = await tokenFor({ role: 'employer', enterpriseNumber: '0403170701' });
    const ask = (language: string) =>
      api('/v1/training-leave/claims', {
        method: 'POST',
        token,
        headers: { 'content-type': 'application/json', 'accept-language': language },
        body: JSON.stringify({ employerEnterpriseNumber: '0403170701' }),
      });
    const fr = await said(await ask('fr-BE'));
    expect(fr).toMatchObject({ status: 400, language: 'fr', body: { code: 'VALIDATION_FAILED', title: 'Requête incorrecte' } });
    expect(fr.body.detail).toMatch(/^La requête n’est pas valide : body\./);
    const nl = await said(await ask('nl'));
    expect(nl).toMatchObject({ status: 400, language: 'nl', body: { title: 'Ongeldige aanvraag' } });
    expect(nl.body.detail).toMatch(/^De aanvraag is niet geldig: body\./);
    expect(nl.body.errors).toEqual(fr.body.errors);
  });

  it('a route in French by default says its problems in French when no language is asked', async () => {
    const response = await api('/v1/premium-checks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(await said(response)).toMatchObject({ status: 401, language: 'fr', body: { code: 'TOKEN_MISSING', title: 'Non authentifié' } });
  });
});

describe('each function’s own environment', () => {
  // RateLimit-Policy comes from the function's RATE_LIMIT_POLICY, read as the answer leaves:
  // locally every function runs in serverless-offline's one process, and a function that read
  // the variables of another one started meanwhile named that one's throttle (about half the
  // answers of this test did, before serverless/in-process-runner.cjs).
  it('names the function’s own throttle, also when two functions answer at once', async () => {
    const token = await tokenFor({ role: 'citizen', niss: '85073003328' });
    const routes = [
      { path: '/v1/health', token: undefined, policy: rateLimitPolicyOf('health', FUNCTIONS.health) },
      // A function that waits for a source between its start and its answer.
      { path: '/v1/career-break/possibilities', token, policy: rateLimitPolicyOf('careerBreakPossibilities', FUNCTIONS.careerBreakPossibilities) },
    ];
    expect(routes[0]!.policy).not.toBe(routes[1]!.policy);
    const answers = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const route = routes[i % 2]!;
        const response = await api(route.path, route.token ? { token: route.token } : {});
        await response.arrayBuffer();
        return { path: route.path, status: response.status, policy: response.headers.get('ratelimit-policy'), expected: route.policy };
      }),
    );
    for (const answer of answers) expect(answer, answer.path).toMatchObject({ status: 200, policy: answer.expected });
  });
});
