import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEncryptionKeys, parseMacKeys } from '../shared/config/env.js';
import { loadOrCreateTlsMaterial } from './fake-aws/certificates.js';
import { loadOrCreateEncryptionKeys, loadOrCreateMacKeys } from './fake-aws/keys.js';
import { startFakeAws } from './fake-aws/server.js';
import type { Dataset } from './fake-sources/dataset.js';
import { startFakeSources } from './fake-sources/server.js';
import { loadOrCreateSigningKey, type SigningKey } from './identity/keys.js';
import { startIdentityProvider } from './identity/server.js';

/**
 * The stand-ins both local runtimes start (npm start, npm run serve): the fake sources, the
 * local identity provider and the KMS / Secrets Manager stand-in, with their keys, and the
 * environment that points the functions at them.
 */
export const LOCAL_SUBJECT_HASH_KEYS = 'v1=alias/bcss-exchanges-local-subject-hash-v1';
/**
 * The local key that seals claims' NISS: a key ARN (a sealed value names its key's ARN), with
 * a fixed id so that claims kept on disk open after a restart. serverless.yml's `local` stage
 * names the same ARN.
 */
export const LOCAL_NISS_ENCRYPTION_KEYS = 'v1=arn:aws:kms:eu-west-1:000000000000:key/6b1f3c5e-0d2a-4c8e-9f47-3a5b7c9d1e20';
export const LOCAL_CERTIFICATE_SECRET = 'bcss-exchanges-local/sources-client-certificate';
export const LOCAL_REGION = 'eu-west-1';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface StandIns {
  /** SOURCES_BASE_URL, JWKS_URL, TOKEN_ISSUER, AWS_ENDPOINT_URL_KMS/SECRETS_MANAGER, the key names, region and credentials. */
  env: Record<string, string>;
  /** The identity provider's signing key (the local sign-in and `npm run token` sign with it). */
  signingKey: SigningKey;
  idpIssuer: string;
  /** Each started stand-in's stop, in start order. */
  stops: (() => Promise<void>)[];
  kmsEndpoint: string;
}

export const startStandIns = async ({
  ports,
  dataset,
  idpDir,
  keysDir: keysFolder,
  sourcesTls = false,
  clock,
  log = () => {},
}: {
  ports: { sources: number; idp: number; kms: number };
  dataset: Dataset;
  idpDir?: string;
  keysDir?: string;
  sourcesTls?: boolean;
  /** The fake sources' "now" (the functions' LOCAL_CLOCK rule: sourcesClock). */
  clock?: () => Date;
  log?: (component: string, line: string) => void;
}): Promise<StandIns> => {
  const stops: (() => Promise<void>)[] = [];
  const start = async <T extends { stop?: () => Promise<void>; close?: () => Promise<void> }>(name: string, starting: Promise<T>): Promise<T> => {
    const started = await starting;
    stops.push(() => (started.stop ?? started.close)!.call(started));
    log(name, 'ready');
    return started;
  };
  const idpIssuer = `http://127.0.0.1:${ports.idp}`;
  const key = await loadOrCreateSigningKey(idpDir);
  const keysDir = keysFolder ?? (await mkdtemp(join(tmpdir(), 'local-keys-')));
  const hashKeys = parseMacKeys(LOCAL_SUBJECT_HASH_KEYS);
  const macKeys = await loadOrCreateMacKeys(
    join(keysDir, 'kms'),
    hashKeys.map((k) => k.version),
  );
  const nissKeys = parseEncryptionKeys(LOCAL_NISS_ENCRYPTION_KEYS);
  const nissMaterial = await loadOrCreateEncryptionKeys(
    join(keysDir, 'kms'),
    nissKeys.map((k) => k.version),
  );
  // The stand-in holds each key under the id its ARN names.
  const encryptionKeys = new Map(nissKeys.map((k) => [k.keyId.slice(k.keyId.lastIndexOf('/') + 1), nissMaterial.get(k.version)!]));
  const tls = sourcesTls ? await loadOrCreateTlsMaterial(join(keysDir, 'tls')) : undefined;
  const secrets = new Map<string, string>();
  if (tls) secrets.set(LOCAL_CERTIFICATE_SECRET, JSON.stringify({ certificate: tls.client.certificate, privateKey: tls.client.privateKey, ca: tls.ca }));
  try {
    const [sources, , aws] = await Promise.all([
      start('sources', startFakeSources(dataset, { port: ports.sources, ...(clock ? { clock } : {}), ...(tls ? { tls: { ...tls.server, ca: tls.ca } } : {}) })),
      start('idp', startIdentityProvider(key, { port: ports.idp })),
      start(
        'kms',
        startFakeAws({
          port: ports.kms,
          region: LOCAL_REGION,
          macKeys: new Map(hashKeys.map((k) => [k.keyId, macKeys.get(k.version)!])),
          encryptionKeys,
          secrets,
        }),
      ),
    ]);
    const sourcesUrl = `${sourcesTls ? 'https' : 'http'}://127.0.0.1:${ports.sources}`;
    if (sources.url !== sourcesUrl) throw new Error(`the fake sources listen on ${sources.url}, not ${sourcesUrl}`);
    const env: Record<string, string> = {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      SOURCES_BASE_URL: sourcesUrl,
      AWS_ENDPOINT_URL_KMS: `http://127.0.0.1:${ports.kms}`,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${ports.kms}`,
      SUBJECT_HASH_KEYS: LOCAL_SUBJECT_HASH_KEYS,
      NISS_ENCRYPTION_KEYS: LOCAL_NISS_ENCRYPTION_KEYS,
      ...(sourcesTls ? { SOURCES_CLIENT_CERTIFICATE_SECRET: LOCAL_CERTIFICATE_SECRET } : {}),
      JWKS_URL: `${idpIssuer}/.well-known/jwks.json`,
      TOKEN_ISSUER: idpIssuer,
      ...(idpDir ? { LOCAL_IDP_DIR: idpDir } : {}),
    };
    return { env, signingKey: key, idpIssuer, stops, kmsEndpoint: aws.endpoint };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw error;
  }
};
