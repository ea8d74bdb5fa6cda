import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Builds the pages (web/) into static files: one small ES module per page (the typed API
 * client included, no framework), the HTML and the style sheet. `local` adds the sign-in
 * page, which only the local web server can serve (it mints tokens); a deployed build has
 * none and gets its token from the real identity provider.
 * `npm run build:web [-- --stage prod] [-- --out dir]`.
 */
const WEB = fileURLToPath(new URL('../../web/', import.meta.url));
const PAGES = ['possibilities', 'access-log', 'claims', 'case', 'premium-check'];

export const buildWeb = async ({ outDir, stage = 'local' }: { outDir: string; stage?: string }) => {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const entries = [...PAGES, ...(stage === 'local' ? ['signin'] : [])];
  const result = await build({
    entryPoints: entries.map((name) => join(WEB, 'src', `${name}.ts`)),
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    metafile: true,
    logLevel: 'silent',
  });
  for (const file of await readdir(join(WEB, 'pages'))) {
    if (file === 'index.html' && stage !== 'local') continue;
    await copyFile(join(WEB, 'pages', file), join(outDir, file));
  }
  const sizes: Record<string, number> = {};
  for (const [file, out] of Object.entries(result.metafile.outputs)) sizes[file.split('/').pop() ?? file] = out.bytes;
  return sizes;
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({ options: { stage: { type: 'string', default: 'local' }, out: { type: 'string', default: '.local/web' } } });
  const sizes = await buildWeb({ outDir: values.out, stage: values.stage });
  console.log(
    `web pages (${values.stage}) built into ${values.out}: ${Object.entries(sizes)
      .map(([f, b]) => `${f} ${(b / 1024).toFixed(1)} KiB`)
      .join(', ')}`,
  );
}
