/**
 * The image's entry (server.mjs, bundled by `npm run build:container`): the container runtime
 * on the environment it is given (RUNTIME=container, DATABASE_URL and the settings of
 * shared/config/env.ts), stopped gracefully on SIGTERM. Starts no stand-in: `npm run serve`
 * is the local way, with its own PostgreSQL and stand-ins.
 */
import { maskedUrl } from '../shared/storage/postgres/pool.js';
import { startContainer, stopOnSignals } from './runtime.js';

try {
  const runtime = await startContainer();
  stopOnSignals(runtime);
  console.log(`bcss-exchanges container on ${runtime.url} (database ${maskedUrl(runtime.settings.databaseUrl!)})`);
} catch (error) {
  console.error(`container failed to start: ${(error as Error).message}`);
  process.exit(1);
}
