import { createRemoteJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadOrCreateSigningKey } from '../../local/identity/keys.js';
import { signToken } from '../../local/identity/tokens.js';
import { isExternalTarget, targetValue } from '../support/target.js';

describe.skipIf(isExternalTarget())('local identity provider', () => {
  it('serves a JWKS that verifies the tokens the token command signs', async () => {
    const key = await loadOrCreateSigningKey(targetValue('LOCAL_IDP_DIR'));
    const issuer = targetValue('TOKEN_ISSUER');
    const token = await signToken(key, { role: 'citizen', niss: '85073003328' }, { issuer });
    const jwks = createRemoteJWKSet(new URL(targetValue('JWKS_URL')));
    const { payload } = await jwtVerify(token, jwks, { issuer, audience: 'bcss-exchanges', algorithms: ['RS256'] });
    expect(payload).toMatchObject({ role: 'citizen', niss: '85073003328' });
  });

  it('publishes a discovery document pointing at the JWKS', async () => {
    const issuer = targetValue('TOKEN_ISSUER');
    const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
    expect(discovery).toMatchObject({ issuer, jwks_uri: targetValue('JWKS_URL') });
  });
});
