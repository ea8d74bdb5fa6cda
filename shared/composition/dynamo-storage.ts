import { DescribeTableCommand, DescribeTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AuditTrail } from '../audit/audit-trail.js';
import { createDocumentClient, createDynamoDbClient, createSqsClient } from '../aws/clients.js';
import type { RuntimeConfig } from '../config/env.js';
import { once } from '../config/once.js';
import { logger } from '../observability/logger.js';
import { SqsClaimQueue } from '../storage/claim-queue.js';
import { ClaimStore } from '../storage/claims.js';
import { PremiumCheckStore } from '../storage/premium-checks.js';
import { purgeExpired } from '../storage/retention-repository.js';
import type { ClaimQueueWithBatch, PurgeResult, Storage, StorageParts } from './storage.js';

/**
 * The Lambda functions' storage, exactly as before the factory: DynamoDB tables (named by
 * the environment) and the SQS claim queue. The container uses the tables too until its
 * PostgreSQL adapters are merged, with its own queue (`queue`).
 */
export const dynamoStorage = (cfg: RuntimeConfig, parts: StorageParts, queue?: ClaimQueueWithBatch): Storage => {
  const client = createDynamoDbClient(cfg);
  const doc = createDocumentClient(client);
  const tables = cfg.tables;
  return {
    claims: (purpose, privacy) =>
      new ClaimStore(doc, tables.claims, purpose, privacy ?? { pseudonymiser: parts.pseudonymiser, cipher: parts.nissCipher() }, parts.clock, {
        // What each list page read against what it returned (ScannedCount summed over its queries), at DEBUG for capacity work.
        onListRead: (read) => logger.debug('claim list page read', { ...read }),
      }),
    premiumChecks: (purpose) => new PremiumCheckStore(doc, tables.premiumChecks, purpose, parts.clock),
    // An access happens now, whatever day the rules are replayed on (LOCAL_CLOCK): the
    // trail keeps the wall clock, so its records and their expiry are real.
    audit: new AuditTrail(doc, tables.audit, parts.pseudonymiser, () => new Date()),
    // The SQS client is built on first send: only the submission and the sweeper send.
    claimQueue:
      queue ??
      new SqsClaimQueue(
        once(() => createSqsClient(cfg)),
        cfg.claimQueueUrl,
      ),
    purge: () => purgeTables(client, doc, Object.values(tables)),
  };
};

/**
 * Every item past its expiry, in every table. Keys and TTL attribute are read from the
 * tables themselves, so they are declared once, in serverless.yml.
 */
const purgeTables = (client: DynamoDBClient, doc: DynamoDBDocumentClient, names: readonly string[]): Promise<PurgeResult[]> =>
  // The tables side by side: each is its own key space and capacity, and the scheduled
  // run's first call waited for one table after another (BENCHMARKS.md, cold start).
  Promise.all(
    names.map(async (name) => {
      const [{ Table }, { TimeToLiveDescription }] = await Promise.all([
        client.send(new DescribeTableCommand({ TableName: name })),
        client.send(new DescribeTimeToLiveCommand({ TableName: name })),
      ]);
      const keys = (Table?.KeySchema ?? []).map((k) => k.AttributeName!);
      return purgeExpired(doc, { name, keys, ttlAttribute: TimeToLiveDescription?.AttributeName ?? 'expiresAt' });
    }),
  );
