/** Runtime configuration, read once per container from the Lambda environment. */
export interface RuntimeConfig {
  stage: string;
  region: string;
  tables: { claims: string; premiumChecks: string; audit: string };
  claimQueueUrl: string;
  claimDeadLetterQueueUrl: string;
  /** Emulator endpoints; empty in the cloud, where the SDK's defaults apply. */
  endpoints: { dynamodb?: string; sqs?: string; kms?: string; secretsManager?: string };
  sourcesBaseUrl: string;
  auth: { jwksUrl: string; issuer: string; audience: string };
  /** The KMS keys of the subject hash, by version, the current one first (ids, not key material). */
  subjectHashKeys: MacKeyRef[];
  /**
   * The KMS keys that seal a claim's worker NISS, by version, the current one (which seals)
   * first; every one listed still opens. Key ARNs: a sealed value names the ARN of its key.
   */
  nissEncryptionKeys: MacKeyRef[];
  /** Name or ARN of the secret holding the client certificate for the sources (mutual TLS); none: plain HTTPS. */
  sourcesClientCertificateSecret?: string;
}

/** A key version and the KMS key (id, ARN or alias) that holds it. Neither is secret. */
export interface MacKeyRef {
  version: string;
  keyId: string;
}

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

const required = (env: NodeJS.ProcessEnv, name: string): string => {
  const value = env[name];
  if (value === undefined || value === '') throw new ConfigurationError(`environment variable ${name} is not set`);
  return value;
};

const optional = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
};

export const readConfig = (env: NodeJS.ProcessEnv = process.env): RuntimeConfig => ({
  stage: env.STAGE ?? 'local',
  region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'eu-west-1',
  tables: {
    claims: required(env, 'CLAIMS_TABLE'),
    premiumChecks: required(env, 'PREMIUM_CHECKS_TABLE'),
    audit: required(env, 'AUDIT_TABLE'),
  },
  claimQueueUrl: required(env, 'CLAIM_QUEUE_URL'),
  claimDeadLetterQueueUrl: required(env, 'CLAIM_DLQ_URL'),
  endpoints: {
    dynamodb: optional(env, 'AWS_ENDPOINT_URL_DYNAMODB'),
    sqs: optional(env, 'AWS_ENDPOINT_URL_SQS'),
    kms: optional(env, 'AWS_ENDPOINT_URL_KMS'),
    secretsManager: optional(env, 'AWS_ENDPOINT_URL_SECRETS_MANAGER'),
  },
  sourcesBaseUrl: required(env, 'SOURCES_BASE_URL').replace(/\/+$/, ''),
  auth: {
    jwksUrl: required(env, 'JWKS_URL'),
    issuer: required(env, 'TOKEN_ISSUER'),
    audience: required(env, 'TOKEN_AUDIENCE'),
  },
  subjectHashKeys: parseMacKeys(required(env, 'SUBJECT_HASH_KEYS')),
  nissEncryptionKeys: parseEncryptionKeys(required(env, 'NISS_ENCRYPTION_KEYS')),
  ...(optional(env, 'SOURCES_CLIENT_CERTIFICATE_SECRET') ? { sourcesClientCertificateSecret: optional(env, 'SOURCES_CLIENT_CERTIFICATE_SECRET') } : {}),
});

/**
 * `SUBJECT_HASH_KEYS`: `v2=alias/…-v2,v1=arn:aws:kms:…` — the accepted key versions, the
 * current one first. Versions are short labels (letters, digits), unique.
 */
export const parseMacKeys = (value: string, name = 'SUBJECT_HASH_KEYS'): MacKeyRef[] => {
  const keys = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.indexOf('=');
      const version = entry.slice(0, at);
      const keyId = entry.slice(at + 1);
      if (at <= 0 || !/^[A-Za-z0-9]{1,16}$/.test(version) || !keyId)
        throw new ConfigurationError(`${name}: "${entry}" is not <version>=<KMS key id, ARN or alias>`);
      return { version, keyId };
    });
  if (keys.length === 0) throw new ConfigurationError(`${name} names no key`);
  if (new Set(keys.map((k) => k.version)).size !== keys.length) throw new ConfigurationError(`${name} names a version twice`);
  return keys;
};

const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/**
 * `NISS_ENCRYPTION_KEYS`: `v2=arn:aws:kms:…:key/…,v1=arn:…` — the current key first. Key
 * ARNs only: a sealed value records the ARN of the key that wrapped its data key, and is
 * opened only by a key listed under that ARN (an alias would never match).
 */
export const parseEncryptionKeys = (value: string): MacKeyRef[] => {
  const keys = parseMacKeys(value, 'NISS_ENCRYPTION_KEYS');
  const notArn = keys.find((k) => !KEY_ARN.test(k.keyId));
  if (notArn) throw new ConfigurationError(`NISS_ENCRYPTION_KEYS: ${notArn.version} is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)`);
  return keys;
};

/**
 * `ALLOWED_ORIGINS`: `https://a.example,https://b.example` — the origins other than the pages'
 * own that may call the API from a browser (CORS); none by default, since the pages are served
 * on the API's origin and same-origin calls need no CORS. Each must be a bare origin (scheme,
 * host, optional port); a wildcard is refused: it would hand the API to any site.
 */
export const parseAllowedOrigins = (value: string): string[] =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      if (!/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(entry)) {
        throw new ConfigurationError(`ALLOWED_ORIGINS: "${entry}" is not an origin (scheme://host[:port], no path, no wildcard)`);
      }
      return entry.toLowerCase();
    });

/** The CORS origins of this container; read apart from `config()`, which needs settings the edge does not. */
export const allowedOrigins = (env: NodeJS.ProcessEnv = process.env): string[] => parseAllowedOrigins(env.ALLOWED_ORIGINS ?? '');

let cached: RuntimeConfig | undefined;
/** Configuration of this container; read lazily so a missing variable becomes a problem response, not an init crash. */
export const config = (): RuntimeConfig => (cached ??= readConfig());
