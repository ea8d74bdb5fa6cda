import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { fromHundredths, toHundredths } from '../../domain/amounts.js';
import { quarterOf } from '../../domain/calendar.js';
import { type AlreadyApproved, type LedgerBound, type LedgerPosting, provisionalUntil } from '../../domain/training-leave/evaluate.js';
import {
  type Claim,
  ClaimBusyError,
  type ClaimListQuery,
  type ClaimPage,
  type ClaimRepository,
  type DecideResult,
  type SealedClaim,
  type StoredDecision,
  type WithdrawResult,
  type ClaimWait,
  type WaitingQuery,
} from '../../domain/training-leave/ports.js';
import type { FieldCipher } from '../../privacy/field-cipher.js';
import type { Pseudonymiser } from '../../privacy/pseudonymiser.js';
import type { Purpose } from '../../purposes/purpose.js';
import { expiresAt, RetentionError } from '../../purposes/retention.js';
import { byVersion, type ClaimPrivacy, correctionOf, nissContext, openClaim, warmUpSealing, versionOf, WITHDRAWAL_REASON } from '../claim-common.js';
import { listPosition, openListCursor, sealListCursor } from '../list-cursor.js';

/**
 * Training-leave claims and their ledger in PostgreSQL (the container runtime), meaning what
 * the DynamoDB ClaimStore means (shared/storage/claims.ts):
 *
 * - `bcss.claims`: one row per claim, created only if absent (its id derives from the
 *   submission). The worker is its subject hash and its NISS sealed for that claim.
 * - `bcss.ledger`: one row per worker (subject hash, with its key version), bound and scope
 *   (and employer, for a quarter), holding the hundredths of hours approved against it.
 * - Optimistic: `approvedSoFar` reads without locking; `decide`, `settle` and `withdraw`
 *   write in one transaction that holds only if the claim is still in the state it was read
 *   in (conditional UPDATE, rowCount checked) and every ledger row still holds what was read
 *   and stays within its bound. Otherwise it rolls back and answers ALREADY_DECIDED or
 *   LEDGER_MOVED, and the consumer evaluates again.
 * - Within the transaction the ledger rows it posts to or checks are serialised by
 *   transaction-scoped advisory locks (taken in one order), so a row that does not exist yet
 *   (nothing to lock with FOR UPDATE) is compared and created as atomically as one that does.
 *
 * Retention: as ClaimStore, each row's `expires_at` comes from the purpose (10 years from the
 * submission, renewed from the decision; a ledger row from its last posting). Reads hide
 * rows past it; a ledger row past it is deleted when read and counts as empty.
 */

const LIST_LIMIT = 100;
const PURGE_BATCH = 500;

/** One ledger row's key. */
interface LedgerKey {
  subject: string;
  bound: LedgerBound;
  scope: string;
  /** The claiming employer for a quarter, '' otherwise. */
  employer: string;
}

/** Where a bound's posting goes, and what the evaluation read there and under the other key versions. */
interface ResolvedBound {
  key: LedgerKey;
  read: number;
  others: number;
  elsewhere: { key: LedgerKey; read: number }[];
  /** The school year's maximum as stored (any version's row). */
  limit?: number;
}

/** One ledger row's move, as a decision, settlement or withdrawal writes it. */
interface LedgerChange {
  key: LedgerKey;
  /** What the row must still hold. */
  read: number;
  delta: number;
  /** When posting: the limit, and the most the row may hold after the move (the limit less the other versions' rows). */
  limit?: number;
  threshold?: number;
  /** A school year's posting: the row's maximum must be this limit, or none yet. */
  keepsMaximum: boolean;
  /** A release that empties the school year: its maximum is forgotten. */
  forgetsMaximum: boolean;
  postsClaim: boolean;
  /** Rows of the same bound under other key versions: they must still hold what was read. */
  elsewhere: { key: LedgerKey; read: number }[];
}

type Client = pg.PoolClient;

interface ClaimRow {
  claim_id: string;
  employer_enterprise_number: string;
  worker_subject: string;
  worker_niss_sealed: string;
  school_year: string;
  training: Claim['training'];
  hours_by_month: Record<string, number>;
  request_hash: string;
  status: Claim['status'];
  submitted_at: Date;
  decision: StoredDecision | null;
  corrections: Claim['corrections'] | null;
  withdrawn_at: Date | null;
  ledger_items: Record<string, string> | null;
  waiting_for: ClaimWait | null;
}

const CLAIM_COLUMNS =
  'claim_id, employer_enterprise_number, worker_subject, worker_niss_sealed, school_year, training, hours_by_month, request_hash, status, submitted_at, decision, corrections, withdrawn_at';
/** What a read gives back: the columns a claim is created with, the rows its decision named, and why it waits. */
const CLAIM_READ_COLUMNS = `${CLAIM_COLUMNS}, ledger_items, waiting_for`;

const toSealedClaim = (row: ClaimRow): SealedClaim => ({
  claimId: row.claim_id,
  status: row.status,
  submittedAt: row.submitted_at.toISOString(),
  requestHash: row.request_hash,
  employerEnterpriseNumber: row.employer_enterprise_number,
  workerSubject: row.worker_subject,
  workerNissSealed: row.worker_niss_sealed,
  schoolYear: row.school_year,
  training: row.training,
  hoursByMonth: row.hours_by_month,
  ...(row.decision ? { decision: row.decision } : {}),
  ...(row.withdrawn_at ? { withdrawnAt: row.withdrawn_at.toISOString() } : {}),
  ...(row.corrections ? { corrections: row.corrections } : {}),
  ...(row.ledger_items ? { ledgerItems: row.ledger_items } : {}),
  ...(row.waiting_for ? { waitingFor: row.waiting_for } : {}),
});

/** Whose ledger a change moves: the worker's NISS is needed only to find rows by their hashes. */
type LedgerOwner = Pick<Claim, 'claimId' | 'employerEnterpriseNumber'> & { workerNiss?: string };

const boundId = (bound: LedgerBound, scope: string) => `${bound}#${scope}`;
const boundOf = (resolved: Map<string, ResolvedBound>, id: string): ResolvedBound => {
  const bound = resolved.get(id);
  if (!bound) throw new Error(`ledger bound ${id} was not read`);
  return bound;
};
const employerOf = (bound: LedgerBound, claim: Pick<Claim, 'employerEnterpriseNumber'>) => (bound === 'QUARTER' ? claim.employerEnterpriseNumber : '');
const lockName = (key: LedgerKey) => `bcss.ledger|${key.subject}|${key.bound}|${key.scope}|${key.employer}`;

/** PostgreSQL's answers that mean "another transaction was in the way": the caller evaluates again. */
const CONTENTION = new Set(['40001', '40P01', '55P03']);
const isContention = (error: unknown) => typeof error === 'object' && error !== null && CONTENTION.has((error as { code?: string }).code ?? '');

/** 5 ms plus up to 10·2^attempt ms (at most 200 ms), jittered: the withdrawal's pause between tries. */
const backoff = (attempt: number) => sleep(5 + Math.random() * Math.min(200, 10 * 2 ** attempt));

export class PgClaimStore implements ClaimRepository {
  private readonly pseudonymiser: Pseudonymiser;
  private readonly cipher: FieldCipher;
  private readonly purposeId: string;

  /** What approvedSoFar read for a claim, for its decide() (the same object, one evaluation). */
  private readonly resolved = new WeakMap<LedgerOwner, Map<string, ResolvedBound>>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly purpose: Pick<Purpose, 'id' | 'retention'>,
    privacy: ClaimPrivacy,
    private readonly clock: () => Date = () => new Date(),
  ) {
    if (purpose.retention.kind === 'none') throw new RetentionError(`purpose ${purpose.id} may not store anything (${purpose.retention.source})`);
    this.pseudonymiser = privacy.pseudonymiser;
    this.cipher = privacy.cipher;
    this.purposeId = purpose.id;
  }

  /** The expiry of a row whose retention runs from `from` (the purpose's, as ClaimStore computes it). */
  private expiryFrom(from: string | Date): Date {
    return new Date(expiresAt(this.purpose, new Date(from)) * 1000);
  }

  // ---- claims -------------------------------------------------------------------------

  warmUp(): Promise<void> {
    return warmUpSealing({ cipher: this.cipher }, this.purposeId);
  }

  /**
   * Creates the claim unless one with this id exists; returns the stored one either way. The
   * NISS is sealed and hashed first: if the key service fails, nothing is written.
   */
  async create(claim: Claim): Promise<{ claim: SealedClaim; created: boolean }> {
    const { workerNiss, ...rest } = claim;
    const [workerSubject, workerNissSealed] = await Promise.all([
      this.pseudonymiser.subject(workerNiss),
      this.cipher.seal(workerNiss, nissContext(this.purposeId, claim.claimId)),
    ]);
    const sealed: SealedClaim = { ...rest, workerSubject, workerNissSealed };
    const { rowCount } = await this.pool.query(
      `INSERT INTO bcss.claims (${CLAIM_COLUMNS}, settle_on, expires_at, waiting_for, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (claim_id) DO NOTHING`,
      [
        claim.claimId,
        claim.employerEnterpriseNumber,
        workerSubject,
        workerNissSealed,
        claim.schoolYear,
        JSON.stringify(claim.training),
        JSON.stringify(claim.hoursByMonth),
        claim.requestHash,
        claim.status,
        claim.submittedAt,
        claim.decision ? JSON.stringify(claim.decision) : null,
        claim.corrections ? JSON.stringify(claim.corrections) : null,
        claim.withdrawnAt ?? null,
        claim.status === 'DECIDED' && claim.decision?.final === false ? provisionalUntil(claim) : null,
        this.expiryFrom(claim.submittedAt),
        claim.waitingFor ? JSON.stringify(claim.waitingFor) : null,
        claim.waitingFor?.nextAttemptAt ?? null,
      ],
    );
    if (rowCount === 1) return { claim: sealed, created: true };
    const existing = await this.get(claim.claimId);
    if (!existing) throw new Error(`claim ${claim.claimId} exists but cannot be read`);
    return { claim: existing, created: false };
  }

  async get(claimId: string): Promise<SealedClaim | undefined> {
    const { rows } = await this.pool.query<ClaimRow>(`SELECT ${CLAIM_READ_COLUMNS} FROM bcss.claims WHERE claim_id = $1 AND expires_at > $2`, [
      claimId,
      this.clock(),
    ]);
    return rows[0] && toSealedClaim(rows[0]);
  }

  async open(claim: SealedClaim): Promise<Claim> {
    return openClaim(claim, { cipher: this.cipher, pseudonymiser: this.pseudonymiser }, this.purposeId);
  }

  /**
   * Records why the claim waits and when it is due again (`next_attempt_at`), if it is still
   * RECEIVED; its retention is unchanged.
   */
  async postpone(claimId: string, wait: ClaimWait): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE bcss.claims SET waiting_for = $2, next_attempt_at = $3 WHERE claim_id = $1 AND status = 'RECEIVED' AND expires_at > $4`,
      [claimId, JSON.stringify(wait), wait.nextAttemptAt, this.clock()],
    );
    return rowCount === 1;
  }

  /**
   * The claims due for the sweeper (ClaimRepository.waiting), each read from a partial index:
   * the never-postponed ones by submission (`claims_waiting`), then per school year waited
   * for (`claims_postponed`) all of its claims once its figures are in force, else those
   * whose next attempt is due.
   */
  async waiting({ submittedBefore, now, figuresPublished }: WaitingQuery, limit: number): Promise<string[]> {
    const expiry = this.clock();
    const { rows } = await this.pool.query<{ claim_id: string }>(
      `SELECT claim_id FROM bcss.claims
       WHERE status = 'RECEIVED' AND next_attempt_at IS NULL AND submitted_at <= $1 AND expires_at > $2
       ORDER BY submitted_at, claim_id LIMIT $3`,
      [submittedBefore, expiry, limit],
    );
    const ids = rows.map((r) => r.claim_id);
    if (ids.length >= limit) return ids;
    const { rows: years } = await this.pool.query<{ school_year: string }>(
      `SELECT DISTINCT school_year FROM bcss.claims WHERE status = 'RECEIVED' AND next_attempt_at IS NOT NULL ORDER BY school_year`,
    );
    for (const { school_year: schoolYear } of years) {
      if (ids.length >= limit) break;
      const released = figuresPublished?.(schoolYear) ?? false;
      const { rows: due } = await this.pool.query<{ claim_id: string }>(
        `SELECT claim_id FROM bcss.claims
         WHERE status = 'RECEIVED' AND next_attempt_at IS NOT NULL AND school_year = $1 ${released ? '' : 'AND next_attempt_at <= $4'} AND expires_at > $2
         ORDER BY school_year, next_attempt_at, claim_id LIMIT $3`,
        [schoolYear, expiry, limit - ids.length, ...(released ? [] : [now])],
      );
      ids.push(...due.map((r) => r.claim_id));
    }
    return ids;
  }

  /** Ids of the provisionally decided claims whose training ended before `today` (ISO date), oldest first. */
  async dueForSettlement(today: string, limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ claim_id: string }>(
      `SELECT claim_id FROM bcss.claims
       WHERE settle_on IS NOT NULL AND settle_on < $1::date AND expires_at > $2
       ORDER BY settle_on, claim_id LIMIT $3`,
      [today, this.clock(), limit],
    );
    return rows.map((r) => r.claim_id);
  }

  /**
   * A page of claims, newest first: each filter a WHERE term that an index of migrations
   * 0002 and 0004 leads with (employer, status, school year, and their combinations), the
   * order the index's; one row more than asked tells whether a next page exists. The cursor
   * is ClaimStore's (list-cursor.ts): the last claim's position, bound to the list.
   */
  async list(query: ClaimListQuery): Promise<ClaimPage> {
    const { employerEnterpriseNumber, status, schoolYear } = query;
    const list = { ...(employerEnterpriseNumber ? { employerEnterpriseNumber } : {}), ...(status ? { status } : {}), ...(schoolYear ? { schoolYear } : {}) };
    const after = query.cursor !== undefined ? openListCursor(query.cursor, list) : undefined;
    const limit = Math.min(Math.max(1, query.limit), LIST_LIMIT);
    const where = ['expires_at > $1'];
    const values: unknown[] = [this.clock()];
    const param = (value: unknown) => `$${values.push(value)}`;
    if (employerEnterpriseNumber) where.push(`employer_enterprise_number = ${param(employerEnterpriseNumber)}`);
    if (status) where.push(`status = ${param(status)}`);
    if (schoolYear) where.push(`school_year = ${param(schoolYear)}`);
    if (after) {
      const at = after.indexOf('#');
      where.push(`(submitted_at, claim_id) < (${param(after.slice(0, at))}::timestamptz, ${param(after.slice(at + 1))})`);
    }
    const { rows } = await this.pool.query<ClaimRow>(
      `SELECT ${CLAIM_READ_COLUMNS} FROM bcss.claims WHERE ${where.join(' AND ')}
       ORDER BY submitted_at DESC, claim_id DESC LIMIT ${param(limit + 1)}`,
      values,
    );
    const items = rows.slice(0, limit).map(toSealedClaim);
    const last = items.at(-1);
    return { items, ...(rows.length > limit && last ? { next: sealListCursor(listPosition(last), list) } : {}) };
  }

  // ---- the ledger: reads --------------------------------------------------------------

  /**
   * The rows of these bounds under every accepted key version, and where each bound's next
   * posting goes (the earliest version's existing row, or the current version's). A row
   * past its retention is deleted in the same statement and counts as empty.
   */
  private async readBounds(claim: LedgerOwner, bounds: { bound: LedgerBound; scope: string }[]): Promise<Map<string, ResolvedBound>> {
    if (claim.workerNiss === undefined) throw new Error(`claim ${claim.claimId}: a ledger bound read by hash needs the worker's NISS`);
    const hashes = await this.pseudonymiser.subjectUnderEveryKey(claim.workerNiss);
    const { rows } = await this.pool.query<{
      subject: string;
      bound: LedgerBound;
      scope: string;
      approved_hundredths: number;
      limit_hundredths: number | null;
    }>(
      `WITH wanted AS (SELECT * FROM unnest($2::text[], $3::text[], $4::text[]) AS w(bound, scope, employer)),
       expired AS (
         DELETE FROM bcss.ledger l USING wanted w
         WHERE l.subject = ANY($1) AND (l.bound, l.scope, l.employer) = (w.bound, w.scope, w.employer) AND l.expires_at <= $5
       )
       SELECT l.subject, l.bound, l.scope, l.approved_hundredths, l.limit_hundredths FROM bcss.ledger l JOIN wanted w
         ON (l.bound, l.scope, l.employer) = (w.bound, w.scope, w.employer)
       WHERE l.subject = ANY($1) AND l.expires_at > $5`,
      [hashes, bounds.map((b) => b.bound), bounds.map((b) => b.scope), bounds.map((b) => employerOf(b.bound, claim)), this.clock()],
    );
    return new Map(bounds.map(({ bound, scope }) => [boundId(bound, scope), this.resolve(claim, hashes, bound, scope, rows)]));
  }

  /** One bound's rows under each version: the sum, and the row its next posting goes to. */
  private resolve(
    claim: LedgerOwner,
    hashes: string[],
    bound: LedgerBound,
    scope: string,
    rows: { subject: string; bound: LedgerBound; scope: string; approved_hundredths: number; limit_hundredths: number | null }[],
  ): ResolvedBound {
    const found = hashes.map((subject) => ({
      key: { subject, bound, scope, employer: employerOf(bound, claim) },
      row: rows.find((r) => r.subject === subject && r.bound === bound && r.scope === scope),
    }));
    const approved = (f: (typeof found)[number]) => f.row?.approved_hundredths ?? 0;
    const existing = found.filter((f) => f.row).sort((a, b) => byVersion(versionOf(a.key.subject), versionOf(b.key.subject)));
    const target = existing[0] ?? found[0];
    // The pseudonymiser refuses to exist without a key version, so `found` is never empty.
    if (!target) throw new Error('no subject-hash key version');
    const total = found.reduce((sum, f) => sum + approved(f), 0);
    const limit = found.map((f) => f.row?.limit_hundredths).find((l) => l !== null && l !== undefined);
    return {
      key: target.key,
      read: approved(target),
      others: total - approved(target),
      elsewhere: found.filter((f) => f !== target).map((f) => ({ key: f.key, read: approved(f) })),
      ...(limit !== undefined ? { limit } : {}),
    };
  }

  /** What earlier decisions took from each bound the claim touches. */
  async approvedSoFar(claim: Claim): Promise<AlreadyApproved> {
    const quarters = [...new Set(Object.keys(claim.hoursByMonth).map(quarterOf))];
    const bounds = [
      { bound: 'SCHOOL_YEAR' as const, scope: claim.schoolYear },
      { bound: 'TRAINING' as const, scope: claim.training.id },
      ...quarters.map((q) => ({ bound: 'QUARTER' as const, scope: q })),
    ];
    const resolved = await this.readBounds(claim, bounds);
    this.resolved.set(claim, resolved);
    const total = (bound: LedgerBound, scope: string) => {
      const r = boundOf(resolved, boundId(bound, scope));
      return fromHundredths(r.read + r.others);
    };
    const limit = resolved.get(boundId('SCHOOL_YEAR', claim.schoolYear))?.limit;
    return {
      schoolYear: total('SCHOOL_YEAR', claim.schoolYear),
      training: total('TRAINING', claim.training.id),
      quarters: Object.fromEntries(quarters.map((q) => [q, total('QUARTER', q)])),
      ...(limit !== undefined ? { schoolYearLimit: fromHundredths(limit) } : {}),
    };
  }

  /**
   * The ledger moves of a decision (per bound, new − previous hours of the claim), planned
   * from what the evaluation read. LEDGER_MOVED when what it saw (totals without the claim's
   * own postings) is not what the decision says it read.
   */
  private async ledgerChanges(
    claim: LedgerOwner,
    postingsNow: readonly LedgerPosting[],
    previous: readonly LedgerPosting[] = [],
  ): Promise<LedgerChange[] | 'LEDGER_MOVED'> {
    const bounds = new Map<string, { bound: LedgerBound; scope: string; now?: LedgerPosting; before: number }>();
    for (const p of previous) bounds.set(boundId(p.bound, p.scope), { bound: p.bound, scope: p.scope, before: toHundredths(p.hours) });
    for (const p of postingsNow) {
      const id = boundId(p.bound, p.scope);
      bounds.set(id, { bound: p.bound, scope: p.scope, now: p, before: bounds.get(id)?.before ?? 0 });
    }
    const resolved = this.resolved.get(claim) ?? new Map<string, ResolvedBound>();
    const unread = [...bounds].filter(([id]) => !resolved.has(id)).map(([, b]) => b);
    if (unread.length > 0) for (const [id, r] of await this.readBounds(claim, unread)) resolved.set(id, r);
    this.resolved.set(claim, resolved);
    const changes: LedgerChange[] = [];
    for (const [id, { bound, now, before }] of bounds) {
      const { key, read, others, elsewhere } = boundOf(resolved, id);
      const hours = now ? toHundredths(now.hours) : 0;
      // A release never takes a row below 0 (its posting may have expired with the row).
      const delta = now ? hours - before : -Math.min(before, read);
      if (now) {
        if (read + others - before !== toHundredths(now.alreadyApprovedHours)) return 'LEDGER_MOVED';
        if (hours <= 0 || read + others + delta > toHundredths(now.limitHours))
          throw new Error(`ledger posting outside its bound: ${bound} ${read + others - before} + ${hours} > ${toHundredths(now.limitHours)}`);
      }
      if (delta === 0) continue;
      const limit = now ? toHundredths(now.limitHours) : undefined;
      changes.push({
        key,
        read,
        delta,
        ...(limit !== undefined ? { limit, threshold: limit - others } : {}),
        keepsMaximum: bound === 'SCHOOL_YEAR' && limit !== undefined,
        // A school year emptied by a release forgets the maximum its first decision set: the next decision sets it anew.
        forgetsMaximum: bound === 'SCHOOL_YEAR' && read + delta === 0 && others === 0,
        postsClaim: hours > 0,
        elsewhere,
      });
    }
    return changes;
  }

  // ---- the ledger: writes (inside a transaction) -----------------------------------------

  /**
   * Serialises this transaction with every other one writing or checking these rows, in one
   * order (so two cannot wait on each other), until it ends. An advisory lock also covers a
   * row not created yet, which FOR UPDATE cannot.
   */
  private async lockRows(client: Client, changes: readonly LedgerChange[]): Promise<void> {
    const names = [...new Set(changes.flatMap((c) => [c.key, ...c.elsewhere.map((e) => e.key)]).map(lockName))].sort();
    for (const name of names) await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [name]);
  }

  /** The rows of the bound under other key versions still hold what was read (absent: 0). */
  private async othersUnchanged(client: Client, change: LedgerChange): Promise<boolean> {
    for (const { key, read } of change.elsewhere) {
      const { rows } = await client.query<{ approved_hundredths: number }>(
        'SELECT approved_hundredths FROM bcss.ledger WHERE subject = $1 AND bound = $2 AND scope = $3 AND employer = $4',
        [key.subject, key.bound, key.scope, key.employer],
      );
      if ((rows[0]?.approved_hundredths ?? 0) !== read) return false;
    }
    return true;
  }

  /**
   * Moves one row by `delta` if it still holds what was read and stays within its bound (and,
   * for a school year, keeps its maximum); creates it when it was read as absent. False when
   * it holds something else: the ledger moved.
   */
  private async post(client: Client, change: LedgerChange, claimId: string, at: string): Promise<boolean> {
    const { key } = change;
    const expiry = this.expiryFrom(at);
    const updated = await client.query(
      `UPDATE bcss.ledger SET
         approved_hundredths = approved_hundredths + $5,
         limit_hundredths = CASE WHEN $8 THEN NULL ELSE COALESCE($6::integer, limit_hundredths) END,
         claim_ids = CASE WHEN $10 AND NOT ($9 = ANY(claim_ids)) THEN array_append(claim_ids, $9) ELSE claim_ids END,
         last_decided_at = $11, expires_at = $12
       WHERE subject = $1 AND bound = $2 AND scope = $3 AND employer = $4
         AND approved_hundredths = $13
         AND ($7::integer IS NULL OR approved_hundredths + $5 <= $7)
         AND (NOT $14 OR limit_hundredths IS NULL OR limit_hundredths = $6)`,
      [
        key.subject,
        key.bound,
        key.scope,
        key.employer,
        change.delta,
        change.limit ?? null,
        change.threshold ?? null,
        change.forgetsMaximum,
        claimId,
        change.postsClaim,
        at,
        expiry,
        change.read,
        change.keepsMaximum,
      ],
    );
    if (updated.rowCount === 1) return true;
    // Read as absent (or empty): the row is created, unless another decision created it meanwhile.
    if (change.read !== 0 || change.delta < 0) return false;
    const inserted = await client.query(
      `INSERT INTO bcss.ledger (subject, bound, scope, employer, approved_hundredths, limit_hundredths, claim_ids, last_decided_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
      [
        key.subject,
        key.bound,
        key.scope,
        key.employer,
        change.delta,
        change.forgetsMaximum ? null : (change.limit ?? null),
        change.postsClaim ? [claimId] : [],
        at,
        expiry,
      ],
    );
    return inserted.rowCount === 1;
  }

  /** Every change of a decision, after the rows are locked: true if all held what was read. */
  private async applyLedger(client: Client, changes: readonly LedgerChange[], claimId: string, at: string): Promise<boolean> {
    await this.lockRows(client, changes);
    for (const change of changes) {
      if (!(await this.othersUnchanged(client, change))) return false;
      if (!(await this.post(client, change, claimId, at))) return false;
    }
    return true;
  }

  /**
   * Runs `steps` in one transaction: committed when `commits(result)`, rolled back otherwise
   * (and on any error). A deadlock or serialisation failure is contention: LEDGER_MOVED.
   */
  private async transaction<T>(steps: (client: Client) => Promise<T>, commits: (result: T) => boolean, contended: T): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await steps(client);
      await client.query(commits(result) ? 'COMMIT' : 'ROLLBACK');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      if (isContention(error)) return contended;
      throw error;
    } finally {
      client.release();
    }
  }

  /** The claim's update (its own condition first: a claim decided meanwhile is ALREADY_DECIDED), then the ledger's. */
  private commit(changes: readonly LedgerChange[], claimId: string, at: string, updateClaim: (client: Client) => Promise<boolean>): Promise<DecideResult> {
    return this.transaction<DecideResult>(
      async (client) => {
        if (!(await updateClaim(client))) return 'ALREADY_DECIDED';
        return (await this.applyLedger(client, changes, claimId, at)) ? 'DECIDED' : 'LEDGER_MOVED';
      },
      (result) => result === 'DECIDED',
      'LEDGER_MOVED',
    );
  }

  // ---- decisions ------------------------------------------------------------------------

  /** Records the decision with its ledger postings, all or nothing, if the claim is still RECEIVED. */
  /** Per bound of the decision, the subject of the row it posts to (read by ledgerChanges). */
  private ledgerItemsOf(claim: LedgerOwner, decision: StoredDecision): Record<string, string> {
    const resolved = this.resolved.get(claim) ?? new Map<string, ResolvedBound>();
    return Object.fromEntries(decision.ledger.map((p) => [boundId(p.bound, p.scope), boundOf(resolved, boundId(p.bound, p.scope)).key.subject]));
  }

  /**
   * Whose rows a withdrawal releases, without opening the NISS when it can: the decision named
   * the rows it posted to (`ledger_items`), read here by key. A decision recorded before it
   * named them is released through the worker's NISS (its hashes under every key), never answered.
   */
  private async releaseOwner(claim: SealedClaim, decision: StoredDecision): Promise<LedgerOwner> {
    const items = claim.ledgerItems ?? {};
    if (!decision.ledger.every((p) => items[boundId(p.bound, p.scope)])) return this.open(claim);
    const owner: LedgerOwner = { claimId: claim.claimId, employerEnterpriseNumber: claim.employerEnterpriseNumber };
    const keys = decision.ledger.map((p) => ({
      subject: items[boundId(p.bound, p.scope)]!,
      bound: p.bound,
      scope: p.scope,
      employer: employerOf(p.bound, claim),
    }));
    const { rows } = await this.pool.query<{ subject: string; bound: LedgerBound; scope: string; approved_hundredths: number }>(
      `SELECT l.subject, l.bound, l.scope, l.approved_hundredths FROM bcss.ledger l
       JOIN unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS w(subject, bound, scope, employer)
         ON (l.subject, l.bound, l.scope, l.employer) = (w.subject, w.bound, w.scope, w.employer)
       WHERE l.expires_at > $5`,
      [keys.map((k) => k.subject), keys.map((k) => k.bound), keys.map((k) => k.scope), keys.map((k) => k.employer), this.clock()],
    );
    // A release moves only the row the decision posted to; it can never pass a bound.
    const read = (k: LedgerKey) => rows.find((r) => r.subject === k.subject && r.bound === k.bound && r.scope === k.scope)?.approved_hundredths ?? 0;
    this.resolved.set(owner, new Map(keys.map((key) => [boundId(key.bound, key.scope), { key, read: read(key), others: 0, elsewhere: [] }])));
    return owner;
  }

  async decide(claim: Claim, decision: StoredDecision): Promise<DecideResult> {
    const changes = await this.ledgerChanges(claim, decision.ledger);
    if (changes === 'LEDGER_MOVED') return 'LEDGER_MOVED';
    const items = this.ledgerItemsOf(claim, decision);
    return this.commit(changes, claim.claimId, decision.decidedAt, async (client) => {
      // A provisional decision is found again by its settlement day (the partial index of claims to settle).
      const { rowCount } = await client.query(
        `UPDATE bcss.claims SET status = 'DECIDED', decision = $2, settle_on = $3, expires_at = $4, ledger_items = $6,
           waiting_for = NULL, next_attempt_at = NULL
         WHERE claim_id = $1 AND status = 'RECEIVED' AND expires_at > $5`,
        [
          claim.claimId,
          JSON.stringify(decision),
          decision.final === false ? provisionalUntil(claim) : null,
          this.expiryFrom(decision.decidedAt),
          this.clock(),
          JSON.stringify(items),
        ],
      );
      return rowCount === 1;
    });
  }

  /**
   * Settles a provisional decision with the final one, once: the ledger moves by the
   * difference per bound, and when the outcome or amount changes the earlier decision is
   * appended to `corrections` with the reason.
   */
  async settle(claim: Claim, decision: StoredDecision, reason: string): Promise<DecideResult> {
    const previous = claim.decision;
    if (claim.status !== 'DECIDED' || !previous || previous.final !== false) return 'ALREADY_DECIDED';
    const changes = await this.ledgerChanges(claim, decision.ledger, previous.ledger);
    if (changes === 'LEDGER_MOVED') return 'LEDGER_MOVED';
    const changed = previous.outcome !== decision.outcome || previous.amount !== decision.amount;
    const correction = changed ? JSON.stringify([correctionOf(previous, decision.decidedAt, reason)]) : null;
    const items = JSON.stringify(this.ledgerItemsOf(claim, decision));
    return this.commit(changes, claim.claimId, decision.decidedAt, async (client) => {
      const { rowCount } = await client.query(
        `UPDATE bcss.claims SET decision = $2, settle_on = NULL, expires_at = $3, ledger_items = $7,
           corrections = CASE WHEN $4::jsonb IS NULL THEN corrections ELSE COALESCE(corrections, '[]'::jsonb) || $4::jsonb END
         WHERE claim_id = $1 AND ${STILL_PROVISIONAL}`,
        [claim.claimId, JSON.stringify(decision), this.expiryFrom(decision.decidedAt), correction, previous.decidedAt, this.clock(), items],
      );
      return rowCount === 1;
    });
  }

  // ---- withdrawal -----------------------------------------------------------------------

  /**
   * WITHDRAWN if still waiting, or decided provisionally (its ledger hours are released, the
   * decision kept as a correction), or already withdrawn; a claim decided finally (or
   * meanwhile) stays decided: TOO_LATE.
   */
  async withdraw(sealed: SealedClaim, at: Date, depth = 0): Promise<WithdrawResult> {
    if (sealed.status === 'WITHDRAWN') return { outcome: 'WITHDRAWN', claim: sealed };
    const provisional = sealed.status === 'DECIDED' && sealed.decision?.final === false ? sealed.decision : undefined;
    if (sealed.status === 'DECIDED' && !provisional) return { outcome: 'TOO_LATE', claim: sealed };
    // A provisional decision's hours go back to the rows it named; no NISS is opened for that.
    const owner = provisional ? await this.releaseOwner(sealed, provisional) : undefined;
    for (let attempt = 1; attempt <= 10; attempt++) {
      const attemptResult = await this.tryWithdraw(sealed, owner, at, provisional);
      if (attemptResult === 'CLAIM_MOVED') break;
      if (attemptResult !== 'LEDGER_MOVED') return { outcome: 'WITHDRAWN', claim: attemptResult };
      // Only the ledger moved (another decision of the worker): read it again, after a jittered pause.
      if (owner) this.resolved.delete(owner);
      await backoff(attempt);
    }
    return this.withdrawAgainstNow(sealed, at, depth);
  }

  /** One withdrawal transaction: the claim's conditional update, then the release of a provisional decision's hours. */
  private async tryWithdraw(
    claim: SealedClaim,
    owner: LedgerOwner | undefined,
    at: Date,
    provisional: StoredDecision | undefined,
  ): Promise<SealedClaim | 'CLAIM_MOVED' | 'LEDGER_MOVED'> {
    const changes = provisional && owner ? await this.ledgerChanges(owner, [], provisional.ledger) : [];
    if (changes === 'LEDGER_MOVED') return 'LEDGER_MOVED';
    const correction = provisional ? JSON.stringify([correctionOf(provisional, at.toISOString(), WITHDRAWAL_REASON)]) : null;
    const result = await this.transaction<ClaimRow | 'CLAIM_MOVED' | 'LEDGER_MOVED'>(
      async (client) => {
        const { rows } = await client.query<ClaimRow>(
          `UPDATE bcss.claims SET status = 'WITHDRAWN', withdrawn_at = $2, decision = NULL, settle_on = NULL, ledger_items = NULL, expires_at = $3,
             waiting_for = NULL, next_attempt_at = NULL,
             corrections = CASE WHEN $4::jsonb IS NULL THEN corrections ELSE COALESCE(corrections, '[]'::jsonb) || $4::jsonb END
           WHERE claim_id = $1 AND ${provisional ? STILL_PROVISIONAL : `status = 'RECEIVED' AND expires_at > $5`}
           RETURNING ${CLAIM_READ_COLUMNS}`,
          // Kept as long as the claim would have been: 10 years from its submission.
          [claim.claimId, at, this.expiryFrom(claim.submittedAt), correction, ...(provisional ? [provisional.decidedAt] : []), this.clock()],
        );
        const withdrawn = rows[0];
        if (!withdrawn) return 'CLAIM_MOVED';
        return (await this.applyLedger(client, changes, claim.claimId, at.toISOString())) ? withdrawn : 'LEDGER_MOVED';
      },
      (r) => typeof r === 'object',
      'LEDGER_MOVED',
    );
    return typeof result === 'object' ? toSealedClaim(result) : result;
  }

  /** After the claim moved (or the ledger kept moving): answers from what the claim is now, once more if it changed state. */
  private async withdrawAgainstNow(claim: SealedClaim, at: Date, depth: number): Promise<WithdrawResult> {
    const now = await this.get(claim.claimId);
    if (!now) throw new Error(`claim ${claim.claimId} vanished while being withdrawn`);
    if (now.status === 'WITHDRAWN') return { outcome: 'WITHDRAWN', claim: now };
    const stillOpen = now.status === 'RECEIVED' || (now.status === 'DECIDED' && now.decision?.final === false);
    if (stillOpen && depth === 0 && (now.status !== claim.status || now.decision?.decidedAt !== claim.decision?.decidedAt)) return this.withdraw(now, at, 1);
    if (stillOpen) throw new ClaimBusyError(`claim ${claim.claimId}: the ledger kept moving; try the withdrawal again`);
    return { outcome: 'TOO_LATE', claim: now };
  }

  // ---- retention ------------------------------------------------------------------------

  /** Deletes the rows past their retention, table by table, in batches (short transactions, no long lock). */
  async purgeExpired(now: Date = new Date()): Promise<{ table: string; deleted: number }[]> {
    const results: { table: string; deleted: number }[] = [];
    for (const table of ['bcss.claims', 'bcss.ledger']) {
      let deleted = 0;
      for (;;) {
        const { rowCount } = await this.pool.query(
          `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE expires_at <= $1 LIMIT ${PURGE_BATCH} FOR UPDATE SKIP LOCKED)`,
          [now],
        );
        deleted += rowCount ?? 0;
        if ((rowCount ?? 0) < PURGE_BATCH) break;
      }
      results.push({ table, deleted });
    }
    return results;
  }
}

/** The claim still holds this provisional decision ($5: its decidedAt) and is within retention ($6: now). */
const STILL_PROVISIONAL = `status = 'DECIDED' AND (decision->>'final')::boolean = false AND decision->>'decidedAt' = $5 AND expires_at > $6`;
