import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadDataset } from '../../local/fake-sources/dataset.js';
import { sourcesClock } from '../../local/fake-sources/server.js';
import { freePort } from '../../local/ports.js';
import { startLocalPostgres } from '../../local/postgres.js';
import { startStandIns } from '../../local/stand-ins.js';
import { migrate } from '../../shared/storage/postgres/migrate.js';
import { createPool } from '../../shared/storage/postgres/pool.js';
import { scanPostgresForNiss } from './niss-scan.js';
import { SCENARIO_CLOCK, SUITE_ALLOWED_ORIGIN } from './start-cloud.js';
import { startCloudLock } from './cloud-lock.js';
import { isExternalTarget } from './target.js';

/**
 * The e2e suites' second runtime: the container (container/main.ts, the image's entry) in a
 * process of its own, on an embedded PostgreSQL, with the same stand-ins as the local cloud
 * (fake sources over mutual TLS, identity provider, KMS stand-in) and nothing of DynamoDB, SQS
 * or serverless-offline. The same e2e files run against it (vitest project e2e-container), so
 * both runtimes must give the same answers to the same requests.
 */
export default async (project: TestProject) => {
  if (isExternalTarget()) return async () => {};
  const dir = await mkdtemp(join(tmpdir(), 'bcss-container-'));
  await chmod(dir, 0o755);
  const logFile = join(dir, 'container.log');
  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  try {
    const postgres = await startLocalPostgres({ dataDir: join(dir, 'postgres'), port: await freePort(), persistent: false });
    stops.push(() => postgres.stop());
    await migrate(postgres.url);
    const localClock = process.env.LOCAL_CLOCK ?? SCENARIO_CLOCK;
    const standIns = await startStandIns({
      ports: { sources: await freePort(), idp: await freePort(), kms: await freePort() },
      dataset: await loadDataset(undefined),
      idpDir: join(dir, 'idp'),
      keysDir: join(dir, 'keys'),
      sourcesTls: true,
      clock: sourcesClock(localClock),
    });
    stops.push(...standIns.stops);
    const env: Record<string, string> = {
      ...standIns.env,
      RUNTIME: 'container',
      STAGE: 'local',
      LOCAL_CLOCK: localClock,
      TOKEN_AUDIENCE: 'bcss-exchanges',
      DATABASE_URL: postgres.url,
      PORT: '0',
      ALLOWED_ORIGINS: process.env.ALLOWED_ORIGINS ?? SUITE_ALLOWED_ORIGIN,
      // Redelivery and dead-lettering within a test, as the local cloud's short visibility timeout does.
      CLAIM_POLL_SECONDS: '0.5',
      CLAIM_RETRY_DELAY_SECONDS: '1',
      CLAIM_MAX_RECEIVE_COUNT: '3',
      // The sweeper requeues nothing on its own in the suites (as CLAIM_SWEEP_AFTER_SECONDS there).
      CLAIM_SWEEP_AFTER_SECONDS: '3600',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      // The suites send bursts on purpose; the throttle has its own tests.
      THROTTLE_SCALE: '0',
    };
    // Run from source: tsx, and the text imports the bundle inlines (the reference page's files).
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--import', './container/text-imports.ts', 'container/main.ts'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    stops.push(async () => {
      child.kill('SIGTERM');
      await exited;
    });
    const apiUrl = await new Promise<string>((resolve, reject) => {
      let output = '';
      const take = (chunk: Buffer) => {
        output += chunk;
        appendFileSync(logFile, chunk);
        const found = /container on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (found) resolve(found[1]!);
      };
      child.stdout!.on('data', take);
      child.stderr!.on('data', take);
      child.once('exit', (code) => reject(new Error(`the container exited (${code}) before it served:\n${output.slice(-3000)}`)));
    });
    // Which of the project's files may run beside which (test/support/cloud-lock.ts).
    const lock = await startCloudLock();
    stops.push(() => lock.stop());
    project.provide('cloudEnv', {
      ...env,
      API_URL: apiUrl,
      LOCAL_IDP_DIR: join(dir, 'idp'),
      CLOUD_LOG_FILE: logFile,
      CLOUD_KEYS_DIR: join(dir, 'keys'),
      CLOUD_LOCK_URL: lock.url,
    });
    return async () => {
      // After every test of the project: no table of the container's database holds a NISS in clear.
      const pool = createPool(postgres.url, { max: 1, statementTimeoutMs: 60_000 });
      const findings = await scanPostgresForNiss(pool).finally(() => pool.end());
      await stopAll();
      await rm(dir, { recursive: true, force: true });
      if (findings.length > 0) throw new Error(`a NISS rests in clear in ${findings.length} place(s) after the suite:\n${findings.slice(0, 20).join('\n')}`);
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
