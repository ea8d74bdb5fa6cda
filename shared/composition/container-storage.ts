import type { PgBoss } from 'pg-boss';
import { type ContainerConfig, ConfigurationError, type RuntimeConfig } from '../config/env.js';
import { checkPremium, trainingLeaveReimbursement } from '../purposes/catalogue.js';
import type { Purpose } from '../purposes/purpose.js';
import type { ClaimPrivacy } from '../storage/claims.js';
import { PgAuditTrail } from '../storage/postgres/audit-trail.js';
import { PgBossClaimQueue } from '../storage/postgres/claim-queue.js';
import { PgClaimStore } from '../storage/postgres/claims.js';
import { createPool } from '../storage/postgres/pool.js';
import { PgPremiumCheckStore } from '../storage/postgres/premium-checks.js';
import { dynamoStorage } from './dynamo-storage.js';
import type { Storage, StorageParts } from './storage.js';

/**
 * The container's storage, in one module: its claim queue is always pg-boss on DATABASE_URL;
 * its claims, premium checks and audit trail are on PostgreSQL (CONTAINER_STORAGE=postgres,
 * the default) or, for a mixed set-up, on DynamoDB (CONTAINER_STORAGE=dynamodb). One pool per
 * process, closed at stop after the workers.
 */
export interface ContainerStorage {
  storage: (parts: StorageParts) => Storage;
  /** What to close at stop, after the workers: the storage's own connections. */
  close: () => Promise<void>;
}

export const containerStorage = (cfg: RuntimeConfig, container: ContainerConfig, boss: () => PgBoss): ContainerStorage => {
  const queue = new PgBossClaimQueue(boss, container.claimQueueName);
  if (container.storage === 'postgres') return postgresStorage(container, queue);
  return { storage: (parts) => dynamoStorage(cfg, parts, queue), close: async () => {} };
};

const postgresStorage = (container: ContainerConfig, queue: PgBossClaimQueue): ContainerStorage => {
  if (!container.databaseUrl) throw new ConfigurationError('the container keeps its data on PostgreSQL: DATABASE_URL is not set');
  const pool = createPool(container.databaseUrl, { max: container.poolSize });
  return {
    storage: (parts) => {
      // An access happens now, whatever day the rules are replayed on (LOCAL_CLOCK), as on DynamoDB.
      const audit = new PgAuditTrail(pool, parts.pseudonymiser, () => new Date());
      const premiumChecks = (purpose: Pick<Purpose, 'id' | 'retention'>) => new PgPremiumCheckStore(pool, purpose, parts.clock);
      const claims = (purpose: Pick<Purpose, 'id' | 'retention'>, privacy?: ClaimPrivacy) =>
        new PgClaimStore(pool, purpose, privacy ?? { pseudonymiser: parts.pseudonymiser, cipher: parts.nissCipher() }, parts.clock);
      return {
        claims,
        premiumChecks,
        audit,
        claimQueue: queue,
        probes: { postgres: async () => void (await pool.query('SELECT 1')) },
        // Each adapter deletes what is past its expiry, in bounded batches.
        purge: async () => [
          ...(await claims(trainingLeaveReimbursement).purgeExpired()),
          await premiumChecks(checkPremium.purpose).purgeExpired(),
          ...(await audit.purgeExpired()),
        ],
      };
    },
    close: () => pool.end(),
  };
};
