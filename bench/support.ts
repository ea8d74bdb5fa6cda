import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

export const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

export const machine = () => ({
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  memoryGiB: round(totalmem() / 2 ** 30, 1),
  platform: `${process.platform}-${process.arch}`,
});

/**
 * Writes <name>.json with the machine and the time of the run: under .local/bench/ (not
 * tracked), or bench/results/ when BENCH_RECORD=1 (the figures BENCHMARKS.md quotes).
 */
export const writeResult = async (name: string, result: Record<string, unknown>) => {
  const dir = process.env.BENCH_RECORD === '1' ? new URL('./results/', import.meta.url) : new URL('../.local/bench/', import.meta.url);
  await mkdir(dir, { recursive: true });
  const file = new URL(`${name}.json`, dir);
  await writeFile(file, `${JSON.stringify({ benchmark: name, at: new Date().toISOString(), machine: machine(), ...result }, null, 2)}\n`);
  return file.pathname;
};

/**
 * Each process of a tree (a process and all its descendants, read from /proc on Linux): its
 * pid, command line, resident bytes (VmRSS: pages shared between processes, such as
 * PostgreSQL's shared buffers, counted in each) and proportional bytes (Pss: shared pages
 * divided among their sharers, so a tree's sum is what it holds).
 */
export const treeProcesses = async (root: number): Promise<{ pid: number; command: string; residentBytes: number; proportionalBytes: number }[]> => {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // The command name may hold spaces: fields start after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parents.set(Number(entry), ppid);
  }
  const inTree = (pid: number, depth = 0): boolean => pid === root || (depth < 64 && parents.has(pid) && pid !== 1 && inTree(parents.get(pid)!, depth + 1));
  const found: { pid: number; command: string; residentBytes: number; proportionalBytes: number }[] = [];
  for (const pid of [root, ...parents.keys()]) {
    if (!inTree(pid) || found.some((p) => p.pid === pid)) continue;
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const command = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').join(' ').trim();
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
    if (status)
      found.push({
        pid,
        command,
        residentBytes: Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024,
        proportionalBytes: Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024,
      });
  }
  return found;
};

/**
 * CPU time (user + system, ms) each process of a tree has used so far, read from /proc (Linux;
 * empty elsewhere), summed by `label`: take one before and one after a phase and subtract.
 */
export const treeCpuMs = async (root: number, label: (pid: number, command: string) => string): Promise<Map<string, number>> => {
  const byLabel = new Map<string, number>();
  const processes = await treeProcesses(root).catch(() => []);
  for (const { pid, command } of processes) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    if (!stat) continue;
    // After the ')' closing the name: state is field 3; utime and stime are fields 14 and 15 (clock ticks of 10 ms).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (Number(fields[11]) + Number(fields[12])) * 10;
    const key = label(pid, command);
    byLabel.set(key, (byLabel.get(key) ?? 0) + ms);
  }
  return byLabel;
};

/**
 * CPU time per load and process of a tree, phase by phase: `measure(load, run)` adds what each
 * process (by `label`) spent while `run` ran to that load's sums; `perUnit(load, n)` gives
 * the sums divided by the units of work it did (claims, requests), in ms, rounded to 0.01.
 */
export const cpuMeter = (root: number, label: (pid: number, command: string) => string) => {
  const cpu = new Map<string, Map<string, number>>();
  return {
    measure: async <T>(load: string, run: () => Promise<T>): Promise<T> => {
      const before = await treeCpuMs(root, label);
      const result = await run();
      const after = await treeCpuMs(root, label);
      const sums = cpu.get(load) ?? new Map<string, number>();
      for (const [name, ms] of after) sums.set(name, (sums.get(name) ?? 0) + ms - (before.get(name) ?? 0));
      cpu.set(load, sums);
      return result;
    },
    perUnit: (load: string, units: number) => Object.fromEntries([...(cpu.get(load) ?? [])].map(([name, ms]) => [name, round(ms / Math.max(1, units), 2)])),
  };
};

/** Resident memory of a process and all its descendants, read from /proc (Linux). */
export const treeResidentBytes = async (root: number): Promise<number> => (await treeProcesses(root)).reduce((sum, p) => sum + p.residentBytes, 0);

/** One timed phase of a load: requests done, its length, errors, each request's latency (ms). */
export interface PhaseResult {
  requests: number;
  seconds: number;
  errors: number;
  latencies: number[];
}

/** The phases of one load, summed: rate, median and tail latency, errors. */
export const summarisePhases = (phases: readonly PhaseResult[]) => {
  const latencies = phases.flatMap((p) => p.latencies);
  const requests = phases.reduce((s, p) => s + p.requests, 0);
  const seconds = phases.reduce((s, p) => s + p.seconds, 0);
  return {
    requests,
    seconds: round(seconds, 1),
    requestsPerSecond: round(requests / seconds, 1),
    latencyP50Ms: round(percentile(latencies, 50), 1),
    latencyP99Ms: round(percentile(latencies, 99), 1),
    errors: phases.reduce((s, p) => s + p.errors, 0),
  };
};
