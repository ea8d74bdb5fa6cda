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

export const createDynamoDbClient = (cfg: Pick<RuntimeConfig, 'region' | 'endpoints'>): DynamoDBClient =>
  new DynamoDBClient({ region: cfg.region, endpoint: cfg.endpoints.dynamodb, maxAttempts: 3, requestHandler });

export const createDocumentClient = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

export const createSqsClient = (cfg: Pick<RuntimeConfig, 'region' | 'endpoints'>): SQSClient =>
  new SQSClient({ region: cfg.region, endpoint: cfg.endpoints.sqs, maxAttempts: 3, requestHandler });

export const createKmsClient = (cfg: Pick<RuntimeConfig, 'region' | 'endpoints'>): KMSClient =>
  new KMSClient({ region: cfg.region, endpoint: cfg.endpoints.kms, maxAttempts: 3, requestHandler });
