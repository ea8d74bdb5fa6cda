/**
 * `npm start`: the whole system on loopback — DynamoDB Local, SQS, fake external
 * sources, local identity provider, HTTP API and the SQS trigger. Ctrl-C stops it all.
 * Data survives a restart (DynamoDB Local on disk under LOCAL_DATA_DIR, default
 * .local/data); `npm start -- --reset` starts clean.
 * One stack per data folder: the start takes LOCAL_DATA_DIR's lock (local/data-lock.ts)
 * before anything else, and a second start on it refuses in one line, touching nothing.
 * Environment: the port variables of local/cloud.ts (PORT_VARIABLES), SOURCES_DATASET,
 * LOCAL_DATA_DIR, LOCAL_CLOCK.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stop as stopEsbuild } from 'esbuild';
import { assertCloudPortsFree, DEFAULT_PORTS, PORT_VARIABLES, startLocalCloud } from './cloud.js';
import { acquireDataLock, type DataLock, LOCK_FILE } from './data-lock.js';
import { localPorts } from './endpoints.js';
import { stopStaleChildren } from './stale-processes.js';

const { values: flags } = parseArgs({ options: { reset: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
if (flags.help) {
  console.log(`npm start [-- --reset]
  Starts the local cloud on 127.0.0.1. Data is kept in LOCAL_DATA_DIR (default .local/data);
  --reset deletes it first. One stack per data folder: a second start on it refuses. Ports: ${Object.entries(PORT_VARIABLES)
    .map(([k, v]) => `${v} (${k}, default ${DEFAULT_PORTS[k as keyof typeof DEFAULT_PORTS]})`)
    .join(', ')}.`);
  process.exit(0);
}
const dataDir = process.env.LOCAL_DATA_DIR || '.local/data';
// The children of this data folder's stack, so that a start after a kill -9 stops those left running.
const pidFile = join(dataDir, 'children.json');

/** Prints one line and exits non-zero, releasing the lock if this start holds it. */
function refuse(message: string, held?: DataLock): never {
  held?.releaseSync();
  console.error(`npm start: ${message}`);
  process.exit(1);
}

// The same port variables every local script reads (local/endpoints.ts).
let ports: ReturnType<typeof localPorts>;
try {
  ports = localPorts();
} catch (error) {
  refuse((error as Error).message);
}

// First of all, the data folder's lock: a second start on it must not stop, reset or
// disturb the running one in any way.
let lock: DataLock;
try {
  lock = await acquireDataLock(dataDir, {
    command: 'npm start',
    ports: Object.fromEntries(Object.entries(ports).map(([k, port]) => [PORT_VARIABLES[k as keyof typeof PORT_VARIABLES], port])),
  });
} catch (error) {
  refuse((error as Error).message);
}
process.on('exit', () => lock.releaseSync());
if (lock.tookOverFrom) console.log(`[start] the lock of pid ${lock.tookOverFrom.pid}, which is no longer running, taken over`);

// Only a dead run's children can be recorded here now (a live run holds the lock).
await stopStaleChildren(pidFile, (line) => console.log(`[start] ${line}`));
try {
  await assertCloudPortsFree(ports, true);
} catch (error) {
  refuse((error as Error).message, lock);
}
if (flags.reset) {
  // Everything but the lock this start holds.
  for (const entry of await readdir(dataDir)) if (entry !== LOCK_FILE) await rm(join(dataDir, entry), { recursive: true, force: true });
  console.log(`--reset: ${dataDir} emptied; starting clean`);
}

const started = Date.now();
let cloud: Awaited<ReturnType<typeof startLocalCloud>>;
try {
  cloud = await startLocalCloud({
    withApi: true,
    dataDir,
    pidFile,
    // The KMS stand-in's key and the local CA, made once (git-ignored): hashes stay the same across restarts.
    keysDir: '.local/keys',
    sourcesTls: true,
    webDir: '.local/web',
    ...(process.env.SOURCES_DATASET ? { dataset: process.env.SOURCES_DATASET } : {}),
    ports: ports,
    log: (component, line) => console.log(`[${component}] ${line}`),
  });
} catch (error) {
  refuse(`the local cloud failed to start: ${(error as Error).message}`, lock);
}

// The pages were built with esbuild in this process: its service process (about 20 MB) is not needed again.
await stopEsbuild();
const e = cloud.env;
console.log(`
Local cloud up in ${((Date.now() - started) / 1000).toFixed(1)} s
  Pages           ${cloud.webUrl}/   (sign in as a citizen, an employer or a DWSE team)
  API reference   ${cloud.webUrl}/docs   (OpenAPI: ${cloud.apiUrl}/v1/openapi.json)
  HTTP API        ${cloud.apiUrl}   (try: curl ${cloud.apiUrl}/v1/health)
  DynamoDB Local  ${e.AWS_ENDPOINT_URL_DYNAMODB}
  SQS             ${e.AWS_ENDPOINT_URL_SQS}
  Fake sources    ${e.SOURCES_BASE_URL}   (mutual TLS; test controls: curl -k)
  KMS, Secrets    ${e.AWS_ENDPOINT_URL_KMS}   (stand-in; keys in .local/keys)
  Identity (JWKS) ${e.JWKS_URL}
  Data            ${dataDir} (npm start -- --reset to start clean)
  Token           npm run --silent token -- --as citizen --niss 85073003328
Ctrl-C to stop.`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the local cloud…`);
  await cloud.stop();
  await lock.release();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
