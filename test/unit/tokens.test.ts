import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadOrCreateSigningKey } from '../../local/identity/keys.js';
import { signToken } from '../../local/identity/tokens.js';

describe('local identity provider keys and tokens', () => {
  it('keeps one key per directory, so the token command and the JWKS server agree', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'idp-'));
    const first = await loadOrCreateSigningKey(dir);
    const second = await loadOrCreateSigningKey(dir);
    expect(second.kid).toBe(first.kid);
    expect(first.publicJwk).not.toHaveProperty('d');
  });

  it('signs RS256 tokens carrying the principal, verifiable with the public JWKS only', async () => {
    const key = await loadOrCreateSigningKey(await mkdtemp(join(tmpdir(), 'idp-')));
    const token = await signToken(key, { role: 'employer', enterpriseNumber: '0403170701' }, { issuer: 'http://127.0.0.1:1' });
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet({ keys: [key.publicJwk] }), {
      issuer: 'http://127.0.0.1:1',
      audience: 'bcss-exchanges',
      algorithms: ['RS256'],
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: key.kid });
    expect(payload).toMatchObject({ role: 'employer', enterpriseNumber: '0403170701', sub: 'employer:0403170701' });
  });

  it('produces tokens another key cannot vouch for', async () => {
    const key = await loadOrCreateSigningKey(await mkdtemp(join(tmpdir(), 'idp-')));
    const other = await loadOrCreateSigningKey(await mkdtemp(join(tmpdir(), 'idp-')));
    const token = await signToken(key, { role: 'actiris' }, { issuer: 'x' });
    await expect(jwtVerify(token, createLocalJWKSet({ keys: [{ ...other.publicJwk, kid: key.kid }] }))).rejects.toThrow();
  });
});
