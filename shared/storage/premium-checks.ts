import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PremiumResult } from '../domain/premium-check/evaluate.js';
import { checkPremium as premiumPurpose } from '../purposes/catalogue.js';
import { RetentionRepository, type Clock } from './retention-repository.js';

/**
 * Results of premium checks: what was checked, the outcome, the amounts and the findings
 * (which cite the few DMFA figures they rest on). No DMFA extract is kept beyond those.
 * Retention: PREMIUM_CHECK_RETENTION_YEARS (default 10) from the check.
 */
export interface StoredPremiumCheck extends PremiumResult {
  checkId: string;
  checkedAt: string;
  scheme: 'ACS' | 'PTP';
  employerEnterpriseNumber: string;
  workerNiss: string;
  month: string;
}

export class PremiumCheckStore {
  private readonly repository: RetentionRepository;

  constructor(doc: DynamoDBDocumentClient, tableName: string, clock?: Clock) {
    this.repository = new RetentionRepository(doc, tableName, premiumPurpose, clock);
  }

  async save(check: StoredPremiumCheck): Promise<void> {
    await this.repository.put({ pk: `CHECK#${check.checkId}`, sk: 'CHECK', ...check }, { retainFrom: new Date(check.checkedAt) });
  }
}
