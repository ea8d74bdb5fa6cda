import type { PgBoss } from 'pg-boss';
import { type ContainerConfig, ConfigurationError, type RuntimeConfig } from '../config/env.js';
import { PgBossClaimQueue } from '../storage/postgres/claim-queue.js';
import { dynamoStorage } from './dynamo-storage.js';
import type { Storage, StorageParts } from './storage.js';

/**
 * The container's storage, in one module: its claim queue is always pg-boss on
 * DATABASE_URL; its claims, premium checks and audit trail are on DynamoDB
 * (CONTAINER_STORAGE=dynamodb, the default in this branch) or on PostgreSQL
 * (CONTAINER_STORAGE=postgres).
 *
 * INTEGRATOR — PostgreSQL storage. The adapters are written in other branches under the
 * agreed names and are not in this one; when they are merged, replace the body of
 * `postgresStorage` with (and make `postgres` the default in shared/config/env.ts):
 *
 *   import { PgClaimStore } from '../storage/postgres/claims.js';
 *   import { PgPremiumCheckStore } from '../storage/postgres/premium-checks.js';
 *   import { PgAuditTrail } from '../storage/postgres/audit-trail.js';
 *   import { createPool } from '../storage/postgres/pool.js';
 *
 *   const pool = createPool(databaseUrl, { max: … });          // one per process; close it at stop (runtime.ts `closers`)
 *   const audit = new PgAuditTrail(pool, parts.pseudonymiser, () => new Date());   // wall clock, as the DynamoDB trail
 *   return {
 *     claims: (purpose, privacy) => new PgClaimStore(pool, purpose, privacy ?? { pseudonymiser: parts.pseudonymiser, cipher: parts.nissCipher() }, parts.clock),
 *     premiumChecks: (purpose) => new PgPremiumCheckStore(pool, purpose, parts.clock),
 *     audit,
 *     claimQueue: queue,
 *     purge: () => … each adapter's purge of what is past its expiry, as PurgeResult rows,
 *   };
 *
 * and enable the `it.todo` of test/integration/container-replicas.test.ts.
 */
export interface ContainerStorage {
  storage: (parts: StorageParts) => Storage;
  /** What to close at stop, after the workers: the storage's own connections. */
  close: () => Promise<void>;
}

export const containerStorage = (cfg: RuntimeConfig, container: ContainerConfig, boss: () => PgBoss): ContainerStorage => {
  const queue = new PgBossClaimQueue(boss, container.claimQueueName);
  if (container.storage === 'postgres') return postgresStorage();
  return { storage: (parts) => dynamoStorage(cfg, parts, queue), close: async () => {} };
};

/** Not merged in this branch: see INTEGRATOR above. */
const postgresStorage = (): ContainerStorage => {
  throw new ConfigurationError(
    'CONTAINER_STORAGE=postgres needs the PostgreSQL adapters (PgClaimStore, PgPremiumCheckStore, PgAuditTrail), not merged in this branch; use CONTAINER_STORAGE=dynamodb',
  );
};
