/**
 * Cold start per function: minified bundle size and module initialisation time of the
 * bundle in a fresh Node process, against a baseline bundle that only creates a DynamoDB
 * client. Bundles are built with the esbuild options of serverless.yml (custom.esbuild).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { FUNCTIONS } from '../shared/deployment/functions.js';
import { median, round, writeResult } from './support.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

export const coldStart = async () => {
  const root = new URL('../', import.meta.url);
  const config = parse(await readFile(new URL('serverless.yml', root), 'utf8'), {
    customTags: [
      { tag: '!GetAtt', resolve: (v: string) => v },
      { tag: '!Ref', resolve: (v: string) => v },
      { tag: '!Sub', resolve: (v: string) => v },
      { tag: '!Join', collection: 'seq', resolve: (v: unknown) => v },
    ] as never,
  }) as any;
  const esbuildOptions = config.custom.esbuild;
  const entries: Record<string, string> = { baseline: join(root.pathname, 'bench/baseline-handler.ts') };
  for (const [name, fn] of Object.entries(FUNCTIONS)) entries[name] = join(root.pathname, `${fn.handler.replace(/\.[^.]+$/, '')}.ts`);

  const outdir = await mkdtemp(join(tmpdir(), 'bench-bundles-'));
  const bundles: Record<string, { file: string; bytes: number }> = {};
  for (const [name, entry] of Object.entries(entries)) {
    const outfile = join(outdir, `${name}.mjs`);
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      minify: esbuildOptions.minify,
      platform: 'node',
      target: esbuildOptions.target,
      format: 'esm',
      banner: esbuildOptions.banner,
      logLevel: 'error',
    });
    bundles[name] = { file: outfile, bytes: (await stat(outfile)).size };
  }

  // Interleaved rounds: each round starts one fresh process per bundle, in turn.
  const script = 'const t0 = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t0));';
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(bundles).map((n) => [n, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, { file }] of Object.entries(bundles)) {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, pathToFileURL(file).href], {
        encoding: 'utf8',
        env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
      });
      samples[name]!.push(Number(out));
    }
  }
  const baselineMs = median(samples.baseline!);
  const functions = Object.fromEntries(
    Object.entries(bundles)
      .filter(([name]) => name !== 'baseline')
      .map(([name, { bytes }]) => {
        const initMs = median(samples[name]!);
        return [
          name,
          {
            bytes,
            initMedianMs: round(initMs),
            ratioToBaseline: round(initMs / baselineMs, 2),
            withinTargets: initMs / baselineMs <= 1.5 && bytes < 1_000_000,
          },
        ];
      }),
  );
  const result = {
    rounds: ROUNDS,
    targets: { initRatioMax: 1.5, bytesMax: 1_000_000 },
    baseline: { bytes: bundles.baseline!.bytes, initMedianMs: round(baselineMs) },
    functions,
  };
  return { file: await writeResult('cold-start', result), result };
};
