import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { createDocumentClient, createDynamoDbClient } from '../../shared/aws/clients.js';
import { config } from '../../shared/config/env.js';
import { logger } from '../../shared/observability/logger.js';
import { purgeExpired, type PurgeResult } from '../../shared/storage/retention-repository.js';

/**
 * Scheduled (daily): deletes every item past its expiry, in every table. DynamoDB's own
 * TTL deletes them only within about two days; this makes the retention exact, and the
 * reads already hide expired items meanwhile. Keys and TTL attribute are read from the
 * tables themselves, so they are declared once, in serverless.yml.
 */
export const handler = middy<unknown, { purged: PurgeResult[] }>({ timeoutEarlyInMillis: 0 })
  .use(injectLambdaContext(logger, { clearState: true }))
  .handler(async () => {
    const cfg = config();
    const client = createDynamoDbClient(cfg);
    const doc = createDocumentClient(client);
    const purged: PurgeResult[] = [];
    for (const name of Object.values(cfg.tables)) {
      const [{ Table }, { TimeToLiveDescription }] = await Promise.all([
        client.send(new DescribeTableCommand({ TableName: name })),
        client.send(new DescribeTimeToLiveCommand({ TableName: name })),
      ]);
      const keys = (Table?.KeySchema ?? []).map((k) => k.AttributeName!);
      const result = await purgeExpired(doc, { name, keys, ttlAttribute: TimeToLiveDescription?.AttributeName ?? 'expiresAt' });
      logger.info('purged expired items', { ...result });
      purged.push(result);
    }
    return { purged };
  });
