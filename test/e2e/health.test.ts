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
