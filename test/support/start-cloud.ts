import { appendFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalCloud } from '../../local/cloud.js';
import { freePort } from '../../local/ports.js';
import { startLocalPostgres } from '../../local/postgres.js';
import { migrate } from '../../shared/storage/postgres/migrate.js';
import { createPool } from '../../shared/storage/postgres/pool.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { scanForNiss, scanPostgresForNiss } from './niss-scan.js';
import { startCloudLock } from './cloud-lock.js';
import { isExternalTarget } from './target.js';

export const SCENARIO_CLOCK = '2024-11-15T10:00:00Z';

/** The one foreign origin the suites' cloud admits (CORS), as a deployer would name MyCareer's. */
export const SUITE_ALLOWED_ORIGIN = 'https://www.mycareer.be';

/** Shared by the integration and e2e global setups: a local cloud on free loopback ports. */
export const setupCloud = async (project: TestProject, withApi: boolean) => {
  if (isExternalTarget()) return async () => {};
  const idpDir = await mkdtemp(join(tmpdir(), 'bcss-idp-'));
  const lines: string[] = [];
  // Everything the local cloud prints (functions' logs included) goes to a file the tests can read.
  const logFile = join(idpDir, 'cloud.log');
  // Short visibility timeout so redelivery and dead-lettering happen within a test.
  process.env.CLAIM_VISIBILITY_TIMEOUT ??= '2';
  // The sweeper runs every minute in the local cloud; in the suites it requeues nothing on its
  // own (tests that leave claims waiting or dead-lettered count on them staying so), only when asked.
  process.env.CLAIM_SWEEP_AFTER_SECONDS ??= '3600';
  // The suites replay the synthetic scenarios on a fixed day of school year 2024-25
  // (LOCAL_CLOCK is honoured on the local stage only), so they pass on any calendar day.
  process.env.LOCAL_CLOCK ??= SCENARIO_CLOCK;
  // One origin admitted by CORS, so that the suites see both a granted and a refused origin.
  process.env.ALLOWED_ORIGINS ??= SUITE_ALLOWED_ORIGIN;
  // The KMS stand-in's keys and the local CA, thrown away with the run.
  const keysDir = join(idpDir, 'keys');
  let cloud: Awaited<ReturnType<typeof startLocalCloud>>;
  // PostgreSQL for the container runtime's adapters, beside the emulators: thrown away with the run.
  // Its own folder, open to the `postgres` user that runs the server when the suites run as root.
  const pgDir = await mkdtemp(join(tmpdir(), 'bcss-pg-'));
  await chmod(pgDir, 0o755);
  const postgres = startLocalPostgres({ dataDir: join(pgDir, 'data'), port: await freePort(), persistent: false }).then(async (pg) => {
    await migrate(pg.url);
    return pg;
  });
  try {
    cloud = await startLocalCloud({
      withApi,
      idpDir,
      keysDir,
      // End to end, the sources are reached as npm start reaches them: over mutual TLS, the
      // client certificate read from the secret store.
      sourcesTls: withApi,
      // No batching window and no long poll in the suites: a claim is taken off the queue as soon
      // as it is sent (the deployed window, serverless.yml's, is checked by serverless-package.test.ts).
      sqsTrigger: { batchWindowSeconds: 0, idleWaitSeconds: 0 },
      ports: { http: 0, lambda: 0, dynamodb: 0, sqs: 0, sources: 0, idp: 0, kms: 0, web: 0 },
      log: (component, line) => {
        lines.push(`[${component}] ${line}`);
        appendFileSync(logFile, `[${component}] ${line}\n`);
      },
    });
  } catch (error) {
    console.error(lines.slice(-40).join('\n'));
    await (await postgres.catch(() => undefined))?.stop();
    throw error;
  }
  const pgServer = await postgres;
  // Which of the project's files may run beside which (test/support/cloud-lock.ts).
  const lock = await startCloudLock();
  project.provide('cloudEnv', {
    ...cloud.env,
    DATABASE_URL: pgServer.url,
    LOCAL_IDP_DIR: idpDir,
    CLOUD_LOG_FILE: logFile,
    CLOUD_KEYS_DIR: keysDir,
    CLOUD_LOCK_URL: lock.url,
  });
  return async () => {
    // After every test of the project: no table holds a NISS in clear (issue 24). A finding fails the run.
    const dynamodb = new DynamoDBClient({
      endpoint: cloud.env.AWS_ENDPOINT_URL_DYNAMODB,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const findings = await scanForNiss(dynamodb).finally(() => dynamodb.destroy());
    // The container runtime's tables too: every table of schema bcss.
    const pool = createPool(pgServer.url, { max: 1, statementTimeoutMs: 60_000 });
    findings.push(...(await scanPostgresForNiss(pool).finally(() => pool.end())));
    await lock.stop();
    await cloud.stop();
    await pgServer.stop();
    await rm(pgDir, { recursive: true, force: true });
    await rm(idpDir, { recursive: true, force: true });
    if (findings.length > 0) throw new Error(`a NISS rests in clear in ${findings.length} place(s) after the suite:\n${findings.slice(0, 20).join('\n')}`);
  };
};
