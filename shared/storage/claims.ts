import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fromHundredths, toHundredths } from '../domain/amounts.js';
import { quarterOf } from '../domain/calendar.js';
import type { AlreadyApproved, LedgerBound, LedgerPosting } from '../domain/training-leave/evaluate.js';
import type { Claim, ClaimRepository, DecideResult, StoredDecision } from '../domain/training-leave/ports.js';
import type { Pseudonymiser } from '../privacy/pseudonymiser.js';
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
 *   the keyed hash of the NISS (`WORKER#<key version>:<hex>`), never the NISS.
 * - After a key rotation a bound may have an item under an older key version: reads sum the
 *   bound's items under every accepted version, and a posting goes to the item of the
 *   earliest version that exists (the same choice whichever key is current), or is created
 *   under the current one. Nothing is rewritten.
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

/** Key versions in a stable order (v2 before v10), whichever is current. */
const byVersion = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** Where a bound's posting goes, and what the evaluation read there and elsewhere. */
interface ResolvedBound {
  key: { pk: string; sk: string };
  read: number;
  others: number;
}
const boundId = (bound: LedgerBound, scope: string) => `${bound}#${scope}`;

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
    private readonly pseudonymiser: Pseudonymiser,
    clock?: Clock,
  ) {
    this.repository = new RetentionRepository(doc, tableName, purpose, clock);
  }

  /** What approvedSoFar read for a claim, for its decide() (the same object, one evaluation). */
  private readonly resolved = new WeakMap<StoredClaim, Map<string, ResolvedBound>>();

  /**
   * A bound's ledger items under every accepted key version: approved hundredths summed,
   * and where its next posting goes. An item past its retention (not yet deleted by TTL or
   * the purge) is deleted here and counts as empty: otherwise its stale value would fail
   * every condition.
   */
  private async readBound(claim: StoredClaim, bound: LedgerBound, scope: string): Promise<{ items: (Item | undefined)[]; resolved: ResolvedBound }> {
    const hashes = await this.pseudonymiser.subjectUnderEveryKey(claim.workerNiss);
    const sk = ledgerSortKey(bound, scope, claim.employerEnterpriseNumber);
    const found = await Promise.all(
      hashes.map(async (hash) => {
        const key = { pk: `WORKER#${hash}`, sk };
        const got = await this.repository.getWithExpiry(key);
        if (got?.expired) await this.repository.deleteIfExpired(key);
        return { key, version: hash.slice(0, hash.indexOf(':')), item: got && !got.expired ? got.item : undefined };
      }),
    );
    const approved = (i: Item | undefined) => (i?.approvedHundredths as number | undefined) ?? 0;
    const existing = found.filter((f) => f.item).sort((a, b) => byVersion(a.version, b.version));
    const target = existing[0] ?? found[0]!;
    const total = found.reduce((sum, f) => sum + approved(f.item), 0);
    return { items: found.map((f) => f.item), resolved: { key: target.key, read: approved(target.item), others: total - approved(target.item) } };
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
    const resolved = new Map<string, ResolvedBound>();
    const bound = async (b: LedgerBound, scope: string) => {
      const read = await this.readBound(claim, b, scope);
      resolved.set(boundId(b, scope), read.resolved);
      return read;
    };
    const total = ({ resolved: r }: { resolved: ResolvedBound }) => fromHundredths(r.read + r.others);
    const [year, training, perQuarter] = await Promise.all([
      bound('SCHOOL_YEAR', claim.schoolYear),
      bound('TRAINING', claim.training.id),
      Promise.all(quarters.map(async (q) => [q, total(await bound('QUARTER', q))] as const)),
    ]);
    this.resolved.set(claim, resolved);
    // The school year's maximum, as its first approving decision set it (any version's item).
    const limit = year.items.map((i) => i?.limitHundredths as number | undefined).find((l) => l !== undefined);
    return {
      schoolYear: total(year),
      training: total(training),
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
    const resolved = this.resolved.get(claim) ?? new Map<string, ResolvedBound>();
    for (const p of decision.ledger) {
      if (!resolved.has(boundId(p.bound, p.scope))) resolved.set(boundId(p.bound, p.scope), (await this.readBound(claim, p.bound, p.scope)).resolved);
    }
    const postings: TransactUpdate[] = [];
    for (const p of decision.ledger as LedgerPosting[]) {
      const { key, read, others } = resolved.get(boundId(p.bound, p.scope))!;
      // What the evaluation read no longer holds (decide() without approvedSoFar, after a move).
      if (read + others !== toHundredths(p.alreadyApprovedHours)) return 'LEDGER_MOVED';
      const hours = toHundredths(p.hours);
      const limit = toHundredths(p.limitHours);
      if (hours <= 0 || read + others + hours > limit) throw new Error(`ledger posting outside its bound: ${p.bound} ${read + others} + ${hours} > ${limit}`);
      // Still what the evaluation read, and within the bound (DynamoDB refuses redundant parentheses).
      const held =
        read === 0 ? '(attribute_not_exists(#approved) OR (#approved = :read AND #approved <= :threshold))' : '(#approved = :read AND #approved <= :threshold)';
      postings.push({
        key,
        set: { bound: p.bound, scope: p.scope, limitHundredths: limit, lastDecidedAt: decision.decidedAt } satisfies Item,
        add: { approvedHundredths: hours, claimIds: new Set([claim.claimId]) },
        retainFrom: decidedAt,
        // The school year's maximum is set by its first posting and never changes after.
        condition: {
          expression: p.bound === 'SCHOOL_YEAR' ? `${held} AND (attribute_not_exists(#limit) OR #limit = :limit)` : held,
          names: { '#approved': 'approvedHundredths', ...(p.bound === 'SCHOOL_YEAR' ? { '#limit': 'limitHundredths' } : {}) },
          // Items of the same bound under other key versions count against it too.
          values: { ':read': read, ':threshold': limit - hours - others, ...(p.bound === 'SCHOOL_YEAR' ? { ':limit': limit } : {}) },
        },
      });
    }
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
