import { describe, expect, it } from 'vitest';
import { targetValue } from '../support/target.js';
import { api, tokenFor } from '../support/tokens.js';

describe('GET /v1/health over HTTP', () => {
  it('answers without a token with the status only, no per-dependency detail', async () => {
    const response = await api('/v1/health');
    expect(response.status).toBe(200);
    const report = (await response.json()) as Record<string, unknown>;
    expect(report).toEqual({ status: 'up', checkedAt: expect.any(String) });
  });
});

// CORS for the origin the suites' cloud admits (ALLOWED_ORIGINS); the refusal of any other is in edge.test.ts.
describe('headers on every HTTP answer', () => {
  const cases: [string, string, () => Promise<RequestInit & { token?: string }>, number][] = [
    ['GET', '/v1/health', async () => ({}), 200],
    ['GET', '/v1/career-break/possibilities', async () => ({ token: await tokenFor({ role: 'citizen', niss: '85073003328' }) }), 200],
    ['GET', '/v1/career-break/possibilities', async () => ({}), 401],
    [
      'POST',
      '/v1/training-leave/claims',
      async () => ({
        token: await tokenFor({ role: 'employer', enterpriseNumber: '0403170701' }),
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }),
      400,
    ],
    [
      'GET',
      '/v1/training-leave/claims/0b1d2a3c-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      async () => ({ token: await tokenFor({ role: 'dwse', team: 'inspectie' }) }),
      404,
    ],
    [
      'POST',
      '/v1/premium-checks',
      async () => ({ token: await tokenFor({ role: 'citizen', niss: '85073003328' }), headers: { 'content-type': 'application/json' }, body: '{}' }),
      403,
    ],
  ];
  it.each(cases)('%s %s carries CORS for the admitted origin and the security headers (case %#)', async (method, path, init, status) => {
    const origin = targetValue('ALLOWED_ORIGINS').split(',')[0]!;
    const { headers = {}, ...rest } = await init();
    const response = await api(path, { method, ...rest, headers: { ...(headers as Record<string, string>), origin } });
    expect(response.status).toBe(status);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(response.headers.get('referrer-policy')).toBeTruthy();
  });
});
