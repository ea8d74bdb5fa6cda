/** Runtime configuration, read once per container from the Lambda environment. */
export interface RuntimeConfig {
  stage: string;
  region: string;
  tables: { claims: string; premiumChecks: string; audit: string };
  claimQueueUrl: string;
  claimDeadLetterQueueUrl: string;
  /** Emulator endpoints; empty in the cloud, where the SDK's defaults apply. */
  endpoints: { dynamodb?: string; sqs?: string };
  sourcesBaseUrl: string;
  auth: { jwksUrl: string; issuer: string; audience: string };
  /** Key of the keyed hash that stands for the data subject in the audit trail. */
  auditHashKey: string;
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
  endpoints: { dynamodb: optional(env, 'AWS_ENDPOINT_URL_DYNAMODB'), sqs: optional(env, 'AWS_ENDPOINT_URL_SQS') },
  sourcesBaseUrl: required(env, 'SOURCES_BASE_URL').replace(/\/+$/, ''),
  auth: {
    jwksUrl: required(env, 'JWKS_URL'),
    issuer: required(env, 'TOKEN_ISSUER'),
    audience: required(env, 'TOKEN_AUDIENCE'),
  },
  auditHashKey: required(env, 'AUDIT_HASH_KEY'),
});

let cached: RuntimeConfig | undefined;
/** Configuration of this container; read lazily so a missing variable becomes a problem response, not an init crash. */
export const config = (): RuntimeConfig => (cached ??= readConfig());
