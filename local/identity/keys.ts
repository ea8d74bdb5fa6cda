import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { webcrypto } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

type CryptoKey = webcrypto.CryptoKey;

/**
 * The local identity provider's signing key. Kept in a file (default `.local/idp/`,
 * git-ignored) so the token command and the running JWKS server agree without
 * talking to each other. RS256: the algorithm an API Gateway JWT authorizer accepts.
 */
export const ALGORITHM = 'RS256';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export const defaultKeyDir = (): string => process.env.LOCAL_IDP_DIR ?? join(process.cwd(), '.local', 'idp');

export const loadOrCreateSigningKey = async (dir = defaultKeyDir()): Promise<SigningKey> => {
  const file = join(dir, 'signing-key.json');
  let privateJwk: JWK;
  try {
    privateJwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
  } catch {
    const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    privateJwk = { ...(await exportJWK(privateKey)), kid: `local-${Date.now().toString(36)}`, alg: ALGORITHM, use: 'sig' };
    await mkdir(dir, { recursive: true });
    // `wx`: two processes racing to create the key keep the first one.
    await writeFile(file, JSON.stringify(privateJwk), { mode: 0o600, flag: 'wx' }).catch(async () => {
      privateJwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
    });
  }
  const { d, p, q, dp, dq, qi, ...publicJwk } = privateJwk;
  void d, p, q, dp, dq, qi;
  return {
    kid: privateJwk.kid!,
    privateKey: (await importJWK(privateJwk, ALGORITHM)) as CryptoKey,
    publicJwk,
  };
};
