import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RetentionRepository, type Clock } from '../storage/retention-repository.js';
import type { Retention } from '../purposes/purpose.js';
import { subjectHash } from '../privacy/subject-hash.js';

export { subjectHash };

/**
 * One record per authorised or refused access: when, who (role and organisation or
 * team, never a person's NISS), for which purpose, with what outcome, and a keyed hash
 * of the data subject so that a subject's accesses can be found again (by hashing their
 * NISS with the same key) without the trail holding the NISS in clear.
 */
export const AUDIT_RETENTION: Retention = {
  kind: 'period',
  years: 10,
  env: 'AUDIT_RETENTION_YEARS',
  from: 'the access',
  source:
    'not set by the deliberations; decided: 10 years, as long as the longest retention of the data it traces (19/038 §28). AUDIT_RETENTION_YEARS may only shorten it.',
};

export interface AuditEntry {
  purpose: string;
  deliberation: string;
  requestId: string;
  actorRole: string;
  actorOrganisation?: string;
  outcome: 'ALLOWED' | 'DENIED' | 'FAILED';
  status: number;
  code?: string;
  subjectNiss?: string;
}

export class AuditTrail {
  private readonly repository: RetentionRepository;

  constructor(
    doc: DynamoDBDocumentClient,
    tableName: string,
    private readonly hashKey: string,
    private readonly clock: Clock = () => new Date(),
    env: NodeJS.ProcessEnv = process.env,
  ) {
    if (!hashKey) throw new Error('the audit trail needs a hash key (AUDIT_HASH_KEY)');
    this.repository = new RetentionRepository(doc, tableName, { id: 'AUDIT_TRAIL', retention: AUDIT_RETENTION }, clock, env);
  }

  async record(entry: AuditEntry): Promise<void> {
    const at = this.clock().toISOString();
    const { subjectNiss, ...rest } = entry;
    await this.repository.put({
      // One partition per purpose and day keeps reads of a day's accesses cheap.
      pk: `AUDIT#${entry.purpose}#${at.slice(0, 10)}`,
      sk: `${at}#${entry.requestId || randomUUID()}`,
      at,
      ...rest,
      ...(subjectNiss ? { subjectHash: subjectHash(subjectNiss, this.hashKey) } : {}),
    });
  }
}
