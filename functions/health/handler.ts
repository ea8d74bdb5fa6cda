import { createDynamoDbClient, createSqsClient } from '../../shared/aws/clients.js';
import { config } from '../../shared/config/env.js';
import { checkDependencies } from '../../shared/health/check-dependencies.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { jsonResponse } from '../../shared/http/problem.js';
import { createSourceClients } from '../../shared/sources/source-clients.js';

/** GET /v1/health: no token; reports each table, queue and source as up or down. */
const targets = () => {
  const cfg = config();
  return {
    dynamodb: createDynamoDbClient(cfg),
    sqs: createSqsClient(cfg),
    tables: cfg.tables,
    queues: { claims: cfg.claimQueueUrl, claimsDeadLetter: cfg.claimDeadLetterQueueUrl },
    // A health probe must answer fast: short time-out, no retry.
    sources: Object.values(createSourceClients(cfg.sourcesBaseUrl, { timeoutMs: 1_000, retries: 0 })),
  };
};

let cachedTargets: ReturnType<typeof targets> | undefined;

export const handler = httpHandler(async () => {
  cachedTargets ??= targets();
  const report = await checkDependencies(cachedTargets);
  return jsonResponse(report.status === 'up' ? 200 : 503, report);
});
