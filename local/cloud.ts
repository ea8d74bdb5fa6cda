import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kmsFieldCipher } from '../shared/aws/envelope-cipher.js';
import { KmsMacService } from '../shared/aws/kms-mac.js';
import { parseEncryptionKeys, parseMacKeys, readSettings } from '../shared/config/env.js';
import { Pseudonymiser } from '../shared/privacy/pseudonymiser.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { loadDataset } from './fake-sources/dataset.js';
import { sourcesClock } from './fake-sources/server.js';
import { signToken } from './identity/tokens.js';
import { buildWeb } from './web/build.js';
import { startWebServer } from './web/server.js';
import { startOffline } from './offline.js';
import { assertPortsFree, freePort } from './ports.js';
import { type Child, recordChildren, stopStaleChildren } from './stale-processes.js';
import { provision, type Provisioned } from './provision.js';
import { sealClearNiss } from './seal-clear-niss.js';
import { shardLegacyAudit } from './shard-audit.js';
import { rewriteClaimIndexKeys } from './claim-index-keys.js';
import { loadServiceDefinition, type ServiceDefinition } from './service-definition.js';
import { invokeOffline, offlineLambdaInvoker, SqsEventSource } from './sqs-event-source.js';
import { startSqsLocal } from './sqs-local.js';
import { LOCAL_CREDENTIALS, LOCAL_NISS_ENCRYPTION_KEYS, LOCAL_REGION, LOCAL_SUBJECT_HASH_KEYS, startStandIns } from './stand-ins.js';

/** Ports of the local cloud; 0 means "any free port" (tests). */
export interface LocalCloudPorts {
  http: number;
  lambda: number;
  dynamodb: number;
  sqs: number;
  sources: number;
  idp: number;
  /** The KMS and Secrets Manager stand-in. */
  kms: number;
  /** The pages, with the API on the same origin (with the API only). */
  web: number;
}

export const DEFAULT_PORTS: LocalCloudPorts = { http: 3000, lambda: 3002, dynamodb: 8000, sqs: 9324, sources: 4010, idp: 4011, kms: 4012, web: 3100 };

/** The variable that sets each port, for `npm start` and every local script. */
export const PORT_VARIABLES: Record<keyof LocalCloudPorts, string> = {
  http: 'PORT',
  lambda: 'LAMBDA_PORT',
  dynamodb: 'DYNAMODB_PORT',
  sqs: 'SQS_PORT',
  sources: 'SOURCES_PORT',
  idp: 'IDP_PORT',
  kms: 'KMS_PORT',
  web: 'WEB_PORT',
};

export { LOCAL_CERTIFICATE_SECRET, LOCAL_NISS_ENCRYPTION_KEYS, LOCAL_REGION, LOCAL_SUBJECT_HASH_KEYS } from './stand-ins.js';

export interface LocalCloudOptions {
  ports?: Partial<LocalCloudPorts>;
  /** Path of the synthetic dataset for the fake sources (default: the bundled one). */
  dataset?: string;
  /** Where the local identity provider keeps its key (default `.local/idp`). */
  idpDir?: string;
  /** Start the HTTP API and the SQS triggers too (serverless-offline); otherwise only storage, queue, sources and IdP. */
  withApi?: boolean;
  /** Keep DynamoDB Local's data in this folder (default: in memory, gone at stop). */
  dataDir?: string;
  /**
   * Where to record the pids of the child processes, so that the next start can stop those
   * a killed run left behind (default: none; `npm start` uses .local/run/children.json).
   */
  pidFile?: string;
  /**
   * Where the KMS stand-in keeps its HMAC keys and the local certificate authority its
   * certificates (default: a throw-away folder; `npm start` uses .local/keys, git-ignored).
   */
  keysDir?: string;
  /** Where the pages are built (default: a throw-away folder; `npm start` uses .local/web). */
  webDir?: string;
  /**
   * The scenario clock (an ISO instant), for the functions and the fake sources alike: the
   * functions get it as LOCAL_CLOCK (honoured on the local stage), and the fake ONEM counts
   * on its day. Default: the LOCAL_CLOCK variable; unset, the wall clock.
   */
  localClock?: string;
  /** Serve the fake sources over mutual TLS, with the client certificate in the secret store (default: plain HTTP). */
  sourcesTls?: boolean;
  /**
   * The local queue trigger's timing, instead of the deployed one (serverless.yml's batching
   * window, a 1 s long poll): the test suites take each message as it comes
   * (`{ batchWindowSeconds: 0, idleWaitSeconds: 0 }`), so that a claim waits for no window.
   */
  sqsTrigger?: { batchWindowSeconds?: number; idleWaitSeconds?: number };
  log?: (component: string, line: string) => void;
}

export interface LocalCloud {
  /** The environment the functions run with; also what test suites read. */
  env: Record<string, string>;
  definition: ServiceDefinition;
  provisioned: Provisioned;
  apiUrl?: string;
  /** The pages and, on the same origin, the API (with the API only). */
  webUrl?: string;
  stop(): Promise<void>;
}

const resolvePorts = async (ports: Partial<LocalCloudPorts>): Promise<LocalCloudPorts> => {
  const entries = await Promise.all(
    (Object.keys(DEFAULT_PORTS) as (keyof LocalCloudPorts)[]).map(async (key) => {
      const wanted = ports[key] ?? DEFAULT_PORTS[key];
      return [key, wanted === 0 ? await freePort() : wanted] as const;
    }),
  );
  return Object.fromEntries(entries) as unknown as LocalCloudPorts;
};

/** Fails in one line when a port the cloud would listen on is taken (the API's three only with the API). */
export const assertCloudPortsFree = (ports: LocalCloudPorts, withApi: boolean): Promise<void> => {
  const needed = (Object.keys(ports) as (keyof LocalCloudPorts)[]).filter((k) => withApi || (k !== 'http' && k !== 'lambda' && k !== 'web'));
  return assertPortsFree(needed.map((k) => ({ port: ports[k], what: k, variable: PORT_VARIABLES[k] })));
};

/** Starts everything on loopback; on failure stops what had started before rethrowing. */
export const startLocalCloud = async (options: LocalCloudOptions = {}): Promise<LocalCloud> => {
  const log = options.log ?? (() => {});
  if (options.pidFile) await stopStaleChildren(options.pidFile, (line) => log('start', line));
  const ports = await resolvePorts(options.ports ?? {});
  // Before anything starts: a taken port is one clear line, not a crash dump or a hang.
  await assertCloudPortsFree(ports, options.withApi ?? false);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    stops.length = 0;
  };

  try {
    // A malformed dataset, or a LOCAL_CLOCK that is no instant, is refused before anything starts.
    const dataset = await loadDataset(options.dataset);
    const localClock = options.localClock ?? process.env.LOCAL_CLOCK ?? '';
    const clock = sourcesClock(localClock);
    const start = async <T extends { stop?: () => Promise<void>; close?: () => Promise<void> }>(name: string, starting: Promise<T>): Promise<T> => {
      const started = await starting;
      stops.push(() => (started.stop ?? started.close)!.call(started));
      log(name, 'ready');
      return started;
    };
    // The fake sources, the identity provider and the KMS stand-in, as npm run serve starts them.
    const standIns = await startStandIns({
      ports,
      dataset,
      ...(options.idpDir ? { idpDir: options.idpDir } : {}),
      ...(options.keysDir ? { keysDir: options.keysDir } : {}),
      sourcesTls: options.sourcesTls ?? false,
      // The fake sources count on the functions' clock (LOCAL_CLOCK when set).
      clock,
      log,
    });
    stops.push(...standIns.stops);
    const key = standIns.signingKey;
    const idpIssuer = standIns.idpIssuer;
    const hashKeys = parseMacKeys(LOCAL_SUBJECT_HASH_KEYS);
    const nissKeys = parseEncryptionKeys(LOCAL_NISS_ENCRYPTION_KEYS);
    const baseEnv: Record<string, string> = {
      ...standIns.env,
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${ports.dynamodb}`,
      AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${ports.sqs}`,
      // The functions' clock is the sources' (serverless.yml's local stage reads it).
      LOCAL_CLOCK: localClock,
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
    };
    const [definition, dynamo, sqsLocal] = await Promise.all([
      loadServiceDefinition('local', { ...process.env, ...baseEnv }),
      start('dynamodb', startDynamoDbLocal({ port: ports.dynamodb, ...(options.dataDir ? { dbPath: options.dataDir } : {}) })),
      start('sqs', startSqsLocal({ port: ports.sqs, region: LOCAL_REGION })),
    ]);

    const dynamodb = new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const sqs = new SQSClient({ endpoint: sqsLocal.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    stops.push(async () => {
      dynamodb.destroy();
      sqs.destroy();
    });
    const provisioned = await provision(definition, { dynamodb, sqs });
    log('provision', `${definition.tables.length} tables, ${definition.queues.length} queues`);
    for (const [table, indexes] of Object.entries(provisioned.addedIndexes)) {
      log('provision', `${table}: added ${indexes.join(', ')}; items stored before are not in them (npm start -- --reset starts clean)`);
    }
    if (options.dataDir) {
      // Data kept from before claims were sealed: sealed now, its clear NISS removed.
      const kms = new KMSClient({ endpoint: standIns.kmsEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
      const sealed = await sealClearNiss(
        dynamodb,
        { claims: definition.environment.CLAIMS_TABLE!, premiumChecks: definition.environment.PREMIUM_CHECKS_TABLE! },
        { pseudonymiser: new Pseudonymiser(new KmsMacService(() => kms, hashKeys)), cipher: kmsFieldCipher(() => kms, nissKeys) },
      ).finally(() => kms.destroy());
      if (sealed.claims + sealed.premiumChecks > 0)
        log('provision', `sealed the NISS kept in clear by an earlier version: ${sealed.claims} claims, ${sealed.premiumChecks} premium checks`);
      // Audit records kept from before the trail was sharded: moved to their shards.
      const sharded = await shardLegacyAudit(dynamodb, definition.environment.AUDIT_TABLE!, Number(definition.environment.AUDIT_SHARDS ?? 16));
      if (sharded.moved > 0)
        log('provision', `moved ${sharded.moved} audit records of ${sharded.days} purpose-days kept by an earlier version to their shards`);
      // Data kept from before the list indexes were sharded and keyed by filter: in every list again.
      const rekeyed = await rewriteClaimIndexKeys(
        dynamodb,
        definition.environment.CLAIMS_TABLE!,
        readSettings({ CLAIM_INDEX_SHARDS: definition.environment.CLAIM_INDEX_SHARDS }).claimIndexShards,
      );
      if (rekeyed.rewritten > 0) log('provision', `rewrote the list-index keys of ${rekeyed.rewritten} claims kept by an earlier version`);
    }

    // serverless.yml computes the queue URLs the functions use; they must be the ones provisioned.
    const env: Record<string, string> = { ...definition.environment, ...baseEnv };
    const provisionedUrls = new Set(Object.values(provisioned.queues).map((q) => q.url));
    for (const name of ['CLAIM_QUEUE_URL', 'CLAIM_DLQ_URL']) {
      if (env[name] && !provisionedUrls.has(env[name])) throw new Error(`${name}=${env[name]} is not a provisioned queue`);
    }

    const children: Child[] = [{ pid: dynamo.process.pid ?? 0, marker: 'DynamoDBLocal.jar' }];
    if (options.pidFile) await recordChildren(options.pidFile, children);

    let apiUrl: string | undefined;
    let webUrl: string | undefined;
    if (options.withApi) {
      // serverless-offline on PORT, applying the gateway's CORS itself as API Gateway does
      // (serverless/local-api.cjs), with the handlers in its process.
      const offline = await start('api', startOffline({ env, httpPort: ports.http, lambdaPort: ports.lambda, onOutput: (line) => log('api', line) }));
      apiUrl = offline.url;
      children.push({ pid: offline.process.pid ?? 0, marker: 'serverless.js offline' });
      if (options.pidFile) await recordChildren(options.pidFile, children);
      for (const trigger of definition.sqsTriggers) {
        const queue = provisioned.queues[trigger.queueLogicalId]!;
        const source = new SqsEventSource({
          sqs,
          queueUrl: queue.url,
          queueArn: queue.arn,
          region: LOCAL_REGION,
          batchSize: trigger.batchSize,
          batchWindowSeconds: options.sqsTrigger?.batchWindowSeconds ?? trigger.maximumBatchingWindowSeconds,
          ...(options.sqsTrigger?.idleWaitSeconds !== undefined ? { idleWaitSeconds: options.sqsTrigger.idleWaitSeconds } : {}),
          reportBatchItemFailures: trigger.reportBatchItemFailures,
          invoke: offlineLambdaInvoker(offline.lambdaEndpoint, trigger.functionName),
          log: (line) => log(`sqs→${trigger.functionKey}`, line),
        });
        source.start();
        stops.push(() => source.stop());
        const window = options.sqsTrigger?.batchWindowSeconds ?? trigger.maximumBatchingWindowSeconds;
        log('sqs', `${trigger.queueLogicalId} → ${trigger.functionKey} (batch ${trigger.batchSize}, window ${window} s)`);
      }
      env.API_URL = apiUrl;

      // The pages, built now, served with the API on the same origin and a token endpoint for the local sign-in.
      const webDir = options.webDir ?? (await mkdtemp(join(tmpdir(), 'local-web-')));
      await buildWeb({ outDir: webDir, stage: 'local' });
      const web = await start(
        'web',
        startWebServer({
          root: webDir,
          apiUrl,
          port: ports.web,
          mint: (principal) => signToken(key, principal, { issuer: idpIssuer }),
        }),
      );
      webUrl = web.url;
      env.WEB_URL = webUrl;

      // The sweeper's schedule (serverless-offline runs no schedules): every minute here. At
      // start, with data kept on disk, every waiting claim goes back on the queue: the queue
      // emulator keeps nothing across a restart.
      const sweeper = definition.functions.find((f) => f.key === 'sweepWaitingClaims');
      if (sweeper) {
        const sweep = async (payload: Record<string, unknown>) => {
          try {
            const { requeued } = (await invokeOffline(offline.lambdaEndpoint, sweeper.name, payload)) as { requeued: number };
            if (requeued > 0) log('sweeper', `${requeued} claim(s) waiting for a decision put back on the queue`);
          } catch (error) {
            log('sweeper', `failed: ${(error as Error).message}`);
          }
        };
        await sweep(options.dataDir ? { olderThanSeconds: 0 } : {});
        const timer = setInterval(() => void sweep({}), 60_000);
        timer.unref();
        stops.push(async () => clearInterval(timer));
      }
    }
    return { env, definition, provisioned, ...(apiUrl ? { apiUrl } : {}), ...(webUrl ? { webUrl } : {}), stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
