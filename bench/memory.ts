/**
 * The memory of `npm start`, whole process tree, from the first second: spawns `npm start`
 * (npm, tsx, the stack's node process, serverless-offline, esbuild, DynamoDB Local's JVM,
 * everything they start) on free ports with a throw-away data folder and identity key, and
 * samples every process of the tree every 200 ms from the spawn: resident (VmRSS summed: a
 * page shared by two processes counts twice) and proportional (Pss from smaps_rollup: shared
 * pages divided among their sharers). Through start-up until the ready banner, then a short
 * load (autocannon, 10 connections, BENCH_MEMORY_LOAD_SECONDS, default 10 s, on
 * `GET /v1/career-break/possibilities` with a citizen token), then a stop (SIGINT).
 * Reports the peaks of each phase, the processes at the resident peak, and a timeline (one
 * point a second). Target (issue 28): ≤ 1 GiB resident at every moment.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { PORT_VARIABLES } from '../local/cloud.js';
import { loadOrCreateSigningKey } from '../local/identity/keys.js';
import { signToken } from '../local/identity/tokens.js';
import { freePort } from '../local/ports.js';
import { projectDir } from './bundles.js';
import { round, treeProcesses, writeResult } from './support.js';

const SAMPLE_MS = 200;
const LOAD_SECONDS = Number(process.env.BENCH_MEMORY_LOAD_SECONDS ?? 10);
const TARGET_GIB = 1;
const GiB = 2 ** 30;
const MiB = 2 ** 20;

/** A short name for a process of the tree, from its command line. */
const label = (command: string): string => {
  if (command.includes('DynamoDBLocal.jar')) return 'java (DynamoDB Local)';
  if (command.includes('esbuild') && command.includes('--service')) return 'esbuild service';
  if (command.includes('osls') || command.includes('offline start')) return 'node (serverless-offline)';
  if (command.includes('local-aws-sqs') || command.includes('sqs')) return `node (${command.slice(0, 40)})`;
  if (command.includes('local/start.ts')) return command.includes('tsx/dist/cli') ? 'node (tsx cli)' : 'node (local/start.ts)';
  if (/^npm|\/npm(-cli)?(\.js)? /.test(command) || command.startsWith('npm')) return 'npm';
  return command.slice(0, 60);
};

export const memory = async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-memory-data-'));
  const idpDir = await mkdtemp(join(tmpdir(), 'bench-memory-idp-'));
  const ports: Record<string, number> = {};
  for (const variable of Object.values(PORT_VARIABLES)) ports[variable] = await freePort();
  const spawnedAt = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: projectDir,
    // Its own process group, so that the stop reaches every process npm started.
    detached: true,
    env: { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), LOCAL_DATA_DIR: dataDir, LOCAL_IDP_DIR: idpDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const root = child.pid!;
  let output = '';
  type Phase = 'start-up' | 'ready' | 'load' | 'after load';
  // Changed by the callbacks below: typed wide so that the checks after an await are not narrowed away.
  let phase = 'start-up' as Phase;
  let readyAt = 0;
  const ready = new Promise<void>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      if (phase === 'start-up' && output.includes('Local cloud up in')) {
        phase = 'ready';
        readyAt = performance.now();
        resolve();
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('exit', (code) => reject(new Error(`npm start exited with code ${code}:\n${output.slice(-3_000)}`)));
  });

  interface Sample {
    t: number;
    phase: Phase;
    residentBytes: number;
    proportionalBytes: number;
    processes: { pid: number; label: string; residentBytes: number; proportionalBytes: number }[];
  }
  const samples: Sample[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const due = performance.now() + SAMPLE_MS;
      const t = (performance.now() - spawnedAt) / 1000;
      const processes = (await treeProcesses(root)).map((p) => ({
        pid: p.pid,
        label: label(p.command),
        residentBytes: p.residentBytes,
        proportionalBytes: p.proportionalBytes,
      }));
      samples.push({
        t,
        phase,
        residentBytes: processes.reduce((s, p) => s + p.residentBytes, 0),
        proportionalBytes: processes.reduce((s, p) => s + p.proportionalBytes, 0),
        processes,
      });
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    }
  })();

  const loadAverage = () => loadavg().map((l) => round(l, 2));
  const loadAtStart = loadAverage();
  let loadRun: autocannon.Result | undefined;
  try {
    await Promise.race([
      ready,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`npm start not ready after 180 s:\n${output.slice(-3_000)}`)), 180_000)),
    ]);
    // A few seconds of the idle stack, then the load.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const token = await signToken(
      await loadOrCreateSigningKey(idpDir),
      { role: 'citizen', niss: '85073003328' },
      { issuer: `http://127.0.0.1:${ports.IDP_PORT}` },
    );
    phase = 'load';
    loadRun = await autocannon({
      url: `http://127.0.0.1:${ports.PORT}/v1/career-break/possibilities`,
      headers: { authorization: `Bearer ${token}`, 'accept-language': 'nl' },
      connections: 10,
      duration: LOAD_SECONDS,
      timeout: 30,
    } as autocannon.Options);
    phase = 'after load';
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  } finally {
    sampling = false;
    await sampler;
    const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
    try {
      process.kill(-root, 'SIGINT');
    } catch {}
    const timer = setTimeout(() => {
      try {
        process.kill(-root, 'SIGKILL');
      } catch {}
    }, 15_000);
    await exited;
    clearTimeout(timer);
  }

  const peakOf = (selected: Sample[], key: 'residentBytes' | 'proportionalBytes') =>
    selected.reduce((best, s) => (s[key] > (best?.[key] ?? -1) ? s : best), selected[0]);
  const summary = (selected: Sample[]) => {
    const rss = peakOf(selected, 'residentBytes');
    const pss = peakOf(selected, 'proportionalBytes');
    return rss && pss
      ? {
          peakResidentGiB: round(rss.residentBytes / GiB, 3),
          atSecond: round(rss.t, 1),
          peakProportionalGiB: round(pss.proportionalBytes / GiB, 3),
          lastResidentGiB: round(selected.at(-1)!.residentBytes / GiB, 3),
        }
      : undefined;
  };
  const overall = peakOf(samples, 'residentBytes')!;
  // One point a second (the highest sample of the second), to read the shape.
  const timeline: { second: number; phase: string; residentMiB: number; proportionalMiB: number; processes: number; largest: string }[] = [];
  for (const s of samples) {
    const second = Math.floor(s.t);
    const point = timeline.find((p) => p.second === second);
    const largest = [...s.processes]
      .sort((a, b) => b.residentBytes - a.residentBytes)
      .slice(0, 3)
      .map((p) => `${p.label} ${Math.round(p.residentBytes / MiB)}`)
      .join(', ');
    const entry = {
      second,
      phase: s.phase,
      residentMiB: Math.round(s.residentBytes / MiB),
      proportionalMiB: Math.round(s.proportionalBytes / MiB),
      processes: s.processes.length,
      largest,
    };
    if (!point) timeline.push(entry);
    else if (entry.residentMiB > point.residentMiB) Object.assign(point, entry);
  }
  // Each kind of process at its own peak, over the whole run.
  const byLabel = new Map<string, number>();
  for (const s of samples) for (const p of s.processes) byLabel.set(p.label, Math.max(byLabel.get(p.label) ?? 0, p.residentBytes));
  const result = {
    sampleEveryMs: SAMPLE_MS,
    samples: samples.length,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadAverage(),
    readyAfterSeconds: round((readyAt - spawnedAt) / 1000, 1),
    target: { peakResidentGiBMax: TARGET_GIB },
    startUp: summary(samples.filter((s) => s.phase === 'start-up')),
    ready: summary(samples.filter((s) => s.phase === 'ready')),
    load: {
      ...summary(samples.filter((s) => s.phase === 'load')),
      seconds: LOAD_SECONDS,
      requestsPerSecond: round(loadRun?.requests.average ?? 0, 1),
      latencyP50Ms: loadRun?.latency.p50,
      latencyP99Ms: loadRun?.latency.p99,
      non2xx: loadRun?.non2xx,
      errors: (loadRun?.errors ?? 0) + (loadRun?.timeouts ?? 0),
    },
    peakResidentGiB: round(overall.residentBytes / GiB, 3),
    peakProportionalGiB: round(peakOf(samples, 'proportionalBytes')!.proportionalBytes / GiB, 3),
    atThePeak: {
      second: round(overall.t, 1),
      phase: overall.phase,
      processes: overall.processes
        .filter((p) => p.residentBytes > 5 * MiB)
        .sort((a, b) => b.residentBytes - a.residentBytes)
        .map((p) => ({ process: p.label, residentMiB: Math.round(p.residentBytes / MiB), proportionalMiB: Math.round(p.proportionalBytes / MiB) })),
    },
    peakResidentMiBByProcess: Object.fromEntries(
      [...byLabel]
        .sort((a, b) => b[1] - a[1])
        .filter(([, b]) => b > 5 * MiB)
        .map(([l, b]) => [l, Math.round(b / MiB)]),
    ),
    timeline,
    withinTarget: overall.residentBytes <= TARGET_GIB * GiB && (loadRun?.non2xx ?? 1) === 0,
  };
  return { file: await writeResult('memory', result), result };
};
