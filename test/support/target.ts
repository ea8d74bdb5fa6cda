import { inject } from 'vitest';

/**
 * The environment the integration and e2e suites talk to. Locally it is the local
 * cloud started by globalSetup (provided through `provide`/`inject`); with
 * TEST_TARGET=external it is whatever the process environment names (LocalStack,
 * a deployed stage): AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SQS, CLAIM_QUEUE_URL,
 * CLAIM_DLQ_URL, *_TABLE, SOURCES_BASE_URL, JWKS_URL, TOKEN_ISSUER, API_URL.
 */
export const isExternalTarget = (): boolean => process.env.TEST_TARGET === 'external';

export const targetEnv = (): Record<string, string> =>
  isExternalTarget() ? (Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined)) as Record<string, string>) : inject('cloudEnv');

/** The e2e suites run against both runtimes: the container keeps its data on PostgreSQL, not DynamoDB or SQS. */
export const isContainerTarget = (): boolean => targetEnv().RUNTIME === 'container';

export const targetValue = (name: string): string => {
  const value = targetEnv()[name];
  if (!value) throw new Error(`test target has no ${name}`);
  return value;
};

declare module 'vitest' {
  export interface ProvidedContext {
    cloudEnv: Record<string, string>;
  }
}
