import { afterEach, describe, expect, it } from 'vitest';
import type { HttpEvent, HttpResult } from '../../shared/http/http-handler.js';
import { readConfig } from '../../shared/config/env.js';
import { checkDependencies, type HealthReport } from '../../shared/health/check-dependencies.js';
import { createDynamoDbClient, createSqsClient } from '../../shared/aws/clients.js';
import { createSourceClients } from '../../shared/sources/source-clients.js';
import { eventFile, lambdaContext } from '../support/lambda.js';
import { isExternalTarget, targetEnv } from '../support/target.js';
import { setFault, sourceHits } from '../support/fake-sources.js';

describe('health', () => {
  afterEach(async () => {
    if (!isExternalTarget()) await setFault('onem', 'ok');
  });

  it('invoked directly by an operator, the handler reports every table, queue and source up', async () => {
    Object.assign(process.env, targetEnv(), { POWERTOOLS_LOG_LEVEL: 'SILENT' });
    const { handler } = await import('../../functions/health/handler.js');
    const report = (await handler({ report: 'full' }, lambdaContext('health'))) as HealthReport;
    expect(report.status).toBe('up');
    const names = report.dependencies.map((d) => `${d.kind}:${d.name}`);
    expect(names).toEqual(expect.arrayContaining(['table:claims', 'table:audit', 'queue:claims', 'queue:claimsDeadLetter', 'source:onem', 'source:dmfa']));
  });

  it.skipIf(isExternalTarget())('waits for a slow source as long as a function would before calling it down', async () => {
    Object.assign(process.env, targetEnv(), { POWERTOOLS_LOG_LEVEL: 'SILENT' });
    const { handler } = await import('../../functions/health/handler.js');
    // ONEM's calls may take 3 s (shared/sources/catalogue.ts): an answer after 1.5 s is a working ONEM.
    await setFault('onem', 'slow', 1_500);
    const report = (await handler({ report: 'full' }, lambdaContext('health'))) as HealthReport;
    expect(report.dependencies.find((d) => d.kind === 'source' && d.name === 'onem')).toMatchObject({ status: 'up' });
    await setFault('onem', 'slow', 4_000);
    const late = (await handler({ report: 'full' }, lambdaContext('health'))) as HealthReport;
    expect(late.status).toBe('down');
    expect(late.dependencies.find((d) => d.kind === 'source' && d.name === 'onem')).toMatchObject({ status: 'down' });
  });

  it.skipIf(isExternalTarget())('over HTTP it answers the status only, from one check shared by requests within a few seconds', async () => {
    Object.assign(process.env, targetEnv(), { POWERTOOLS_LOG_LEVEL: 'SILENT' });
    const { handler } = await import('../../functions/health/handler.js');
    const event = await eventFile<HttpEvent>('health.json');
    const before = await sourceHits('onem');
    const responses = (await Promise.all(Array.from({ length: 20 }, () => handler(event, lambdaContext('health'))))) as HttpResult[];
    for (const response of responses) {
      expect(response.statusCode).toBe(200);
      expect(Object.keys(JSON.parse(response.body!)).sort()).toEqual(['checkedAt', 'status']);
    }
    // Twenty requests, at most one probe of each source (none if a fresh report was cached).
    expect((await sourceHits('onem')) - before).toBeLessThanOrEqual(1);
  });

  const targets = (overrides: Record<string, string> = {}) => {
    const cfg = readConfig({ ...targetEnv(), ...overrides });
    return {
      dynamodb: createDynamoDbClient(cfg),
      sqs: createSqsClient(cfg),
      tables: cfg.tables,
      queues: { claims: cfg.claimQueueUrl },
      sources: Object.values(createSourceClients(cfg.sourcesBaseUrl, { timeoutMs: 500, retries: 0 })),
    };
  };

  it.skipIf(isExternalTarget())('names the source that is down, and only that one', async () => {
    await setFault('onem', 'down');
    const report = await checkDependencies(targets());
    expect(report.status).toBe('down');
    expect(report.dependencies.filter((d) => d.status === 'down').map((d) => d.name)).toEqual(['onem']);
  });

  it('reports a missing table as down without failing the others', async () => {
    const report = await checkDependencies(targets({ AUDIT_TABLE: 'no-such-table' }));
    const audit = report.dependencies.find((d) => d.kind === 'table' && d.name === 'audit');
    expect(audit).toMatchObject({ status: 'down', detail: 'ResourceNotFoundException' });
    expect(report.dependencies.filter((d) => d.status === 'down')).toHaveLength(1);
  });
});
