/**
 * Cold start per function: minified bundle size and module initialisation time of the
 * bundle in a fresh Node process, against a baseline bundle that only creates a DynamoDB
 * client. Bundles are built with the esbuild options of serverless.yml (custom.esbuild).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
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
  // Each function twice: without a source map, and with one (loaded with
  // --enable-source-maps, as a deployed function with maps would run).
  const bundles: Record<string, { file: string; bytes: number; zipBytes: number; mapped: string; mappedZipBytes: number }> = {};
  for (const [name, entry] of Object.entries(entries)) {
    const outfile = join(outdir, `${name}.mjs`);
    const mapped = join(outdir, 'mapped', `${name}.mjs`);
    for (const [file, sourcemap] of [
      [outfile, false],
      [mapped, true],
    ] as const) {
      await build({
        entryPoints: [entry],
        outfile: file,
        bundle: true,
        minify: esbuildOptions.minify,
        sourcemap,
        platform: 'node',
        target: esbuildOptions.target,
        format: 'esm',
        banner: esbuildOptions.banner,
        logLevel: 'error',
      });
    }
    // What the zip would weigh: the bundle (and its map) deflated.
    const zipped = async (...files: string[]) => (await Promise.all(files.map(async (f) => gzipSync(await readFile(f)).length))).reduce((a, b) => a + b, 0);
    bundles[name] = {
      file: outfile,
      bytes: (await stat(outfile)).size,
      zipBytes: await zipped(outfile),
      mapped,
      mappedZipBytes: await zipped(mapped, `${mapped}.map`),
    };
  }

  // Interleaved rounds: each round starts one fresh process per bundle, in turn.
  const script = 'const t0 = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t0));';
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(bundles).map((n) => [n, []]));
  const mappedSamples: Record<string, number[]> = Object.fromEntries(Object.keys(bundles).map((n) => [n, []]));
  const init = (file: string, nodeOptions: string) =>
    Number(
      execFileSync(process.execPath, ['--input-type=module', '-e', script, pathToFileURL(file).href], {
        encoding: 'utf8',
        env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT', NODE_OPTIONS: nodeOptions },
      }),
    );
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, { file, mapped }] of Object.entries(bundles)) {
      samples[name]!.push(init(file, ''));
      mappedSamples[name]!.push(init(mapped, '--enable-source-maps'));
    }
  }
  const baselineMs = median(samples.baseline!);
  const functions = Object.fromEntries(
    Object.entries(bundles)
      .filter(([name]) => name !== 'baseline')
      .map(([name, { bytes, zipBytes, mappedZipBytes }]) => {
        const initMs = median(samples[name]!);
        const mappedMs = median(mappedSamples[name]!);
        return [
          name,
          {
            bytes,
            zipBytes,
            initMedianMs: round(initMs),
            ratioToBaseline: round(initMs / baselineMs, 2),
            withSourceMaps: { zipBytes: mappedZipBytes, initMedianMs: round(mappedMs), ratioToWithout: round(mappedMs / initMs, 2) },
            withinTargets: initMs / baselineMs <= 1.5 && zipBytes < 1_000_000,
          },
        ];
      }),
  );
  const result = {
    rounds: ROUNDS,
    targets: { initRatioMax: 1.5, zipBytesMax: 1_000_000 },
    baseline: { bytes: bundles.baseline!.bytes, initMedianMs: round(baselineMs) },
    functions,
  };
  return { file: await writeResult('cold-start', result), result };
};
