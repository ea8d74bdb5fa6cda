import { mkdir, writeFile } from 'node:fs/promises';
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
