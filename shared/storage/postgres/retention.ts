import { settings } from '../../config/env.js';
import type { RetentionOverrides } from '../../purposes/retention.js';
import type pg from 'pg';
import type { Purpose } from '../../purposes/purpose.js';
import { expiresAt } from '../../purposes/retention.js';

/**
 * Retention on PostgreSQL, as RetentionRepository does it on DynamoDB: every row gets
 * `expires_at` from its purpose (the same `expiresAt`, so both engines expire a record the
 * same day), every read hides rows past it, and the purge deletes them.
 */
export const expiryOf = (purpose: Pick<Purpose, 'retention'>, from: Date, env: RetentionOverrides = settings().retentionOverrides): Date =>
  new Date(expiresAt(purpose, from, env) * 1000);

/** Rows deleted per statement: a purge never holds a long lock or one huge transaction. */
export const PURGE_BATCH = 5_000;

/** The tables the adapters own; a table name is never taken from input. */
export type PurgeableTable = 'bcss.premium_checks' | 'bcss.audit_records' | 'bcss.audit_refusals';

/** Deletes the table's rows past expiry at `now`, a bounded batch per statement, until none is left. */
export const purgeExpiredRows = async (pool: pg.Pool, table: PurgeableTable, now: Date, batch = PURGE_BATCH): Promise<{ table: string; deleted: number }> => {
  let deleted = 0;
  for (;;) {
    const { rowCount } = await pool.query(`DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE expires_at <= $1 LIMIT $2)`, [now, batch]);
    deleted += rowCount ?? 0;
    if ((rowCount ?? 0) < batch) return { table, deleted };
  }
};
