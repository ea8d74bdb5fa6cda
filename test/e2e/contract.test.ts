import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { buildOpenApiDocument } from '../../shared/contract/openapi.js';
import { api, clientFor } from '../support/tokens.js';

// The document the API serves is the one generated from the catalogue, without a token,
// and the typed client speaks it (every answer of these suites is checked against it:
// test/support/contract.ts).
describe('the OpenAPI document over HTTP', () => {
  it('is served without a token at /v1/openapi.json, equal to the one generated from the purpose catalogue', async () => {
    const response = await api('/v1/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument({ version: pkg.version }))));
  });

  it('is rendered as a reference at /docs from files served by the API itself', async () => {
    const page = await api('/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script src="/docs/swagger-ui-bundle.js"></script>');
    expect(html).not.toMatch(/https?:\/\//);
    const script = await api('/docs/swagger-ui-bundle.js');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await script.text()).length).toBeGreaterThan(500_000);
    expect((await api('/docs/nothing-here.js')).status).toBe(404);
  });

  it('is what the typed client calls: a typed answer, or a typed problem', async () => {
    const citizen = await clientFor({ role: 'citizen', niss: '85073003328' });
    const { data, error } = await citizen.GET('/v1/training-leave/claims', { params: { query: {} } });
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ status: 403, code: 'ROLE_NOT_ALLOWED' });
    const health = await (await clientFor(undefined)).GET('/v1/health');
    expect(health.data?.status).toBe('up');
  });
});
