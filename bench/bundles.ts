/**
 * Bundles a function the way serverless.yml's custom.esbuild does (minified ESM, the SDK
 * bundled but for the excluded modules, the same banner and target), so that benchmarks load what Lambda would load.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { FUNCTIONS } from '../shared/deployment/functions.js';

export const projectDir = new URL('../', import.meta.url).pathname;

/** The entry file of each deployed function, by function name. */
export const functionEntries = (): Record<string, string> =>
  Object.fromEntries(Object.entries(FUNCTIONS).map(([name, fn]) => [name, join(projectDir, `${fn.handler.replace(/\.[^.]+$/, '')}.ts`)]));

const esbuildOptions = async () => {
  const config = parse(await readFile(join(projectDir, 'serverless.yml'), 'utf8'), {
    customTags: [
      { tag: '!GetAtt', resolve: (v: string) => v },
      { tag: '!Ref', resolve: (v: string) => v },
      { tag: '!Sub', resolve: (v: string) => v },
      { tag: '!Join', collection: 'seq', resolve: (v: unknown) => v },
    ] as never,
  }) as { custom: { esbuild: { minify: boolean; target: string; exclude?: string[]; banner?: Record<string, string> } } };
  return config.custom.esbuild;
};

export const bundle = async (entry: string, outfile: string, { sourcemap = false } = {}) => {
  const options = await esbuildOptions();
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: options.minify,
    sourcemap,
    platform: 'node',
    target: options.target,
    format: 'esm',
    // serverless-esbuild makes the excluded modules external (and packs none of them).
    external: options.exclude ?? [],
    ...(options.banner ? { banner: options.banner } : {}),
    logLevel: 'error',
  });
  return outfile;
};
