/**
 * `npm run bench [name ...]`: the benchmarks, each in a process of its own (a benchmark's
 * imports can read the process's settings once and for all, as the logger does, before
 * another sets what it needs, such as the pipeline's LOCAL_CLOCK), one after the other, so
 * that none measures while another loads the machine. With no name: issue 28's goals
 * (cold-start, local-api, pipeline, memory, test-time), then the goals table, met or missed,
 * with the load average around each; `all`: every benchmark. Results go to
 * .local/bench/*.json (bench/results/ with BENCH_RECORD=1); figures are ratios or counts
 * measured in the same run: see BENCHMARKS.md. Exits 1 if a benchmark failed.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { goalsOf, goalsTable } from './goals.js';
import { round, writeResult } from './support.js';

// Imported only when chosen, in the child that runs it.
const ALL = {
  'cold-start': async () => (await import('./cold-start.js')).coldStart(),
  middleware: async () => (await import('./middleware-overhead.js')).middlewareOverhead(),
  pipeline: async () => (await import('./claim-pipeline.js')).claimPipeline(),
  http: async () => (await import('./http-load.js')).httpLoad(),
  'local-api': async () => (await import('./local-api.js')).localApi(),
  memory: async () => (await import('./memory.js')).memory(),
  'test-time': async () => (await import('./test-time.js')).testTime(),
  'subject-hash': async () => (await import('./subject-hash.js')).subjectHash(),
  'niss-cipher': async () => (await import('./niss-cipher.js')).nissCipher(),
  'list-disclosures': async () => (await import('./list-disclosures.js')).listDisclosures(),
  container: async () => (await import('./container.js')).container(),
} as const;
type Name = keyof typeof ALL;
const GOALS: Name[] = ['cold-start', 'local-api', 'pipeline', 'memory', 'test-time'];

const [first, second] = process.argv.slice(2);
if (first === '--one') {
  // The child: one benchmark, its result written where the parent said.
  const { file, result } = await ALL[second as Name]();
  console.log(JSON.stringify(result, null, 2));
  console.log(`-> ${file}`);
  await writeFile(process.env.BENCH_RESULT_FILE!, JSON.stringify(result));
  process.exit(0);
}

const args = process.argv.slice(2);
const chosen: Name[] = args.length === 0 ? GOALS : args.includes('all') ? (Object.keys(ALL) as Name[]) : (args as Name[]);
const unknown = chosen.filter((name) => !(name in ALL));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; one of ${Object.keys(ALL).join(', ')}, or all`);
  process.exit(2);
}

const work = await mkdtemp(join(tmpdir(), 'bench-run-'));
const results: Record<string, Record<string, unknown> | undefined> = {};
const runs: { benchmark: string; ok: boolean; seconds: number; loadAverageBefore: number; loadAverageAfter: number; error?: string }[] = [];
for (const name of chosen) {
  console.log(`\n== ${name} (load average ${loadavg()[0]!.toFixed(2)})`);
  const resultFile = join(work, `${name}.json`);
  const before = loadavg()[0]!;
  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', new URL('./run.ts', import.meta.url).pathname, '--one', name], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_RESULT_FILE: resultFile },
    });
    child.once('exit', resolve);
  });
  const run = {
    benchmark: name,
    ok: code === 0,
    seconds: round((performance.now() - started) / 1000, 1),
    loadAverageBefore: round(before, 2),
    loadAverageAfter: round(loadavg()[0]!, 2),
  };
  if (code === 0) results[name] = JSON.parse(await readFile(resultFile, 'utf8'));
  else console.error(`${name} failed (exit ${code})`);
  runs.push(code === 0 ? run : { ...run, error: `exit ${code}` });
}

const goals = goalsOf(results);
console.log(`\n== issue 28's goals\n${goalsTable(goals)}\n`);
console.log(
  runs.map((r) => `${r.benchmark}: ${r.ok ? 'ran' : 'FAILED'} in ${r.seconds} s, load average ${r.loadAverageBefore} → ${r.loadAverageAfter}`).join('\n'),
);
const file = await writeResult('goals', { benchmarks: runs, goals, met: goals.every((g) => g.met === true) });
console.log(`-> ${file}`);
process.exit(runs.every((r) => r.ok) ? 0 : 1);
