/**
 * The local API under load against the same handler called in process. The local cloud
 * (`npm start`'s serverless-offline, emulators, fake sources, identity provider) runs in a
 * child process tree; the bench process drives it with autocannon over HTTP, and calls the
 * same function bundle directly (the baseline: same event, same backends, same number of
 * concurrent callers), alternating 5 s phases after a warm-up of each. Reports requests/s,
 * p50/p99, errors and the peak resident memory of the local cloud's process tree.
 * Targets: 0 errors, p99 ≤ 3 × p50, ≤ 1.5 GB, API ≥ 0.75 × in process.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { loadOrCreateSigningKey } from '../local/identity/keys.js';
import { signToken } from '../local/identity/tokens.js';
import { bundle, functionEntries, projectDir } from './bundles.js';
import { startEmulators } from './emulators.js';
import { cpuMeter, type PhaseResult, round, summarisePhases, treeResidentBytes, writeResult } from './support.js';

const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 10);
const WARM_UP_SECONDS = 5;
const PHASE_SECONDS = 5;
const ROUNDS = Number(process.env.BENCH_API_ROUNDS ?? 4);
const PATH = '/v1/career-break/possibilities';
// Issue 28's goals, the figures bench/goals.ts judges the result by.
const TARGETS = { errors: 0, p99ToP50Max: 2, peakResidentGiBMax: 1, apiToInProcessMin: 0.9 } as const;

export const localApi = async () => {
  const idpDir = await mkdtemp(join(tmpdir(), 'bench-idp-'));
  process.env.LOCAL_CLOCK = '2024-11-15T10:00:00Z';
  const cloud = await startEmulators(['--idp-dir', idpDir, '--with-api']);
  try {
    if (!cloud.apiUrl) throw new Error('the local cloud started without its API');
    Object.assign(process.env, cloud.env, { POWERTOOLS_LOG_LEVEL: 'SILENT' });
    const token = await signToken(await loadOrCreateSigningKey(idpDir), { role: 'citizen', niss: '85073003328' }, { issuer: cloud.env.TOKEN_ISSUER! });

    // The baseline: the same function, bundled as serverless-offline bundles it, in this process.
    const file = await bundle(functionEntries().careerBreakPossibilities!, join(await mkdtemp(join(tmpdir(), 'bench-api-')), 'possibilities.mjs'));
    const { handler } = (await import(pathToFileURL(file).href)) as {
      handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body?: string }>;
    };
    const event = JSON.parse(await readFile(join(projectDir, 'events/career-break-possibilities.json'), 'utf8'));
    event.headers.authorization = `Bearer ${token}`;
    // A request id per call, as Lambda gives: the audit trail is keyed by it.
    const context = () => ({ awsRequestId: randomUUID(), functionName: 'bench', getRemainingTimeInMillis: () => 30_000 });

    const inProcess = async (seconds: number): Promise<PhaseResult> => {
      const result: PhaseResult = { requests: 0, seconds: 0, errors: 0, latencies: [] };
      const started = performance.now();
      const caller = async () => {
        while (performance.now() - started < seconds * 1000) {
          const t = performance.now();
          const { statusCode, body } = await handler(structuredClone(event), context()).catch((e: Error) => ({ statusCode: 0, body: e.message }));
          if (statusCode !== 200 && result.errors === 0) lastError = `${statusCode} ${String(body).slice(0, 300)}`;
          result.latencies.push(performance.now() - t);
          result.requests++;
          if (statusCode !== 200) result.errors++;
        }
      };
      await Promise.all(Array.from({ length: CONNECTIONS }, caller));
      result.seconds = (performance.now() - started) / 1000;
      return result;
    };

    let peakBytes = 0;
    let lastError: string | undefined;
    const overHttp = async (seconds: number): Promise<PhaseResult> => {
      const result: PhaseResult = { requests: 0, seconds: 0, errors: 0, latencies: [] };
      const sampler = setInterval(() => void treeResidentBytes(cloud.pid).then((b) => (peakBytes = Math.max(peakBytes, b))), 1_000);
      const started = performance.now();
      const run = await autocannon({
        url: `${cloud.apiUrl}${PATH}`,
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
      clearInterval(sampler);
      result.seconds = (performance.now() - started) / 1000;
      result.requests = result.latencies.length;
      result.errors += run.errors + run.timeouts;
      return result;
    };

    await overHttp(WARM_UP_SECONDS);
    await inProcess(WARM_UP_SECONDS);
    peakBytes = 0;
    const api: PhaseResult[] = [];
    const direct: PhaseResult[] = [];
    // CPU a request costs each process, by load: what the HTTP hop adds, and where.
    const cpu = cpuMeter(process.pid, (pid, command) =>
      pid === process.pid
        ? 'bench process (autocannon; in process, the handler)'
        : command.includes('osls')
          ? 'serverless-offline (the handler, hapi)'
          : command.includes('java')
            ? 'DynamoDB Local (JVM)'
            : 'emulators (KMS, sources, identity provider)',
    );
    const apiPhase = async () => api.push(await cpu.measure('api', () => overHttp(PHASE_SECONDS)));
    const directPhase = async () => direct.push(await cpu.measure('inProcess', () => inProcess(PHASE_SECONDS)));
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate which goes first, so neither always follows the other.
      if (r % 2 === 0) {
        await apiPhase();
        await directPhase();
      } else {
        await directPhase();
        await apiPhase();
      }
    }
    const summary = summarisePhases;
    const overApi = summary(api);
    const baseline = summary(direct);
    if (overApi.requests === 0 || baseline.requests === 0) throw new Error('a load completed no request: nothing was measured');
    const ratio = overApi.requestsPerSecond / baseline.requestsPerSecond;
    const result = {
      route: `GET ${PATH}`,
      connections: CONNECTIONS,
      warmUpSeconds: WARM_UP_SECONDS,
      phases: `${ROUNDS} × ${PHASE_SECONDS} s each, alternating`,
      targets: TARGETS,
      api: { ...overApi, p99ToP50: round(overApi.latencyP99Ms / overApi.latencyP50Ms, 2) },
      // The baseline's own tail: what of the API's is the machine's (two cores shared with the load).
      inProcess: { ...baseline, p99ToP50: round(baseline.latencyP99Ms / baseline.latencyP50Ms, 2) },
      apiToInProcess: round(ratio, 3),
      // CPU ms a request costs each process (clock ticks of 10 ms, summed over the rounds); 2 cores.
      cpuMsPerRequest: { api: cpu.perUnit('api', overApi.requests), inProcess: cpu.perUnit('inProcess', baseline.requests) },
      ...(lastError ? { firstError: lastError } : {}),
      localCloudPeakResidentGiB: round(peakBytes / 2 ** 30, 3),
      withinTargets:
        overApi.errors === 0 &&
        baseline.errors === 0 &&
        overApi.latencyP99Ms <= TARGETS.p99ToP50Max * overApi.latencyP50Ms &&
        peakBytes <= TARGETS.peakResidentGiBMax * 2 ** 30 &&
        ratio >= TARGETS.apiToInProcessMin,
    };
    return { file: await writeResult('local-api', result), result };
  } finally {
    await cloud.stop();
  }
};
