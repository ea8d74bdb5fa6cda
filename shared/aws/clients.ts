import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { RuntimeConfig } from '../config/env.js';

// The endpoint is passed explicitly rather than left to AWS_ENDPOINT_URL_*: with the
// SQS client, an endpoint from the environment alone still sends requests to the
// host inside AWS-style queue URLs. Timeouts keep a stuck emulator or region from
// hanging an invocation until the Lambda timeout.
export const requestHandler = { connectionTimeout: 2_000, requestTimeout: 5_000 } as const;

/**
 * Without the SDK's logger middleware: with no logger configured it still walked every input
 * and output through the schema's sensitivity filter, for a logger that discards it (measured:
 * 15-25 % of the client's own CPU per request, sent in memory to a stub handler;
 * BENCHMARKS.md). Requests hold sealed NISS and subject hashes: they are not for a log anyway.
 */
export const withoutSdkLogging = <C extends { middlewareStack: { remove(name: string): boolean } }>(client: C): C => {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
};

export const createDynamoDbClient = (cfg: Pick<RuntimeConfig, 'region' | 'endpoints'>): DynamoDBClient =>
  withoutSdkLogging(new DynamoDBClient({ region: cfg.region, endpoint: cfg.endpoints.dynamodb, maxAttempts: 3, requestHandler }));

export const createDocumentClient = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

export const createSqsClient = (cfg: Pick<RuntimeConfig, 'region' | 'endpoints'>): SQSClient =>
  withoutSdkLogging(new SQSClient({ region: cfg.region, endpoint: cfg.endpoints.sqs, maxAttempts: 3, requestHandler }));

export const createKmsClient = (cfg: Pick<RuntimeConfig, 'region' | 'endpoints'>): KMSClient =>
  withoutSdkLogging(new KMSClient({ region: cfg.region, endpoint: cfg.endpoints.kms, maxAttempts: 3, requestHandler }));
