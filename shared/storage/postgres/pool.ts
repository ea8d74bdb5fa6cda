import pg from 'pg';

/**
 * The container runtime's connection pool (node-postgres). One per process; replicas share
 * the database, not the pool. Statement time-out bounds a stuck query as the SDK's request
 * time-out bounds a stuck DynamoDB call.
 */
export interface PoolOptions {
  /** At most this many connections per process (PostgreSQL's own limit is shared by every replica). */
  max?: number;
  statementTimeoutMs?: number;
}

export const createPool = (databaseUrl: string, { max = 10, statementTimeoutMs = 5_000 }: PoolOptions = {}): pg.Pool =>
  new pg.Pool({ connectionString: databaseUrl, max, statement_timeout: statementTimeoutMs, connectionTimeoutMillis: 2_000, idleTimeoutMillis: 30_000 });

/** A connection string with its password masked, for logs and start summaries. */
export const maskedUrl = (databaseUrl: string): string => {
  const url = new URL(databaseUrl);
  if (url.password) url.password = '****';
  return url.toString();
};
