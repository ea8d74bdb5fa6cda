import { join } from 'node:path';
import { runner } from 'node-pg-migrate';

/**
 * Versioned migrations (node-pg-migrate), run at start: each file of `migrations/` once, in
 * order of its name, recorded in `pgmigrations`. node-pg-migrate holds an advisory lock
 * while it runs, and the others wait on it, so replicas starting together migrate once.
 */
export const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');

export const migrate = async (databaseUrl: string, log: (line: string) => void = () => {}, dir = MIGRATIONS_DIR): Promise<string[]> => {
  const applied = await runner({
    databaseUrl,
    dir,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    checkOrder: true,
    // A replica starting while another migrates waits for it (the default fails), then finds nothing left to apply.
    advisoryLockMode: 'wait',
    log,
    // Only the project's own files, in the folder's order.
    singleTransaction: true,
  });
  return applied.map((m) => m.name);
};
