/**
 * The container benchmark's backends in a process of their own (outside the measured ones):
 * an embedded PostgreSQL (migrated) and the stand-ins (fake sources over mutual TLS on the
 * given dataset, identity provider, KMS stand-in), as test/support/e2e-container-setup.ts
 * starts them. Prints one line of JSON (the environment that points a runtime at them) once
 * up; stops everything on SIGTERM or when its parent goes (stdin closed).
 * `tsx bench/container-backends.ts <dir> <dataset.json> <local clock>`
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadDataset } from '../local/fake-sources/dataset.js';
import { sourcesClock } from '../local/fake-sources/server.js';
import { freePort } from '../local/ports.js';
import { startLocalPostgres } from '../local/postgres.js';
import { startStandIns } from '../local/stand-ins.js';
import { migrate } from '../shared/storage/postgres/migrate.js';

const [dir, datasetPath, localClock] = process.argv.slice(2);
if (!dir || !datasetPath || !localClock) {
  console.error('usage: container-backends.ts <dir> <dataset.json> <local clock>');
  process.exit(2);
}
const stops: (() => Promise<unknown>)[] = [];
let stopping: Promise<void> | undefined;
const stopAll = (code: number) =>
  (stopping ??= (async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await rm(dir, { recursive: true, force: true }).catch(() => {});
    process.exit(code);
  })());
process.on('SIGTERM', () => void stopAll(0));
process.on('SIGINT', () => void stopAll(0));
process.stdin.on('end', () => void stopAll(0)).resume();

try {
  const postgres = await startLocalPostgres({ dataDir: join(dir, 'postgres'), port: await freePort(), persistent: false });
  stops.push(() => postgres.stop());
  await migrate(postgres.url);
  const standIns = await startStandIns({
    ports: { sources: await freePort(), idp: await freePort(), kms: await freePort() },
    dataset: await loadDataset(datasetPath),
    idpDir: join(dir, 'idp'),
    keysDir: join(dir, 'keys'),
    sourcesTls: true,
    clock: sourcesClock(localClock),
  });
  stops.push(...standIns.stops);
  console.log(JSON.stringify({ env: { ...standIns.env, DATABASE_URL: postgres.url }, idpDir: join(dir, 'idp') }));
} catch (error) {
  console.error(`the container benchmark's backends failed to start: ${(error as Error).message}`);
  await stopAll(1);
}
