import { describe, expect, it } from 'vitest';
import { api } from '../support/tokens.js';

describe('GET /v1/health over HTTP', () => {
  it('answers without a token and reports every dependency up', async () => {
    const response = await api('/v1/health');
    expect(response.status).toBe(200);
    const report = (await response.json()) as { status: string; dependencies: { kind: string; status: string }[] };
    expect(report.status).toBe('up');
    expect(new Set(report.dependencies.map((d) => d.kind))).toEqual(new Set(['table', 'queue', 'source']));
    expect(report.dependencies.every((d) => d.status === 'up')).toBe(true);
  });

  it('answers an unknown route with 404, not a crash', async () => {
    const response = await api('/v1/no-such-route');
    expect(response.status).toBe(404);
  });
});

// serverless-offline reflects any Origin on non-preflight answers (API Gateway does not),
// so the refusal of other origins is asserted in the unit suite, on the middleware itself.
describe('headers on every HTTP answer', () => {
  it.each([
    ['a success', '/v1/health', 200],
    ['a refusal', '/v1/career-break/possibilities', 401],
  ])('%s carries CORS for MyCareer and the security headers', async (_what, path, status) => {
    const response = await api(path, { headers: { origin: 'https://www.mycareer.be' } });
    expect(response.status).toBe(status);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://www.mycareer.be');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
  });
});
