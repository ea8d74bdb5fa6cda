import { join } from 'node:path';
import { runner } from 'node-pg-migrate';

/**
 * Versioned migrations (node-pg-migrate), run at start: each file of `migrations/` once, in
 * order of its name, recorded in `pgmigrations`. node-pg-migrate holds an advisory lock
 * while it runs (waiting for it, not failing), so replicas starting together migrate once.
 */
export const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');

export const migrate = async (databaseUrl: string, log: (line: string) => void = () => {}, dir = MIGRATIONS_DIR): Promise<string[]> => {
  const applied = await runner({
    databaseUrl,
    dir,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    checkOrder: true,
    log,
    singleTransaction: true,
    // Replicas starting together: the second waits for the first, then finds nothing to do.
    advisoryLockMode: 'wait',
  });
  return applied.map((m) => m.name);
};
