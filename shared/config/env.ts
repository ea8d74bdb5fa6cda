/**
 * Every setting either runtime reads, typed, in one module: the functions' configuration
 * (`config()`: what a purpose needs, required), the settings every module may read without
 * them (`settings()`: stage, log service name, retention overrides, scenario clock, sweep
 * age) and the container runtime's own (`containerConfig()`). Each is read once per process
 * from the environment; the `read…(env)` forms take an environment for tests. No other
 * module reads process.env.
 */
export type Runtime = 'lambda' | 'container';

/** Runtime configuration, read once per container from the Lambda environment. */
export interface RuntimeConfig {
  runtime: Runtime;
  stage: string;
  region: string;
  tables: { claims: string; premiumChecks: string; audit: string };
  /** The SQS claim queue and its dead-letter queue (Lambda); empty in the container, whose queue is on PostgreSQL. */
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

/** RUNTIME: `lambda` (default) or `container`. */
export const parseRuntime = (value: string | undefined): Runtime => {
  if (value === undefined || value === '' || value === 'lambda') return 'lambda';
  if (value === 'container') return 'container';
  throw new ConfigurationError(`RUNTIME must be lambda or container, got "${value}"`);
};

export const readConfig = (env: NodeJS.ProcessEnv = process.env): RuntimeConfig => {
  const runtime = parseRuntime(env.RUNTIME);
  // The container's claim queue is pg-boss on DATABASE_URL: no SQS URL to require; its data is
  // on PostgreSQL unless CONTAINER_STORAGE=dynamodb names the tables.
  const queueUrl = (name: string) => (runtime === 'lambda' ? required(env, name) : (optional(env, name) ?? ''));
  const onDynamoDb = runtime === 'lambda' || env.CONTAINER_STORAGE === 'dynamodb';
  const table = (name: string) => (onDynamoDb ? required(env, name) : (optional(env, name) ?? ''));
  return {
    runtime,
    stage: env.STAGE ?? 'local',
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'eu-west-1',
    tables: {
      claims: table('CLAIMS_TABLE'),
      premiumChecks: table('PREMIUM_CHECKS_TABLE'),
      audit: table('AUDIT_TABLE'),
    },
    claimQueueUrl: queueUrl('CLAIM_QUEUE_URL'),
    claimDeadLetterQueueUrl: queueUrl('CLAIM_DLQ_URL'),
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
  };
};

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

/** Settings any module may read, none required: each has a default. */
export interface Settings {
  stage: string;
  /** POWERTOOLS_SERVICE_NAME: the logs' service name. */
  serviceName: string;
  /** LOCAL_CLOCK, honoured on the `local` stage only (an ISO instant, checked when used). */
  localClock?: string;
  /** Retention overrides by variable (PREMIUM_CHECK_RETENTION_YEARS, AUDIT_RETENTION_YEARS): they may only shorten, checked where used. */
  retentionOverrides: Readonly<Record<string, string | undefined>>;
  /** CLAIM_SWEEP_AFTER_SECONDS: how long a claim waits before the sweeper queues it again (default 300). */
  claimSweepAfterSeconds: number;
  /**
   * AUDIT_SHARDS: over how many partition keys the audit trail spreads a purpose's day on
   * DynamoDB (default 16, at most 64; shared/storage/audit-keys.ts). Each day records the
   * counts it was written with, and is read under the largest, so the count may change at any
   * time; raise it when one purpose's writes near 16 000 a second (about 1 000 per partition).
   */
  auditShards: number;
  /**
   * CLAIM_INDEX_SHARDS: how many partitions each write-sharded claim index spreads over
   * (default 8; shared/storage/sharded-index.ts). Only ever raised on a table with data: a
   * claim keeps the shard it was written under, and readers ask shards 0 to N-1 only.
   */
  claimIndexShards: number;
}

/** The variables that may shorten a declared retention (shared/purposes, shared/audit name them). */
export const RETENTION_OVERRIDES = ['PREMIUM_CHECK_RETENTION_YEARS', 'AUDIT_RETENTION_YEARS'] as const;

const wholeNumber = (env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number => {
  const value = optional(env, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new ConfigurationError(`${name} must be a whole number ≥ ${min}, got "${value}"`);
  return n;
};

/** AUDIT_SHARDS: 1 to 64 (MAX_AUDIT_SHARDS), default 16 (DEFAULT_AUDIT_SHARDS). */
const auditShards = (env: NodeJS.ProcessEnv): number => {
  const n = wholeNumber(env, 'AUDIT_SHARDS', 16, 1);
  if (n > 64) throw new ConfigurationError(`AUDIT_SHARDS must be at most 64, got "${n}"`);
  return n;
};

/** The most shards a claim index may have: a list page asks every shard once at least (64 is already 64 queries a page). */
export const CLAIM_INDEX_SHARDS_MAX = 64;

const claimIndexShards = (env: NodeJS.ProcessEnv): number => {
  const n = wholeNumber(env, 'CLAIM_INDEX_SHARDS', 8, 1);
  if (n > CLAIM_INDEX_SHARDS_MAX) throw new ConfigurationError(`CLAIM_INDEX_SHARDS must be at most ${CLAIM_INDEX_SHARDS_MAX}, got "${n}"`);
  return n;
};

export const readSettings = (env: NodeJS.ProcessEnv = process.env): Settings => {
  const stage = env.STAGE ?? 'local';
  const localClock = stage === 'local' ? optional(env, 'LOCAL_CLOCK') : undefined;
  return {
    stage,
    serviceName: optional(env, 'POWERTOOLS_SERVICE_NAME') ?? 'bcss-exchanges',
    ...(localClock ? { localClock } : {}),
    retentionOverrides: Object.fromEntries(RETENTION_OVERRIDES.map((name) => [name, optional(env, name)])),
    claimSweepAfterSeconds: wholeNumber(env, 'CLAIM_SWEEP_AFTER_SECONDS', 300),
    auditShards: auditShards(env),
    claimIndexShards: claimIndexShards(env),
  };
};

let cachedSettings: Settings | undefined;
/** The settings of this process, read on first use. */
export const settings = (): Settings => (cachedSettings ??= readSettings());

/** Where the container keeps its claims, premium checks and audit trail. */
export type ContainerStorageKind = 'dynamodb' | 'postgres';

/** The container runtime's own settings (`npm run serve`, the image). */
export interface ContainerConfig {
  /** DATABASE_URL: the PostgreSQL of the claim queue (and of the storage, with CONTAINER_STORAGE=postgres); none: `npm run serve` starts its own. */
  databaseUrl?: string;
  /** PORT: the HTTP port (API, /docs and the pages on one origin). */
  httpPort: number;
  /** HOST: the address to listen on (127.0.0.1; 0.0.0.0 inside an image). */
  host: string;
  /** CONTAINER_STORAGE: `postgres` (default: everything on DATABASE_URL) or `dynamodb` (claims, checks and audit on DynamoDB, the queue on PostgreSQL). */
  storage: ContainerStorageKind;
  /** DATABASE_POOL_SIZE: connections this process opens at most (every replica's count against PostgreSQL's max_connections). */
  poolSize: number;
  /** PGBOSS_SCHEMA: pg-boss's own schema (default pgboss), made and migrated by pg-boss at start. */
  queueSchema: string;
  /** CLAIM_QUEUE_NAME: the claim queue's name (its dead-letter queue is `<name>-dlq`). */
  claimQueueName: string;
  /** WORKER_CONCURRENCY: claim batches worked at once in this process. */
  workerConcurrency: number;
  /** CLAIM_BATCH_SIZE: claims taken per fetch (as the SQS trigger's batch). */
  claimBatchSize: number;
  /** CLAIM_MAX_RECEIVE_COUNT: deliveries of a claim before its dead-letter queue (SQS maxReceiveCount). */
  claimMaxReceiveCount: number;
  /** CLAIM_RETRY_DELAY_SECONDS: the first retry's delay, doubled per retry (pg-boss retryBackoff). */
  claimRetryDelaySeconds: number;
  /** CLAIM_POLL_SECONDS: how often an idle worker asks for claims (≥ 0.5). */
  claimPollSeconds: number;
  /** SWEEP_CRON, PURGE_CRON: when the sweeper and the retention purge run (pg-boss schedules: one replica runs each). */
  sweepCron: string;
  purgeCron: string;
  /** WORKERS: `off` serves HTTP only (no claim worker, no schedules). */
  workers: boolean;
  /** WEB_DIR: the built pages to serve on the same origin; none: no pages. */
  webDir?: string;
  /** SHUTDOWN_TIMEOUT_SECONDS: how long a stop waits for in-flight requests and jobs. */
  shutdownTimeoutSeconds: number;
  /** MAX_REQUEST_BYTES: bodies above are refused (413) before they are read. */
  maxRequestBytes: number;
  /**
   * THROTTLE_SCALE: the catalogue's route throttles times this, per replica (1: as API
   * Gateway's; 1/N behind a balancer of N replicas; 0: no throttle, for the test suites).
   */
  throttleScale: number;
}

const nonNegative = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const value = optional(env, name);
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isFinite(n) || n < 0) throw new ConfigurationError(`${name} must be a number ≥ 0, got "${value}"`);
  return n;
};

const port = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const n = wholeNumber(env, name, fallback);
  if (n > 65_535) throw new ConfigurationError(`${name} must be a port number, got "${n}"`);
  return n;
};

export const readContainerConfig = (env: NodeJS.ProcessEnv = process.env): ContainerConfig => {
  const storage = optional(env, 'CONTAINER_STORAGE') ?? 'postgres';
  if (storage !== 'dynamodb' && storage !== 'postgres') throw new ConfigurationError(`CONTAINER_STORAGE must be dynamodb or postgres, got "${storage}"`);
  const pollSeconds = Number(optional(env, 'CLAIM_POLL_SECONDS') ?? 1);
  if (!(pollSeconds >= 0.5)) throw new ConfigurationError('CLAIM_POLL_SECONDS must be a number ≥ 0.5');
  const databaseUrl = optional(env, 'DATABASE_URL');
  const webDir = optional(env, 'WEB_DIR');
  return {
    ...(databaseUrl ? { databaseUrl } : {}),
    httpPort: port(env, 'PORT', 3000),
    host: optional(env, 'HOST') ?? '127.0.0.1',
    storage,
    poolSize: wholeNumber(env, 'DATABASE_POOL_SIZE', 10, 1),
    queueSchema: optional(env, 'PGBOSS_SCHEMA') ?? 'pgboss',
    claimQueueName: optional(env, 'CLAIM_QUEUE_NAME') ?? 'claims',
    workerConcurrency: wholeNumber(env, 'WORKER_CONCURRENCY', 2, 1),
    claimBatchSize: wholeNumber(env, 'CLAIM_BATCH_SIZE', 10, 1),
    claimMaxReceiveCount: wholeNumber(env, 'CLAIM_MAX_RECEIVE_COUNT', 3, 1),
    claimRetryDelaySeconds: wholeNumber(env, 'CLAIM_RETRY_DELAY_SECONDS', 5, 1),
    claimPollSeconds: pollSeconds,
    sweepCron: optional(env, 'SWEEP_CRON') ?? '*/5 * * * *',
    purgeCron: optional(env, 'PURGE_CRON') ?? '30 2 * * *',
    workers: optional(env, 'WORKERS') !== 'off',
    ...(webDir ? { webDir } : {}),
    shutdownTimeoutSeconds: wholeNumber(env, 'SHUTDOWN_TIMEOUT_SECONDS', 25, 1),
    maxRequestBytes: wholeNumber(env, 'MAX_REQUEST_BYTES', 1024 * 1024, 1),
    throttleScale: nonNegative(env, 'THROTTLE_SCALE', 1),
  };
};

let cachedContainer: ContainerConfig | undefined;
/** The container runtime's settings, read on first use. */
export const containerConfig = (): ContainerConfig => (cachedContainer ??= readContainerConfig());
