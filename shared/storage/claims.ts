import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Decision } from '../domain/training-leave/evaluate.js';
import { submitTrainingLeaveClaim } from '../purposes/catalogue.js';
import type { ClaimBody } from '../purposes/training-leave.js';
import { ConditionFailedError, RetentionRepository, type Clock } from './retention-repository.js';

/**
 * Training-leave claims in DynamoDB: one item per claim, holding the claim, its status and,
 * once decided, the decision (only the figures it cites). The item is its own
 * idempotency record: its id derives from the submission, and it is created only if
 * absent. Retention: 10 years from the submission, renewed to 10 years from the decision.
 */
export type ClaimStatus = 'RECEIVED' | 'DECIDED';

export interface StoredDecision extends Omit<Decision, 'claimedHours'> {
  decidedAt: string;
}

export interface StoredClaim extends ClaimBody {
  claimId: string;
  status: ClaimStatus;
  submittedAt: string;
  /** Hash of the submitted content, to tell a replay from a reused Idempotency-Key. */
  requestHash: string;
  decision?: StoredDecision;
}

const keyOf = (claimId: string) => ({ pk: `CLAIM#${claimId}`, sk: 'CLAIM' });
const workerYear = (niss: string, schoolYear: string) => `WORKER#${niss}#${schoolYear}`;

export class ClaimStore {
  private readonly repository: RetentionRepository;

  constructor(doc: DynamoDBDocumentClient, tableName: string, clock?: Clock) {
    // Submission, reading and evaluation share the 10-year retention of 19/038.
    this.repository = new RetentionRepository(doc, tableName, submitTrainingLeaveClaim, clock);
  }

  /** Creates the claim unless one with this id exists; returns the stored one either way. */
  async create(claim: StoredClaim): Promise<{ claim: StoredClaim; created: boolean }> {
    try {
      await this.repository.put(
        { ...keyOf(claim.claimId), gsi1pk: workerYear(claim.workerNiss, claim.schoolYear), gsi1sk: `${claim.submittedAt}#${claim.claimId}`, ...claim },
        { retainFrom: new Date(claim.submittedAt), condition: { expression: 'attribute_not_exists(pk)' } },
      );
      return { claim, created: true };
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      const existing = await this.get(claim.claimId);
      if (!existing) throw new Error(`claim ${claim.claimId} exists but cannot be read`);
      return { claim: existing, created: false };
    }
  }

  async get(claimId: string): Promise<StoredClaim | undefined> {
    const item = await this.repository.get(keyOf(claimId));
    if (!item) return undefined;
    const { pk, sk, gsi1pk, gsi1sk, expiresAt, ...claim } = item;
    void pk, sk, gsi1pk, gsi1sk, expiresAt;
    return claim as unknown as StoredClaim;
  }

  /** Records the decision once: false when the claim was already decided (a redelivery). */
  async decide(claimId: string, decision: StoredDecision): Promise<boolean> {
    try {
      await this.repository.update(keyOf(claimId), { status: 'DECIDED', decision }, {
        retainFrom: new Date(decision.decidedAt),
        condition: { expression: '#status = :received', names: { '#status': 'status' }, values: { ':received': 'RECEIVED' } },
      });
      return true;
    } catch (error) {
      if (error instanceof ConditionFailedError) return false;
      throw error;
    }
  }

  /** Hours approved by the other decided claims of the worker in the school year. */
  async approvedHoursElsewhere(niss: string, schoolYear: string, exceptClaimId: string): Promise<number> {
    const items = await this.repository.query({
      IndexName: 'byWorkerSchoolYear',
      KeyConditionExpression: 'gsi1pk = :k',
      ExpressionAttributeValues: { ':k': workerYear(niss, schoolYear) },
    });
    const hundredths = items
      .filter((i) => i.claimId !== exceptClaimId && i.status === 'DECIDED')
      .reduce((sum, i) => sum + Math.round(((i.decision as StoredDecision | undefined)?.approvedHours ?? 0) * 100), 0);
    return hundredths / 100;
  }
}
