import type { Context } from 'aws-lambda';
import { createDynamoDbClient, createSqsClient } from '../../shared/aws/clients.js';
import { sourcesFetch } from '../../shared/aws/secrets.js';
import { platform } from '../../shared/composition/platform.js';
import { config } from '../../shared/config/env.js';
import { checkDependencies, type HealthReport } from '../../shared/health/check-dependencies.js';
import { type HttpEvent, type HttpResult, httpHandler } from '../../shared/http/http-handler.js';
import { jsonResponse } from '../../shared/http/problem.js';
import { createSourceClients } from '../../shared/sources/source-clients.js';

/**
 * Health. `GET /v1/health` (no token) answers `{ status, checkedAt }` from a report at most
 * CACHE_MS old, refreshed once however many requests arrive meanwhile: an anonymous caller
 * cannot turn it into 12 backend calls per request. The per-dependency report (each table,
 * queue and source) is for operators: invoke the function directly with
 * `{ "report": "full" }` (IAM lambda:InvokeFunction; locally `npm run health`).
 */
const CACHE_MS = 5_000;

const targets = () => {
  const cfg = config();
  return {
    dynamodb: createDynamoDbClient(cfg),
    sqs: createSqsClient(cfg),
    // The tables this runtime keeps its data in: none named when the container keeps it on PostgreSQL.
    tables: Object.fromEntries(Object.entries(cfg.tables).filter(([, table]) => table !== '')),
    ...(cfg.runtime === 'container' ? { probes: platform().storage.probes ?? {} } : {}),
    // The container's queue is on PostgreSQL (pg-boss), not SQS: no SQS queue to probe there.
    queues: (cfg.runtime === 'lambda' ? { claims: cfg.claimQueueUrl, claimsDeadLetter: cfg.claimDeadLetterQueueUrl } : {}) as Record<string, string>,
    // Each source probed once (no retry) within its own per-attempt time-out: down means what a
    // function's first attempt would meet. A shorter one (1 s) called a loaded but working source
    // down (CI, stop 31). With the client certificate the sources require (mutual TLS).
    sources: Object.values(createSourceClients(cfg.sourcesBaseUrl, { retries: 0 }, sourcesFetch(cfg))),
  };
};

let cachedTargets: ReturnType<typeof targets> | undefined;
let last: { report: HealthReport; at: number } | undefined;
let refreshing: Promise<{ report: HealthReport; at: number }> | undefined;

const check = async (): Promise<HealthReport> => {
  cachedTargets ??= targets();
  return checkDependencies(cachedTargets);
};

/** The last report if fresh enough, else one refresh shared by every request that asks meanwhile. */
export const currentReport = async (now = Date.now()): Promise<{ report: HealthReport; at: number }> => {
  if (last && now - last.at < CACHE_MS) return last;
  refreshing ??= check()
    .then((report) => (last = { report, at: Date.now() }))
    .finally(() => {
      refreshing = undefined;
    });
  return refreshing;
};

const publicHealth = httpHandler(async () => {
  const { report, at } = await currentReport();
  return jsonResponse(
    report.status === 'up' ? 200 : 503,
    { status: report.status, checkedAt: new Date(at).toISOString() },
    { 'cache-control': `max-age=${CACHE_MS / 1000}` },
  );
});

const isHttpEvent = (event: unknown): event is HttpEvent => typeof event === 'object' && event !== null && 'requestContext' in event;

export const handler = async (event: HttpEvent | { report: 'full' }, context: Context): Promise<HttpResult | HealthReport> =>
  isHttpEvent(event) ? publicHealth(event, context) : check();
