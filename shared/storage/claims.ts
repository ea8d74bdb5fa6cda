import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fromHundredths, toHundredths } from '../domain/amounts.js';
import { quarterOf } from '../domain/calendar.js';
import { type AlreadyApproved, type LedgerBound, type LedgerPosting, provisionalUntil } from '../domain/training-leave/evaluate.js';
import {
  CLAIM_STATUSES,
  type Claim,
  type ClaimListQuery,
  type ClaimPage,
  type ClaimRepository,
  type DecideResult,
  type SealedClaim,
  type StoredDecision,
  type WithdrawResult,
  ClaimBusyError,
  type ClaimWait,
  type WaitingQuery,
  type ClaimStatus,
} from '../domain/training-leave/ports.js';
import { settings } from '../config/env.js';
import type { FieldCipher } from '../privacy/field-cipher.js';
import type { Pseudonymiser } from '../privacy/pseudonymiser.js';
import type { Purpose } from '../purposes/purpose.js';
import {
  ConditionFailedError,
  RetentionRepository,
  TransactionCancelledError,
  type Clock,
  type Item,
  type TransactCheck,
  type TransactUpdate,
} from './retention-repository.js';
import { byVersion, type ClaimPrivacy, correctionOf, nissContext, openClaim, warmUpSealing, WITHDRAWAL_REASON } from './claim-common.js';
import { listPosition, openListCursor, sealListCursor } from './list-cursor.js';
import { queryMerged, shardedKey, shardKeys } from './sharded-index.js';

export type { ClaimPrivacy } from './claim-common.js';

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
 * - No NISS rests in clear: a claim item holds its worker's subject hash (`workerSubject`)
 *   and the NISS sealed for that claim (`workerNissSealed`, envelope encryption under KMS);
 *   `open` gives it back to the code that needs it.
 *
 * Retention: 10 years from the submission, renewed to 10 years from the decision; a ledger
 * item, 10 years from the last decision posted to it.
 */
export type { Claim as StoredClaim, ClaimStatus, DecideResult, StoredDecision } from '../domain/training-leave/ports.js';
type StoredClaim = Claim;

const keyOf = (claimId: string) => ({ pk: `CLAIM#${claimId}`, sk: 'CLAIM' });

/**
 * The list indexes (serverless.yml), all ordered by `listOrder` = `<submittedAt>#<claimId>`
 * and projecting the whole claim (a page is one read per partition, no item fetched after).
 * Every filter a list accepts (employer, status, school year, any combination) is a key
 * condition on one of them, never a FilterExpression: a page reads what it returns, plus
 * each partition's next item (sharded-index.ts), whatever the table holds.
 *
 * The DWSE lists, across employers, write-sharded (`#<shard>` = hash of the claim id, over
 * CLAIM_INDEX_SHARDS): one index per combination, since each is as hot as the claims it
 * lists (every submission of the year lands in `YEAR#<year>#RECEIVED`):
 * - `claimsByTime`: `listAll` = `CLAIMS#<shard>` (no filter);
 * - `claimsByStatus`: `listStatus` = `STATUS#<status>#<shard>`;
 * - `claimsByYear`: `listYear` = `YEAR#<schoolYear>#<shard>`;
 * - `claimsByYearStatus`: `listYearStatus` = `YEAR#<schoolYear>#<status>#<shard>`.
 * An employer's lists, not sharded (one employer's writes are far from a partition's
 * 1,000 a second, and only throttle that employer), carry the status in the partition: with
 * a status filter, one partition; without, the three statuses merged (3 partitions).
 * - `claimsByEmployer`: `listEmployer` = `EMPLOYER#<enterprise>#<status>`;
 * - `claimsByEmployerYear`: `listEmployerYear` = `EMPLOYER#<enterprise>#<schoolYear>#<status>`.
 * Six indexes for eight combinations: folding the status into a DWSE index instead (3 × N
 * partitions a page) would read 3 × N items more a page, more than a 20-claim page itself.
 * A status change (decision, withdrawal) rewrites the status-bearing keys in the same
 * update. Only claim items carry these keys (sparse); none holds a NISS.
 */
export const CLAIM_LIST_INDEXES = {
  byTime: 'claimsByTime',
  byStatus: 'claimsByStatus',
  byYear: 'claimsByYear',
  byYearStatus: 'claimsByYearStatus',
  byEmployer: 'claimsByEmployer',
  byEmployerYear: 'claimsByEmployerYear',
  waiting: 'claimsWaiting',
  toSettle: 'claimsToSettle',
} as const;
type Listed = Pick<StoredClaim, 'employerEnterpriseNumber' | 'submittedAt' | 'claimId' | 'schoolYear'>;
/** The list keys that change with the status (a decision or a withdrawal rewrites them). */
export const statusListAttributes = (claim: Listed, status: ClaimStatus, shards: number) => ({
  listStatus: shardedKey(`STATUS#${status}`, claim.claimId, shards),
  listYearStatus: shardedKey(`YEAR#${claim.schoolYear}#${status}`, claim.claimId, shards),
  listEmployer: `EMPLOYER#${claim.employerEnterpriseNumber}#${status}`,
  listEmployerYear: `EMPLOYER#${claim.employerEnterpriseNumber}#${claim.schoolYear}#${status}`,
});
/** Every list key of a claim in this status. */
export const listAttributes = (claim: Listed, status: ClaimStatus, shards: number) => ({
  listAll: shardedKey('CLAIMS', claim.claimId, shards),
  listYear: shardedKey(`YEAR#${claim.schoolYear}`, claim.claimId, shards),
  ...statusListAttributes(claim, status, shards),
  listOrder: listPosition(claim),
});
const LIST_ATTRIBUTES = ['listAll', 'listStatus', 'listYear', 'listYearStatus', 'listEmployer', 'listEmployerYear', 'listOrder'];

/** Which index, and which of its partitions, serve a list: a key condition for every filter. */
export const listPlan = (
  { employerEnterpriseNumber: employer, status, schoolYear: year }: Pick<ClaimListQuery, 'employerEnterpriseNumber' | 'status' | 'schoolYear'>,
  shards: number,
): { index: string; partitionAttribute: string; partitions: string[] } => {
  const statuses: readonly ClaimStatus[] = status ? [status] : CLAIM_STATUSES;
  if (employer && year)
    return {
      index: CLAIM_LIST_INDEXES.byEmployerYear,
      partitionAttribute: 'listEmployerYear',
      partitions: statuses.map((s) => `EMPLOYER#${employer}#${year}#${s}`),
    };
  if (employer)
    return { index: CLAIM_LIST_INDEXES.byEmployer, partitionAttribute: 'listEmployer', partitions: statuses.map((s) => `EMPLOYER#${employer}#${s}`) };
  if (year && status)
    return { index: CLAIM_LIST_INDEXES.byYearStatus, partitionAttribute: 'listYearStatus', partitions: shardKeys(`YEAR#${year}#${status}`, shards) };
  if (year) return { index: CLAIM_LIST_INDEXES.byYear, partitionAttribute: 'listYear', partitions: shardKeys(`YEAR#${year}`, shards) };
  if (status) return { index: CLAIM_LIST_INDEXES.byStatus, partitionAttribute: 'listStatus', partitions: shardKeys(`STATUS#${status}`, shards) };
  return { index: CLAIM_LIST_INDEXES.byTime, partitionAttribute: 'listAll', partitions: shardKeys('CLAIMS', shards) };
};

/** What one list page cost, for the capacity model: DynamoDB's ScannedCount summed over the page's queries, and the claims returned. */
export interface ListRead {
  index: string;
  partitions: number;
  queries: number;
  scanned: number;
  returned: number;
}

export interface ClaimStoreOptions {
  /** Shards of the write-sharded indexes (default: CLAIM_INDEX_SHARDS). */
  shards?: number;
  /** Told what each list page read (e.g. a metric, a log line). */
  onListRead?: (read: ListRead) => void;
}

/**
 * `claimsWaiting`: a claim is in it from its submission until it is decided or withdrawn
 * (both remove these attributes), so the sweeper reads only the claims still waiting. Its
 * sort key `waitingSince` says when the claim is due for the sweeper:
 * - `<submittedAt>#<claimId>` while it was never postponed: due once submitted
 *   `CLAIM_SWEEP_AFTER_SECONDS` ago (a message lost). Items written before postponement
 *   existed have this form, so they count as due, as before;
 * - `P#<schoolYear>#<nextAttemptAt>#<claimId>` once postponed (`postpone`): due at its next
 *   attempt, or at once when its school year's figures are in force. `P` sorts after every
 *   digit, so the two forms never mix in one range; the school year first lets the sweeper
 *   find the school years waited for by skipping from one to the next (one read each) and
 *   take a school year's claims in one range, all key conditions, no filter, no projection
 *   change.
 * The partition is write-sharded (`waiting = RECEIVED#<shard>`, like the lists): every
 * submission enters the index, so one constant partition would take Flanders' whole filing
 * peak; the sweeper's reads merge the shards in key order.
 */
const WAITING = ['waiting', 'waitingSince'];
/** What a decision or a withdrawal removes: the index's keys and the reason it waited. */
const LEAVES_WAITING = [...WAITING, 'waitingFor'];
const POSTPONED = 'P#';
/**
 * `claimsToSettle`: a provisionally decided claim, by its training's end date, until it is
 * settled or withdrawn; write-sharded (`PROVISIONAL#<shard>`), every decision of the year's
 * provisional ones would otherwise land in one partition.
 */
const PROVISIONAL = ['provisional', 'settleOn'];
export const provisionalAttributes = (claim: Pick<StoredClaim, 'training' | 'schoolYear' | 'claimId'>, shards: number) => ({
  provisional: shardedKey('PROVISIONAL', claim.claimId, shards),
  settleOn: `${provisionalUntil(claim)}#${claim.claimId}`,
});
const postponedKey = (schoolYear: string, nextAttemptAt: string, claimId: string) => `${POSTPONED}${schoolYear}#${nextAttemptAt}#${claimId}`;
export const waitingAttributes = (claim: Pick<StoredClaim, 'submittedAt' | 'claimId' | 'schoolYear' | 'waitingFor'>, shards: number) => ({
  waiting: shardedKey('RECEIVED', claim.claimId, shards),
  waitingSince: claim.waitingFor ? postponedKey(claim.schoolYear, claim.waitingFor.nextAttemptAt, claim.claimId) : `${claim.submittedAt}#${claim.claimId}`,
});
/** The claim still holds this provisional decision (settled or withdrawn once). */
const stillProvisional = (decision: StoredDecision) => ({
  expression: '#status = :decided AND #decision.#final = :provisional AND #decision.decidedAt = :at',
  names: { '#status': 'status', '#decision': 'decision', '#final': 'final' },
  values: { ':decided': 'DECIDED', ':provisional': false, ':at': decision.decidedAt },
});

/** 5 ms plus up to 10·2^attempt ms (at most 200 ms), uniformly jittered so that rivals of one ledger spread out. */
export const ledgerBackoff = (attempt: number) => sleep(5 + Math.random() * Math.min(200, 10 * 2 ** attempt));

const INTERNAL_ATTRIBUTES = ['pk', 'sk', 'expiresAt', ...LIST_ATTRIBUTES, ...WAITING, ...PROVISIONAL] as const;
const toClaim = (item: Item): SealedClaim => {
  const claim = { ...item };
  for (const attribute of INTERNAL_ATTRIBUTES) delete claim[attribute];
  return claim as unknown as SealedClaim;
};

/** Whose ledger a change moves: the worker's NISS is needed only to find items by their hashes. */
type LedgerOwner = Pick<StoredClaim, 'claimId' | 'employerEnterpriseNumber'> & { workerNiss?: string };
interface LedgerChange {
  postings: TransactUpdate[];
  checks: TransactCheck[];
  /** Per bound the change posts to, the item's partition key. */
  items: Record<string, string>;
}
const NO_LEDGER_CHANGE: LedgerChange = { postings: [], checks: [], items: {} };

/** Where a bound's posting goes, and what the evaluation read there and under the other key versions. */
interface ResolvedBound {
  key: { pk: string; sk: string };
  read: number;
  others: number;
  /** The bound's items under the other accepted key versions, and what each held (0: absent). */
  elsewhere: { key: { pk: string; sk: string }; read: number }[];
}
const boundId = (bound: LedgerBound, scope: string) => `${bound}#${scope}`;

/** The ledger item of one bound; the employer is part of a quarter's key (code-5 hours are declared per employer). */
const ledgerSortKey = (bound: LedgerBound, scope: string, employer: string) =>
  bound === 'QUARTER' ? `LEDGER#QUARTER#${scope}#${employer}` : `LEDGER#${bound}#${scope}`;

export class ClaimStore implements ClaimRepository {
  private readonly repository: RetentionRepository;
  private readonly pseudonymiser: Pseudonymiser;
  private readonly cipher: FieldCipher;
  private readonly purposeId: string;
  private readonly shards: number;
  private readonly onListRead: ((read: ListRead) => void) | undefined;

  /** `purpose` sets the retention (19/038: 10 years); the composition root passes it. */
  constructor(
    doc: DynamoDBDocumentClient,
    tableName: string,
    purpose: Pick<Purpose, 'id' | 'retention'>,
    privacy: ClaimPrivacy,
    clock?: Clock,
    options: ClaimStoreOptions = {},
  ) {
    this.repository = new RetentionRepository(doc, tableName, purpose, clock);
    this.pseudonymiser = privacy.pseudonymiser;
    this.cipher = privacy.cipher;
    this.purposeId = purpose.id;
    this.shards = options.shards ?? settings().claimIndexShards;
    this.onListRead = options.onListRead;
  }

  /** What approvedSoFar read for a claim, for its decide() (the same object, one evaluation). */
  private readonly resolved = new WeakMap<LedgerOwner, Map<string, ResolvedBound>>();

  /**
   * A bound's ledger items under every accepted key version: approved hundredths summed,
   * and where its next posting goes. An item past its retention (not yet deleted by TTL or
   * the purge) is deleted here and counts as empty: otherwise its stale value would fail
   * every condition.
   */
  private async readBound(claim: LedgerOwner, bound: LedgerBound, scope: string): Promise<{ items: (Item | undefined)[]; resolved: ResolvedBound }> {
    if (claim.workerNiss === undefined) throw new Error(`claim ${claim.claimId}: a ledger bound read by hash needs the worker's NISS`);
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
    return {
      items: found.map((f) => f.item),
      resolved: {
        key: target.key,
        read: approved(target.item),
        others: total - approved(target.item),
        elsewhere: found.filter((f) => f !== target).map((f) => ({ key: f.key, read: approved(f.item) })),
      },
    };
  }

  warmUp(): Promise<void> {
    return warmUpSealing({ cipher: this.cipher }, this.purposeId);
  }

  /**
   * Creates the claim unless one with this id exists; returns the stored one either way. The
   * NISS is sealed and hashed first: if the key service fails, nothing is written.
   */
  async create(claim: StoredClaim): Promise<{ claim: SealedClaim; created: boolean }> {
    const { workerNiss, ...rest } = claim;
    let workerSubject: string;
    let workerNissSealed: string;
    try {
      [workerSubject, workerNissSealed] = await Promise.all([
        this.pseudonymiser.subject(workerNiss),
        this.cipher.seal(workerNiss, nissContext(this.purposeId, claim.claimId)),
      ]);
    } catch (error) {
      // The key service down: a replay of a stored claim is still answered; a new claim is not written.
      const existing = await this.get(claim.claimId);
      if (existing) return { claim: existing, created: false };
      throw error;
    }
    const sealed: SealedClaim = { ...rest, workerSubject, workerNissSealed };
    try {
      await this.repository.put(
        {
          ...keyOf(claim.claimId),
          ...sealed,
          ...listAttributes(claim, claim.status, this.shards),
          ...(claim.status === 'RECEIVED' ? waitingAttributes(claim, this.shards) : {}),
          ...(claim.status === 'DECIDED' && claim.decision?.final === false ? provisionalAttributes(claim, this.shards) : {}),
        },
        { retainFrom: new Date(claim.submittedAt), condition: { expression: 'attribute_not_exists(pk)' } },
      );
      return { claim: sealed, created: true };
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      const existing = await this.get(claim.claimId);
      if (!existing) throw new Error(`claim ${claim.claimId} exists but cannot be read`);
      return { claim: existing, created: false };
    }
  }

  async get(claimId: string): Promise<SealedClaim | undefined> {
    const item = await this.repository.get(keyOf(claimId));
    return item ? toClaim(item) : undefined;
  }

  async open(claim: SealedClaim): Promise<StoredClaim> {
    return openClaim(claim, { cipher: this.cipher, pseudonymiser: this.pseudonymiser }, this.purposeId);
  }

  /**
   * WITHDRAWN if still waiting, or decided provisionally (its ledger hours are released), or
   * already withdrawn; a claim decided finally (or meanwhile) stays decided: TOO_LATE.
   */
  async withdraw(claim: SealedClaim, at: Date, depth = 0): Promise<WithdrawResult> {
    if (claim.status === 'WITHDRAWN') return { outcome: 'WITHDRAWN', claim };
    const provisional = claim.status === 'DECIDED' && claim.decision?.final === false ? claim.decision : undefined;
    if (claim.status === 'DECIDED' && !provisional) return { outcome: 'TOO_LATE', claim };
    // A withdrawn claim keeps no decision that a payment could act on: a provisional one is kept as a correction.
    const correction = provisional && correctionOf(provisional, at.toISOString(), WITHDRAWAL_REASON);
    const withdrawn = {
      status: 'WITHDRAWN',
      withdrawnAt: at.toISOString(),
      ...(correction ? { corrections: [...(claim.corrections ?? []), correction] } : {}),
    };
    for (let attempt = 1; attempt <= 10; attempt++) {
      // A provisional decision's postings go back to the ledger (moved by -hours, conditioned like any posting).
      const owner = provisional ? await this.releaseOwner(claim, provisional) : undefined;
      const ledger = owner && provisional ? await this.ledgerChanges(owner, at.toISOString(), [], provisional.ledger) : NO_LEDGER_CHANGE;
      if (ledger === 'LEDGER_MOVED') continue;
      try {
        await this.repository.transact(
          [
            {
              key: keyOf(claim.claimId),
              // Out of the lists of its former status, into the withdrawn ones, in this same write.
              set: { ...withdrawn, ...statusListAttributes(claim, 'WITHDRAWN', this.shards) },
              remove: [...LEAVES_WAITING, ...PROVISIONAL, ...(provisional ? ['decision', 'ledgerItems'] : [])],
              // Kept as long as the claim would have been: 10 years from its submission.
              retainFrom: new Date(claim.submittedAt),
              condition: provisional
                ? stillProvisional(provisional)
                : { expression: '#status = :received', names: { '#status': 'status' }, values: { ':received': 'RECEIVED' } },
            },
            ...ledger.postings,
          ],
          ledger.checks,
        );
        const { decision: _released, ledgerItems: _items, waitingFor: _waited, ...rest } = claim;
        const { waitingFor: _reason, ...received } = claim;
        return { outcome: 'WITHDRAWN', claim: { ...(provisional ? rest : received), ...withdrawn, status: 'WITHDRAWN' } as SealedClaim };
      } catch (error) {
        if (!(error instanceof TransactionCancelledError)) throw error;
        // The claim itself moved (decided, settled or withdrawn meanwhile): answer from what it is now.
        if (error.reasons[0] === 'ConditionalCheckFailed') break;
        // Only the ledger moved (another decision of the worker): read it again, after a jittered pause.
        if (owner) this.resolved.delete(owner);
        await ledgerBackoff(attempt);
      }
    }
    const now = await this.get(claim.claimId);
    if (!now) throw new Error(`claim ${claim.claimId} vanished while being withdrawn`);
    if (now.status === 'WITHDRAWN') return { outcome: 'WITHDRAWN', claim: now };
    const stillOpen = now.status === 'RECEIVED' || (now.status === 'DECIDED' && now.decision?.final === false);
    // Once more only if the claim itself changed (a decision came first); a ledger too busy answers "try again".
    if (stillOpen && depth === 0 && (now.status !== claim.status || now.decision?.decidedAt !== claim.decision?.decidedAt)) return this.withdraw(now, at, 1);
    if (stillOpen) throw new ClaimBusyError(`claim ${claim.claimId}: the ledger kept moving; try the withdrawal again`);
    return { outcome: 'TOO_LATE', claim: now };
  }

  /**
   * Whose ledger items a withdrawal releases, without opening the NISS when it can: the
   * decision named the items it posted to (`ledgerItems`), so they are read by key. A decision
   * recorded before it named them is released through the worker's NISS (its hashes under
   * every key), opened here and never answered.
   */
  private async releaseOwner(claim: SealedClaim, decision: StoredDecision): Promise<LedgerOwner> {
    const items = claim.ledgerItems ?? {};
    if (!decision.ledger.every((p) => items[boundId(p.bound, p.scope)])) return this.open(claim);
    const owner: LedgerOwner = { claimId: claim.claimId, employerEnterpriseNumber: claim.employerEnterpriseNumber };
    const resolved = new Map<string, ResolvedBound>();
    for (const p of decision.ledger) {
      const key = { pk: items[boundId(p.bound, p.scope)]!, sk: ledgerSortKey(p.bound, p.scope, claim.employerEnterpriseNumber) };
      const got = await this.repository.getWithExpiry(key);
      if (got?.expired) await this.repository.deleteIfExpired(key);
      const read = got && !got.expired ? ((got.item.approvedHundredths as number | undefined) ?? 0) : 0;
      // A release moves only the item the decision posted to; it can never pass a bound.
      resolved.set(boundId(p.bound, p.scope), { key, read, others: 0, elsewhere: [] });
    }
    this.resolved.set(owner, resolved);
    return owner;
  }

  /**
   * Records why the claim waits and when it is due again (its key in `claimsWaiting` moves to
   * `P#<schoolYear>#<nextAttemptAt>#<claimId>`), if it is still RECEIVED. Its retention is
   * unchanged (10 years from the submission).
   */
  async postpone(claimId: string, wait: ClaimWait): Promise<boolean> {
    const claim = await this.get(claimId);
    if (!claim || claim.status !== 'RECEIVED') return false;
    try {
      await this.repository.updateIf({
        key: keyOf(claimId),
        set: { waitingFor: wait, waitingSince: postponedKey(claim.schoolYear, wait.nextAttemptAt, claimId) },
        retainFrom: new Date(claim.submittedAt),
        condition: {
          expression: '#status = :received AND attribute_exists(#waiting)',
          names: { '#status': 'status', '#waiting': 'waiting' },
          values: { ':received': 'RECEIVED' },
        },
      });
      return true;
    } catch (error) {
      if (error instanceof ConditionFailedError) return false;
      throw error;
    }
  }

  /**
   * The claims due for the sweeper (ClaimRepository.waiting), every read a key condition on
   * `claimsWaiting`: the never-postponed ones submitted by `submittedBefore`; then each school
   * year waited for (found by skipping from one to the next), all of its claims if its figures
   * are in force, else those whose next attempt is due.
   */
  async waiting({ submittedBefore, now, figuresPublished }: WaitingQuery, limit: number): Promise<string[]> {
    // `#\uffff`: a claim submitted at that very instant is included (the key is <submittedAt>#<id>).
    const ids = (await this.waitingIn({ below: `${submittedBefore.toISOString()}#\uffff` }, limit)).map((e) => e.id);
    let after = POSTPONED;
    while (ids.length < limit) {
      // The next school year waited for: the first postponed key after the previous year's.
      const [first] = await this.waitingIn({ above: after, below: `${POSTPONED}\uffff` }, 1);
      if (!first) break;
      const schoolYear = first.sort.slice(POSTPONED.length).split('#')[0]!;
      const prefix = `${POSTPONED}${schoolYear}#`;
      const released = figuresPublished?.(schoolYear) ?? false;
      const due = await this.waitingIn({ above: prefix, below: released ? `${prefix}\uffff` : `${prefix}${now.toISOString()}#\uffff` }, limit - ids.length);
      ids.push(...due.map((e) => e.id));
      after = `${prefix}\uffff`;
    }
    return ids;
  }

  /** Ids of the provisionally decided claims whose training ended before `today` (ISO date), oldest first. */
  async dueForSettlement(today: string, limit: number): Promise<string[]> {
    const page = await queryMerged((input, n, start) => this.repository.queryChunk(input, n, start), {
      index: CLAIM_LIST_INDEXES.toSettle,
      partitionAttribute: 'provisional',
      partitions: shardKeys('PROVISIONAL', this.shards),
      sortAttribute: 'settleOn',
      order: 'ascending',
      below: today,
      limit,
    });
    return page.items.map((item) => item.claimId as string);
  }

  /** `claimsWaiting` entries (claim id and sort key) whose `waitingSince` is below `below` (and above `above`; both exclusive), in key order over every shard. */
  private async waitingIn({ above, below }: { above?: string; below: string }, limit: number): Promise<{ id: string; sort: string }[]> {
    if (limit <= 0) return [];
    const page = await queryMerged((input, n, start) => this.repository.queryChunk(input, n, start), {
      index: CLAIM_LIST_INDEXES.waiting,
      partitionAttribute: 'waiting',
      partitions: shardKeys('RECEIVED', this.shards),
      sortAttribute: 'waitingSince',
      order: 'ascending',
      ...(above !== undefined ? { above } : {}),
      below,
      limit,
    });
    return page.items.map((item) => ({ id: item.claimId as string, sort: item.waitingSince as string }));
  }

  /**
   * A page of claims, newest first: every filter is a key condition on the index that
   * serves it (listPlan), the partitions merged on `listOrder`. The cursor is the position
   * of the page's last claim, bound to the list (list-cursor.ts).
   */
  async list(query: ClaimListQuery): Promise<ClaimPage> {
    const { employerEnterpriseNumber, status, schoolYear, limit, cursor } = query;
    const list = { ...(employerEnterpriseNumber ? { employerEnterpriseNumber } : {}), ...(status ? { status } : {}), ...(schoolYear ? { schoolYear } : {}) };
    const below = cursor !== undefined ? openListCursor(cursor, list) : undefined;
    const plan = listPlan(query, this.shards);
    const page = await queryMerged((input, n, start) => this.repository.queryChunk(input, n, start), {
      ...plan,
      sortAttribute: 'listOrder',
      order: 'descending',
      ...(below !== undefined ? { below } : {}),
      limit: Math.max(1, limit),
    });
    this.onListRead?.({ index: plan.index, partitions: plan.partitions.length, queries: page.queries, scanned: page.scanned, returned: page.items.length });
    const items = page.items.map(toClaim);
    const last = items.at(-1);
    return { items, ...(page.more && last ? { next: sealListCursor(listPosition(last), list) } : {}) };
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
    const ledger = await this.ledgerChanges(claim, decision.decidedAt, decision.ledger);
    if (ledger === 'LEDGER_MOVED') return 'LEDGER_MOVED';
    return this.commit(
      {
        key: keyOf(claim.claimId),
        // A provisional decision enters the index of claims to settle, by the training's end.
        set: {
          status: 'DECIDED',
          decision,
          ledgerItems: ledger.items,
          ...statusListAttributes(claim, 'DECIDED', this.shards),
          ...(decision.final === false ? provisionalAttributes(claim, this.shards) : {}),
        },
        remove: LEAVES_WAITING,
        retainFrom: new Date(decision.decidedAt),
        condition: { expression: '#status = :received', names: { '#status': 'status' }, values: { ':received': 'RECEIVED' } },
      },
      ledger,
    );
  }

  /**
   * Settles a provisional decision with the final one: the ledger moves by the difference
   * per bound (more hours attended since, or fewer approved once the attendance share is
   * judged), and when the outcome or the amount changes the earlier decision is kept in
   * `corrections` with the reason. Conditional on the claim still holding that provisional
   * decision, so it is settled once.
   */
  async settle(claim: StoredClaim, decision: StoredDecision, reason: string): Promise<DecideResult> {
    const previous = claim.decision;
    if (claim.status !== 'DECIDED' || !previous || previous.final !== false) return 'ALREADY_DECIDED';
    const ledger = await this.ledgerChanges(claim, decision.decidedAt, decision.ledger, previous.ledger);
    if (ledger === 'LEDGER_MOVED') return 'LEDGER_MOVED';
    const changed = previous.outcome !== decision.outcome || previous.amount !== decision.amount;
    return this.commit(
      {
        key: keyOf(claim.claimId),
        set: {
          decision,
          ledgerItems: ledger.items,
          ...(changed ? { corrections: [...(claim.corrections ?? []), correctionOf(previous, decision.decidedAt, reason)] } : {}),
        },
        remove: PROVISIONAL,
        retainFrom: new Date(decision.decidedAt),
        condition: stillProvisional(previous),
      },
      ledger,
    );
  }

  private async commit(update: TransactUpdate, ledger: LedgerChange): Promise<DecideResult> {
    try {
      await this.repository.transact([update, ...ledger.postings], ledger.checks);
      return 'DECIDED';
    } catch (error) {
      if (!(error instanceof TransactionCancelledError)) throw error;
      return error.reasons[0] === 'ConditionalCheckFailed' ? 'ALREADY_DECIDED' : 'LEDGER_MOVED';
    }
  }

  /**
   * The ledger updates of a decision: per bound it touches (now or in `previous`, the
   * claim's own earlier postings), the item moves by new − previous hours. Each moved item
   * must still hold what the evaluation read and stay within its bound; the bound's items
   * under other key versions must still hold what was read. LEDGER_MOVED when what the
   * evaluation saw (totals without the claim's own postings) is no longer what is stored.
   */
  private async ledgerChanges(
    claim: LedgerOwner,
    decidedAt: string,
    postingsNow: readonly LedgerPosting[],
    previous: readonly LedgerPosting[] = [],
  ): Promise<LedgerChange | 'LEDGER_MOVED'> {
    const resolved = this.resolved.get(claim) ?? new Map<string, ResolvedBound>();
    const bounds = new Map<string, { bound: LedgerBound; scope: string; now?: LedgerPosting; before: number }>();
    for (const p of previous) bounds.set(boundId(p.bound, p.scope), { bound: p.bound, scope: p.scope, before: toHundredths(p.hours) });
    for (const p of postingsNow) {
      const id = boundId(p.bound, p.scope);
      bounds.set(id, { bound: p.bound, scope: p.scope, now: p, before: bounds.get(id)?.before ?? 0 });
    }
    for (const [id, b] of bounds) if (!resolved.has(id)) resolved.set(id, (await this.readBound(claim, b.bound, b.scope)).resolved);
    const postings: TransactUpdate[] = [];
    const checks: TransactCheck[] = [];
    for (const [id, { bound, scope, now, before }] of bounds) {
      const { key, read, others, elsewhere } = resolved.get(id)!;
      const hours = now ? toHundredths(now.hours) : 0;
      // A release never takes an item below 0 (its posting may have expired with the item).
      const delta = now ? hours - before : -Math.min(before, read);
      if (now) {
        // What the evaluation read (without this claim's own earlier postings) no longer holds.
        if (read + others - before !== toHundredths(now.alreadyApprovedHours)) return 'LEDGER_MOVED';
        if (hours <= 0 || read + others + delta > toHundredths(now.limitHours))
          throw new Error(`ledger posting outside its bound: ${bound} ${read + others - before} + ${hours} > ${toHundredths(now.limitHours)}`);
      }
      if (delta === 0) continue;
      // The bound's items under the other key versions count against it: they must still hold
      // what was read, or another decision (another container's key list) moved the bound.
      for (const other of elsewhere) {
        checks.push({
          key: other.key,
          check:
            other.read === 0
              ? { expression: 'attribute_not_exists(#approved) OR #approved = :zero', names: { '#approved': 'approvedHundredths' }, values: { ':zero': 0 } }
              : { expression: '#approved = :read', names: { '#approved': 'approvedHundredths' }, values: { ':read': other.read } },
        });
      }
      const limit = now ? toHundredths(now.limitHours) : undefined;
      // Still what the evaluation read, and within the bound (DynamoDB refuses redundant parentheses).
      const held =
        limit === undefined
          ? '#approved = :read'
          : read === 0
            ? '(attribute_not_exists(#approved) OR (#approved = :read AND #approved <= :threshold))'
            : '(#approved = :read AND #approved <= :threshold)';
      const schoolYear = bound === 'SCHOOL_YEAR' && limit !== undefined;
      // A school year emptied by a release forgets the maximum its first decision set: the next decision sets it anew.
      const emptiesSchoolYear = bound === 'SCHOOL_YEAR' && read + delta === 0 && others === 0;
      postings.push({
        key,
        ...(emptiesSchoolYear ? { remove: ['limitHundredths'] } : {}),
        set: { bound, scope, ...(limit !== undefined ? { limitHundredths: limit } : {}), lastDecidedAt: decidedAt } satisfies Item,
        add: { approvedHundredths: delta, ...(hours > 0 ? { claimIds: new Set([claim.claimId]) } : {}) },
        retainFrom: new Date(decidedAt),
        // The school year's maximum is set by its first posting and never changes after.
        condition: {
          expression: schoolYear ? `${held} AND (attribute_not_exists(#limit) OR #limit = :limit)` : held,
          names: { '#approved': 'approvedHundredths', ...(schoolYear ? { '#limit': 'limitHundredths' } : {}) },
          values: {
            ':read': read,
            // Items of the same bound under other key versions count against it too.
            ...(limit !== undefined ? { ':threshold': limit - delta - others } : {}),
            ...(schoolYear ? { ':limit': limit } : {}),
          },
        },
      });
    }
    // The item each bound of the decision posts to, so that a release can find it without the NISS.
    const items = Object.fromEntries(postingsNow.map((p) => [boundId(p.bound, p.scope), resolved.get(boundId(p.bound, p.scope))!.key.pk]));
    return { postings, checks, items };
  }
}
