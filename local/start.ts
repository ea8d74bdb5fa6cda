/**
 * `npm start`: the whole system on loopback — DynamoDB Local, SQS, fake external
 * sources, local identity provider, HTTP API and the SQS trigger. Ctrl-C stops it all.
 * Data survives a restart (DynamoDB Local on disk under LOCAL_DATA_DIR, default
 * .local/data); `npm start -- --reset` starts clean.
 * Environment: the port variables of local/cloud.ts (PORT_VARIABLES), SOURCES_DATASET,
 * LOCAL_DATA_DIR.
 */
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEFAULT_PORTS, PORT_VARIABLES, startLocalCloud } from './cloud.js';
import { localPorts } from './endpoints.js';

const { values: flags } = parseArgs({ options: { reset: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
if (flags.help) {
  console.log(`npm start [-- --reset]
  Starts the local cloud on 127.0.0.1. Data is kept in LOCAL_DATA_DIR (default .local/data);
  --reset deletes it first. Ports: ${Object.entries(PORT_VARIABLES)
    .map(([k, v]) => `${v} (${k}, default ${DEFAULT_PORTS[k as keyof typeof DEFAULT_PORTS]})`)
    .join(', ')}.`);
  process.exit(0);
}
const dataDir = process.env.LOCAL_DATA_DIR || '.local/data';
if (flags.reset) {
  await rm(dataDir, { recursive: true, force: true });
  console.log(`--reset: ${dataDir} deleted; starting clean`);
}

// The same port variables every local script reads (local/endpoints.ts).
let ports: ReturnType<typeof localPorts>;
try {
  ports = localPorts();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

const started = Date.now();
let cloud: Awaited<ReturnType<typeof startLocalCloud>>;
try {
  cloud = await startLocalCloud({
    withApi: true,
    dataDir,
    pidFile: '.local/run/children.json',
    // The KMS stand-in's key and the local CA, made once (git-ignored): hashes stay the same across restarts.
    keysDir: '.local/keys',
    sourcesTls: true,
    webDir: '.local/web',
    ...(process.env.SOURCES_DATASET ? { dataset: process.env.SOURCES_DATASET } : {}),
    ports,
    log: (component, line) => console.log(`[${component}] ${line}`),
  });
} catch (error) {
  console.error(`\nlocal cloud failed to start: ${(error as Error).message}`);
  process.exit(1);
}

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
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
