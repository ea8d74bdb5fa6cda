import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PremiumCheckRepository, StoredPremiumCheck } from '../domain/premium-check/ports.js';
import type { Purpose } from '../purposes/purpose.js';
import { ConditionFailedError, RetentionRepository, TTL_ATTRIBUTE, type Clock } from './retention-repository.js';

export type { StoredPremiumCheck } from '../domain/premium-check/ports.js';

/**
 * Results of premium checks: what was checked, the outcome, the amounts and the findings
 * (which cite the few DMFA figures they rest on), and the worker only as a keyed hash
 * (`workerSubject`): no NISS is kept. No DMFA extract is kept beyond those.
 * A check is created only if absent: its id derives from the request, so a retry of the
 * same request stores nothing twice. Retention from the purpose (PREMIUM_CHECK_RETENTION_YEARS).
 */
export class PremiumCheckStore implements PremiumCheckRepository {
  private readonly repository: RetentionRepository;

  constructor(
    doc: DynamoDBDocumentClient,
    tableName: string,
    purpose: Pick<Purpose, 'id' | 'retention'>,
    private readonly clock: Clock = () => new Date(),
  ) {
    this.repository = new RetentionRepository(doc, tableName, purpose, clock);
  }

  async save(check: StoredPremiumCheck): Promise<{ created: boolean; check: StoredPremiumCheck }> {
    const key = { pk: `CHECK#${check.checkId}`, sk: 'CHECK' };
    try {
      // A check past its retention is gone, even before the purge deletes it: it is replaced.
      const condition = {
        expression: 'attribute_not_exists(pk) OR #ttl <= :now',
        names: { '#ttl': TTL_ATTRIBUTE },
        values: { ':now': Math.floor(this.clock().getTime() / 1000) },
      };
      await this.repository.put({ ...key, ...check }, { retainFrom: new Date(check.checkedAt), condition });
      return { created: true, check };
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      const stored = await this.repository.get(key);
      if (!stored) throw new Error(`premium check ${check.checkId} exists but cannot be read`);
      const { pk: _pk, sk: _sk, expiresAt: _expiresAt, ...kept } = stored;
      return { created: false, check: kept as unknown as StoredPremiumCheck };
    }
  }
}
