import type { AccessLog, AuditSink } from '../audit/audit-trail.js';
import type { PremiumCheckRepository } from '../domain/premium-check/ports.js';
import type { ClaimQueue, ClaimRepository } from '../domain/training-leave/ports.js';
import type { FieldCipher } from '../privacy/field-cipher.js';
import type { Pseudonymiser } from '../privacy/pseudonymiser.js';
import type { Purpose } from '../purposes/purpose.js';
import type { ClaimPrivacy } from '../storage/claims.js';

export type { ClaimPrivacy };

/**
 * Where the functions keep what they store, chosen by the composition root of the runtime
 * (the Lambda functions: DynamoDB and SQS; the container: its own, shared/composition/
 * container-storage.ts), never by a function. A function asks `p.storage.claims(purpose)`
 * and gets a port; the same `xDeps(platform)` serves both runtimes.
 */
/** The claim queue as the sweeper and the submission use it: only ids travel. */
export interface ClaimQueueWithBatch extends ClaimQueue {
  /** Queues many ids; throws if any was not accepted (the caller runs again). */
  enqueueAll(claimIds: readonly string[]): Promise<void>;
}

/** The audit trail: where records go, and a citizen's accesses read back (GDPR art. 15). */
export interface AuditStore extends AuditSink, AccessLog {}

/** What one run of the retention purge deleted, per table (or per kind of record). */
export interface PurgeResult {
  table: string;
  /** Items read to find them (DynamoDB scans); PostgreSQL deletes by an index and reads none. */
  scanned?: number;
  deleted: number;
}

export interface Storage {
  /** The claims of a purpose; `privacy` for a reader that hashes and opens nothing (the sweeper). */
  claims(purpose: Pick<Purpose, 'id' | 'retention'>, privacy?: ClaimPrivacy): ClaimRepository;
  premiumChecks(purpose: Pick<Purpose, 'id' | 'retention'>): PremiumCheckRepository;
  audit: AuditStore;
  claimQueue: ClaimQueueWithBatch;
  /** Deletes everything past its retention, everywhere. */
  purge(): Promise<PurgeResult[]>;
  /** The health probes of what this storage runs on beyond the tables (the container's PostgreSQL). */
  probes?: Record<string, () => Promise<void>>;
}

/** What a storage needs of the platform: the keyed hashes, the NISS cipher (built on first use), the rules' clock. */
export interface StorageParts {
  pseudonymiser: Pseudonymiser;
  nissCipher: () => FieldCipher;
  clock: () => Date;
}
