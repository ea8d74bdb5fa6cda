import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fromHundredths, toHundredths } from '../domain/amounts.js';
import { quarterOf } from '../domain/calendar.js';
import type { AlreadyApproved, LedgerBound, LedgerPosting } from '../domain/training-leave/evaluate.js';
import type { Claim, ClaimRepository, DecideResult, StoredDecision } from '../domain/training-leave/ports.js';
import type { Pseudonymise } from '../privacy/subject-hash.js';
import type { Purpose } from '../purposes/purpose.js';
import { ConditionFailedError, RetentionRepository, TransactionCancelledError, type Clock, type Item, type TransactUpdate } from './retention-repository.js';

/**
 * Training-leave claims in DynamoDB, and the ledger that holds the hours approved across
 * claims.
 *
 * - A claim is one item holding the claim, its status and, once decided, the decision
 *   (only the figures it cites). It is its own idempotency record: its id derives from the
 *   submission, and it is created only if absent.
 * - The ledger is one item per worker and bound: the school year (against the personal
 *   maximum), the training (against the hours attended) and, with each employer, the
 *   quarter (against the hours that employer declared under DMFA code 5). Its partition is
 *   the keyed hash of the NISS, never the NISS.
 * - A decision is recorded in one transaction with its ledger postings: the claim must
 *   still be RECEIVED, and each ledger item must still hold what the evaluation read and
 *   stay within its limit. Otherwise nothing is written and the caller evaluates again.
 *
 * Retention: 10 years from the submission, renewed to 10 years from the decision; a ledger
 * item, 10 years from the last decision posted to it.
 */
export type { Claim as StoredClaim, ClaimStatus, DecideResult, StoredDecision } from '../domain/training-leave/ports.js';
type StoredClaim = Claim;

const keyOf = (claimId: string) => ({ pk: `CLAIM#${claimId}`, sk: 'CLAIM' });

/** The ledger item of one bound; the employer is part of a quarter's key (code-5 hours are declared per employer). */
const ledgerSortKey = (bound: LedgerBound, scope: string, employer: string) =>
  bound === 'QUARTER' ? `LEDGER#QUARTER#${scope}#${employer}` : `LEDGER#${bound}#${scope}`;

export class ClaimStore implements ClaimRepository {
  private readonly repository: RetentionRepository;

  /** `purpose` sets the retention (19/038: 10 years); the composition root passes it. */
  constructor(
    doc: DynamoDBDocumentClient,
    tableName: string,
    purpose: Pick<Purpose, 'id' | 'retention'>,
    private readonly pseudonymise: Pseudonymise,
    clock?: Clock,
  ) {
    this.repository = new RetentionRepository(doc, tableName, purpose, clock);
  }

  private ledgerKey(claim: Pick<StoredClaim, 'workerNiss' | 'employerEnterpriseNumber'>, bound: LedgerBound, scope: string) {
    return { pk: `WORKER#${this.pseudonymise(claim.workerNiss)}`, sk: ledgerSortKey(bound, scope, claim.employerEnterpriseNumber) };
  }

  /** Creates the claim unless one with this id exists; returns the stored one either way. */
  async create(claim: StoredClaim): Promise<{ claim: StoredClaim; created: boolean }> {
    try {
      await this.repository.put(
        { ...keyOf(claim.claimId), ...claim },
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
    const { pk: _pk, sk: _sk, expiresAt: _expiresAt, ...claim } = item;
    return claim as unknown as StoredClaim;
  }

  /** What earlier decisions took from each bound the claim touches (consistent reads of the ledger items only). */
  async approvedSoFar(claim: StoredClaim): Promise<AlreadyApproved> {
    const quarters = [...new Set(Object.keys(claim.hoursByMonth).map(quarterOf))];
    // An item past its retention (not yet deleted by TTL or the purge) is deleted here and
    // counts as empty: otherwise its stale value would fail every condition below.
    const item = async (bound: LedgerBound, scope: string) => {
      const key = this.ledgerKey(claim, bound, scope);
      const found = await this.repository.getWithExpiry(key);
      if (!found) return undefined;
      if (found.expired) {
        await this.repository.deleteIfExpired(key);
        return undefined;
      }
      return found.item;
    };
    const approved = (i: Item | undefined) => fromHundredths((i?.approvedHundredths as number | undefined) ?? 0);
    const [year, training, perQuarter] = await Promise.all([
      item('SCHOOL_YEAR', claim.schoolYear),
      item('TRAINING', claim.training.id),
      Promise.all(quarters.map(async (q) => [q, approved(await item('QUARTER', q))] as const)),
    ]);
    const limit = year?.limitHundredths as number | undefined;
    return {
      schoolYear: approved(year),
      training: approved(training),
      quarters: Object.fromEntries(perQuarter),
      ...(limit !== undefined ? { schoolYearLimit: fromHundredths(limit) } : {}),
    };
  }

  /**
   * Records the decision and its ledger postings, all or nothing. Each posting is
   * conditioned on the ledger item still holding what the evaluation read (so the reasons
   * stay true) and on its bound (`approved + hours <= limit`).
   */
  async decide(claim: StoredClaim, decision: StoredDecision): Promise<DecideResult> {
    const decidedAt = new Date(decision.decidedAt);
    const postings = decision.ledger.map((p: LedgerPosting): TransactUpdate => {
      const read = toHundredths(p.alreadyApprovedHours);
      const hours = toHundredths(p.hours);
      const limit = toHundredths(p.limitHours);
      if (hours <= 0 || read + hours > limit) throw new Error(`ledger posting outside its bound: ${p.bound} ${read} + ${hours} > ${limit}`);
      // Still what the evaluation read, and within the bound (DynamoDB refuses redundant parentheses).
      const held =
        read === 0 ? '(attribute_not_exists(#approved) OR (#approved = :read AND #approved <= :threshold))' : '(#approved = :read AND #approved <= :threshold)';
      return {
        key: this.ledgerKey(claim, p.bound, p.scope),
        set: { bound: p.bound, scope: p.scope, limitHundredths: limit, lastDecidedAt: decision.decidedAt } satisfies Item,
        add: { approvedHundredths: hours, claimIds: new Set([claim.claimId]) },
        retainFrom: decidedAt,
        // The school year's maximum is set by its first posting and never changes after.
        condition: {
          expression: p.bound === 'SCHOOL_YEAR' ? `${held} AND (attribute_not_exists(#limit) OR #limit = :limit)` : held,
          names: { '#approved': 'approvedHundredths', ...(p.bound === 'SCHOOL_YEAR' ? { '#limit': 'limitHundredths' } : {}) },
          values: { ':read': read, ':threshold': limit - hours, ...(p.bound === 'SCHOOL_YEAR' ? { ':limit': limit } : {}) },
        },
      };
    });
    try {
      await this.repository.transact([
        {
          key: keyOf(claim.claimId),
          set: { status: 'DECIDED', decision },
          retainFrom: decidedAt,
          condition: { expression: '#status = :received', names: { '#status': 'status' }, values: { ':received': 'RECEIVED' } },
        },
        ...postings,
      ]);
      return 'DECIDED';
    } catch (error) {
      if (!(error instanceof TransactionCancelledError)) throw error;
      return error.reasons[0] === 'ConditionalCheckFailed' ? 'ALREADY_DECIDED' : 'LEDGER_MOVED';
    }
  }
}
