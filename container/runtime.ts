import type { IncomingMessage, ServerResponse } from 'node:http';
import { PgBoss } from 'pg-boss';
import { createClaimRecordProcessor, evaluateClaimsDeps } from '../functions/training-leave/evaluate-claims.js';
import { containerStorage } from '../shared/composition/container-storage.js';
import '../shared/composition/niss-cipher.js';
import { buildPlatform, installPlatform } from '../shared/composition/platform.js';
import { ConfigurationError, type ContainerConfig, config, containerConfig } from '../shared/config/env.js';
import { FUNCTIONS } from '../shared/deployment/functions.js';
import { logger } from '../shared/observability/logger.js';
import { deadLetterQueueOf, ensureClaimQueues } from '../shared/storage/postgres/claim-queue.js';
import { migrate } from '../shared/storage/postgres/migrate.js';
import { startClaimWorker } from './claim-worker.js';
import { cachedLoaders, HANDLERS, type HandlerLoaders } from './handlers.js';
import { lambdaContext } from './lambda-event.js';
import { startHttpServer } from './http-server.js';
import { routeTable } from './routes.js';
import { routeThrottle } from './throttle.js';
import { startSchedules } from './schedules.js';

/**
 * The container runtime: one Node process serving every HTTP route of the catalogue and
 * running the claim consumer, the sweeper and the retention purge as workers, on one
 * PostgreSQL (the claim queue, pg-boss) shared by every replica. Stateless but for caches.
 * Start: versioned migrations, pg-boss's own schema, the queues, then the platform (the
 * functions' composition root, with the container's storage), the HTTP server, the workers.
 * Stop: no new connection, the requests in flight answered, the jobs in flight finished or
 * back on the queue (pg-boss graceful stop), then the connections closed.
 */
/** Settings come from the environment (shared/config/env.ts), with RUNTIME=container. */
export interface ContainerOptions {
  /** Replaces handlers (tests). */
  handlers?: Partial<HandlerLoaders>;
  /** Local-only routes of `npm run serve` (the sign-in's token endpoint). */
  extraRoutes?: Record<string, (req: IncomingMessage, res: ServerResponse, port: number) => Promise<void>>;
}

export interface ContainerRuntime {
  url: string;
  port: number;
  settings: ContainerConfig;
  boss: PgBoss;
  stop(): Promise<void>;
}

/** The key of a scheduled function as its pg-boss queue is named. */
const scheduleQueue = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export const startContainer = async ({ handlers: overrides = {}, extraRoutes }: ContainerOptions = {}): Promise<ContainerRuntime> => {
  const settings = containerConfig();
  // The functions read the same configuration (config()): it must say which runtime they run in.
  const cfg = config();
  if (cfg.runtime !== 'container') throw new ConfigurationError('the container runtime needs RUNTIME=container');
  const databaseUrl = settings.databaseUrl;
  if (!databaseUrl) throw new ConfigurationError('DATABASE_URL is not set (npm run serve starts a PostgreSQL of its own when it is not)');

  await migrate(databaseUrl);
  // pg-boss makes and migrates its own schema at start, under its advisory lock (replicas race safely).
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: settings.queueSchema,
    max: settings.workerConcurrency + 4,
    application_name: 'bcss-exchanges',
    // A claim queued on any replica wakes the workers at once (one listening connection);
    // polling stays as the floor when the listener is down.
    useListenNotify: true,
  });
  boss.on('error', (error) => logger.error('pg-boss', { errorName: error.name, errorMessage: error.message }));
  await boss.start();
  const closers: (() => Promise<void>)[] = [];
  try {
    await ensureClaimQueues(boss, {
      name: settings.claimQueueName,
      maxReceiveCount: settings.claimMaxReceiveCount,
      retryDelaySeconds: settings.claimRetryDelaySeconds,
      // A delivery not settled within the consumer's timeout (and a margin) is delivered again.
      expireInSeconds: (FUNCTIONS.evaluateTrainingLeaveClaims.timeout ?? 30) * 2,
    });
    const storage = containerStorage(cfg, settings, () => boss);
    closers.push(storage.close);
    installPlatform(buildPlatform(cfg, storage.storage));

    const handler = cachedLoaders({ ...HANDLERS, ...overrides } as HandlerLoaders);
    const http = await startHttpServer({
      table: routeTable(),
      handler,
      maxRequestBytes: settings.maxRequestBytes,
      // THROTTLE_SCALE=0 admits everything (the test suites, which send bursts on purpose).
      ...(settings.throttleScale > 0 ? { throttle: routeThrottle({ scale: settings.throttleScale }) } : {}),
      ...(settings.webDir ? { webDir: settings.webDir } : {}),
      ...(extraRoutes ? { extraRoutes } : {}),
      port: settings.httpPort,
      host: settings.host,
    });

    if (settings.workers) {
      await startClaimWorker(
        boss,
        { queue: settings.claimQueueName, batchSize: settings.claimBatchSize, concurrency: settings.workerConcurrency, pollSeconds: settings.claimPollSeconds },
        createClaimRecordProcessor(evaluateClaimsDeps),
      );
      const invoke = (key: 'sweepWaitingClaims' | 'purgeExpired') => async () =>
        (await handler(key))({}, lambdaContext(key, `${key}-${Date.now()}`, Date.now() + (FUNCTIONS[key].timeout ?? 60) * 1000));
      await startSchedules(boss, [
        { name: scheduleQueue('sweepWaitingClaims'), cron: settings.sweepCron, run: invoke('sweepWaitingClaims') },
        { name: scheduleQueue('purgeExpired'), cron: settings.purgeCron, run: invoke('purgeExpired') },
      ]);
    }

    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        const timeoutMs = settings.shutdownTimeoutSeconds * 1000;
        await http.stop(timeoutMs);
        // Jobs in flight finish; those that cannot in time go back to the queue (their lease expires).
        await boss.stop({ graceful: true, timeout: timeoutMs, close: true });
        for (const close of closers) await close().catch(() => {});
      })());
    return { url: http.url, port: http.port, settings, boss, stop };
  } catch (error) {
    await boss.stop({ graceful: false, close: true }).catch(() => {});
    throw error;
  }
};

/** Stops the runtime on SIGTERM (the orchestrator) and SIGINT (Ctrl-C), once, then exits. */
export const stopOnSignals = (
  runtime: Pick<ContainerRuntime, 'stop'>,
  {
    on = process as Pick<NodeJS.EventEmitter, 'on'>,
    exit = (code: number): void => process.exit(code),
    log = (line: string) => console.log(line),
  }: { on?: Pick<NodeJS.EventEmitter, 'on'>; exit?: (code: number) => void; log?: (line: string) => void } = {},
): void => {
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing the requests and jobs in flight, then stopping`);
    runtime.stop().then(
      () => exit(0),
      (error: Error) => {
        log(`stop failed: ${error.message}`);
        exit(1);
      },
    );
  };
  on.on('SIGTERM', () => onSignal('SIGTERM'));
  on.on('SIGINT', () => onSignal('SIGINT'));
};

export { deadLetterQueueOf };
