import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { platform } from '../../shared/composition/platform.js';
import type { PurgeResult } from '../../shared/composition/storage.js';
import { logger } from '../../shared/observability/logger.js';

/**
 * Scheduled (daily): deletes every item past its expiry, in every table. DynamoDB's own
 * TTL deletes them only within about two days; this makes the retention exact, and the
 * reads already hide expired items meanwhile. What "every table" is belongs to the
 * runtime's storage (shared/composition/): DynamoDB's tables, or the container's.
 */
export const handler = middy<unknown, { purged: PurgeResult[] }>({ timeoutEarlyInMillis: 0 })
  .use(injectLambdaContext(logger, { clearState: true }))
  .handler(async () => {
    const purged = await platform().storage.purge();
    for (const result of purged) logger.info('purged expired items', { ...result });
    return { purged };
  });
