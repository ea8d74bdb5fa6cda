import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createListClaimsHandler } from '../../functions/training-leave/list-claims.js';
import { listTrainingLeaveClaims } from '../../shared/purposes/catalogue.js';
import { InMemoryClaims } from '../support/fakes.js';
import { lambdaContext } from '../support/lambda.js';
import { type Harness, httpEvent, startHarness } from '../support/purpose-harness.js';

/**
 * Adversarial: an answer chosen by Accept-Language must say so (RFC 9110 §12.5.5, `Vary:
 * Accept-Language`), or a cache (a browser's, a proxy's, a CDN in front of the API) may give
 * one reader the page another asked in French. Only `Vary: Origin` is sent.
 */
describe('a negotiated answer names Accept-Language in Vary', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('on the claim list (nl, fr, en)', async () => {
    const list = createListClaimsHandler(() => ({ ...h.deps(listTrainingLeaveClaims.purpose)(), claims: new InMemoryClaims() }));
    const response = await list(
      httpEvent({
        path: '/v1/training-leave/claims',
        token: await h.token({ role: 'employer', enterpriseNumber: '0403170701' }),
        headers: { 'Accept-Language': 'fr' },
      }),
      lambdaContext(),
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-language']).toBe('fr');
    const vary = Object.entries(response.headers ?? {})
      .filter(([k]) => k.toLowerCase() === 'vary')
      .map(([, v]) => String(v))
      .join(', ');
    expect(vary.toLowerCase()).toContain('accept-language');
  });
});
