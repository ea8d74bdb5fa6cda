import type { AccessLog, AccessLogPage, AccessRecord, AuditEntry, AuditSink, DisclosedSubject, DisclosureEntry } from '../../shared/audit/audit-trail.js';
import {
  AUDIT_TRAIL_PURPOSE,
  type AuditDayItem,
  type AuditDayPage,
  type AuditInvestigation,
  checkDayReading,
  dayCursorScopes,
  distinctSubjects,
  isAnonymousRefusal,
  minuteOf,
  openCursor,
  refusalIdentity,
  retentionPurposeOf,
  sealCursor,
  UNAUTHENTICATED_PURPOSE,
} from '../../shared/storage/audit-records.js';
import { checkPremium } from '../../shared/purposes/catalogue.js';
import type { Purpose } from '../../shared/purposes/purpose.js';
import { expiresAt } from '../../shared/purposes/retention.js';
import type { PremiumCheckRepository, StoredPremiumCheck } from '../../shared/domain/premium-check/ports.js';
import { fromHundredths, toHundredths } from '../../shared/domain/amounts.js';
import { quarterOf } from '../../shared/domain/calendar.js';
import { type LedgerBound, type LedgerPosting, provisionalUntil } from '../../shared/domain/training-leave/evaluate.js';
import {
  type Claim,
  type ClaimListQuery,
  type ClaimPage,
  type ClaimQueue,
  type ClaimRepository,
  type DecideResult,
  InvalidCursorError,
  type SealedClaim,
  type StoredDecision,
  type WithdrawResult,
  type ClaimWait,
  type WaitingQuery,
} from '../../shared/domain/training-leave/ports.js';
import type { FieldCipher } from '../../shared/privacy/field-cipher.js';
import type { Pseudonymiser } from '../../shared/privacy/pseudonymiser.js';
import { inProcessCipher } from './cipher.js';
import { testPseudonymiser } from './pseudonymiser.js';
import { openListCursor, sealListCursor } from '../../shared/storage/list-cursor.js';
import { openClaim } from '../../shared/storage/claim-common.js';

/**
 * In-memory implementations of the domain's ports, for handler tests in process. They
 * keep the contracts the adapters keep (create-if-absent, decide once, bounds held by the
 * ledger, its key versions, list order and cursors), so a handler behaves the same on them;
 * test/contract/claims.contract.ts holds the fake and the adapters (DynamoDB Local,
 * PostgreSQL) to one suite.
 */

/** One ledger row: hundredths approved against a bound, and the limit last posted (a school year's maximum). */
interface FakeLedgerRow {
  approved: number;
  limit?: number;
}

/** What two InMemoryClaims share when they stand for two containers over one table (e.g. on two key lists). */
export interface InMemoryClaimState {
  claims: Map<string, SealedClaim>;
  ledger: Map<string, FakeLedgerRow>;
}

const byVersion = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
const WITHDRAWAL_REASON = 'Withdrawn by the employer before the decision was final.';
const correctionOf = (previous: StoredDecision, at: string, reason: string) => ({
  at,
  reason,
  previous: { outcome: previous.outcome, approvedHours: previous.approvedHours, amount: previous.amount, decidedAt: previous.decidedAt },
});
const orderOf = (c: Pick<SealedClaim, 'submittedAt' | 'claimId'>) => `${c.submittedAt}#${c.claimId}`;
/** By code unit, as the adapters' indexes order their keys (not by locale). */
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class InMemoryClaims implements ClaimRepository {
  /** As the table holds them: the worker's subject hash and sealed NISS, never the NISS. */
  readonly claims: Map<string, SealedClaim>;
  /** Hundredths approved per ledger row, keyed by subject hash (with its key version), bound, scope and employer. */
  readonly ledger: Map<string, FakeLedgerRow>;

  constructor(
    readonly cipher: FieldCipher = inProcessCipher(),
    private readonly pseudonymiser: Pseudonymiser = testPseudonymiser(),
    shared: InMemoryClaimState = { claims: new Map(), ledger: new Map() },
  ) {
    this.claims = shared.claims;
    this.ledger = shared.ledger;
  }

  private context(claimId: string) {
    return { purpose: 'TRAINING_LEAVE_REIMBURSEMENT', field: 'workerNiss', itemId: claimId };
  }

  async create(claim: Claim) {
    const { workerNiss, ...rest } = claim;
    const sealed: SealedClaim = {
      ...structuredClone(rest),
      workerSubject: await this.pseudonymiser.subject(workerNiss),
      workerNissSealed: await this.cipher.seal(workerNiss, this.context(claim.claimId)),
    };
    // Checked after the sealing (no await between the check and the write): concurrent creates of one id make one claim.
    const existing = this.claims.get(claim.claimId);
    if (existing) return { claim: structuredClone(existing), created: false };
    this.claims.set(claim.claimId, sealed);
    return { claim: structuredClone(sealed), created: true };
  }

  async get(claimId: string) {
    const claim = this.claims.get(claimId);
    return claim && structuredClone(claim);
  }

  async open(claim: SealedClaim): Promise<Claim> {
    // As the stores do: the subject hash the claim keeps is remembered for the request.
    return openClaim(claim, { cipher: this.cipher, pseudonymiser: this.pseudonymiser }, 'TRAINING_LEAVE_REIMBURSEMENT');
  }

  private rowKey(hash: string, claim: Claim, bound: LedgerBound, scope: string) {
    return `${hash}|${bound}|${scope}|${bound === 'QUARTER' ? claim.employerEnterpriseNumber : ''}`;
  }

  /** A bound's rows under every accepted key version: the total, and the row its next posting goes to (the earliest existing version's, or the current one's). */
  private bound(hashes: readonly string[], claim: Claim, bound: LedgerBound, scope: string) {
    const rows = hashes.map((hash) => ({ hash, key: this.rowKey(hash, claim, bound, scope), row: this.ledger.get(this.rowKey(hash, claim, bound, scope)) }));
    const existing = rows.filter((r) => r.row).sort((a, b) => byVersion(a.hash.slice(0, a.hash.indexOf(':')), b.hash.slice(0, b.hash.indexOf(':'))));
    const target = existing[0] ?? rows[0]!;
    const total = rows.reduce((sum, r) => sum + (r.row?.approved ?? 0), 0);
    const limit = rows.map((r) => r.row?.limit).find((l) => l !== undefined);
    return { target, total, others: total - (target.row?.approved ?? 0), limit };
  }

  async approvedSoFar(claim: Claim) {
    const hashes = await this.pseudonymiser.subjectUnderEveryKey(claim.workerNiss);
    const quarters = [...new Set(Object.keys(claim.hoursByMonth).map(quarterOf))];
    const year = this.bound(hashes, claim, 'SCHOOL_YEAR', claim.schoolYear);
    return {
      schoolYear: fromHundredths(year.total),
      training: fromHundredths(this.bound(hashes, claim, 'TRAINING', claim.training.id).total),
      quarters: Object.fromEntries(quarters.map((q) => [q, fromHundredths(this.bound(hashes, claim, 'QUARTER', q).total)])),
      ...(year.limit !== undefined ? { schoolYearLimit: fromHundredths(year.limit) } : {}),
    };
  }

  /**
   * The ledger moves of a decision (new − previous hours per bound), checked against the
   * ledger as it is now (the fake is atomic: no await between this and `apply`):
   * LEDGER_MOVED when it no longer holds what the decision says it read, or when a school
   * year's posting names another maximum than the year has; an error past a bound.
   */
  private plan(hashes: readonly string[], claim: Claim, postingsNow: readonly LedgerPosting[], previous: readonly LedgerPosting[] = []) {
    const bounds = new Map<string, { bound: LedgerBound; scope: string; now?: LedgerPosting; before: number }>();
    for (const p of previous) bounds.set(`${p.bound}#${p.scope}`, { bound: p.bound, scope: p.scope, before: toHundredths(p.hours) });
    for (const p of postingsNow)
      bounds.set(`${p.bound}#${p.scope}`, { bound: p.bound, scope: p.scope, now: p, before: bounds.get(`${p.bound}#${p.scope}`)?.before ?? 0 });
    const moves: (() => void)[] = [];
    for (const { bound, scope, now, before } of bounds.values()) {
      const { target, total, others, limit: maximum } = this.bound(hashes, claim, bound, scope);
      const read = target.row?.approved ?? 0;
      const hours = now ? toHundredths(now.hours) : 0;
      const delta = now ? hours - before : -Math.min(before, read);
      const limit = now ? toHundredths(now.limitHours) : undefined;
      if (now) {
        if (total - before !== toHundredths(now.alreadyApprovedHours)) return 'LEDGER_MOVED' as const;
        if (hours <= 0 || total + delta > limit!) throw new Error(`ledger posting outside its bound: ${bound} ${total - before} + ${hours} > ${limit}`);
        if (bound === 'SCHOOL_YEAR' && maximum !== undefined && maximum !== limit) return 'LEDGER_MOVED' as const;
      }
      if (delta === 0) continue;
      const forgets = bound === 'SCHOOL_YEAR' && read + delta === 0 && others === 0;
      moves.push(() => {
        const row = this.ledger.get(target.key);
        const kept = forgets ? undefined : (limit ?? row?.limit);
        this.ledger.set(target.key, { approved: (row?.approved ?? 0) + delta, ...(kept !== undefined ? { limit: kept } : {}) });
      });
    }
    return () => {
      for (const move of moves) move();
    };
  }

  async decide(claim: Claim, decision: StoredDecision): Promise<DecideResult> {
    const hashes = await this.pseudonymiser.subjectUnderEveryKey(claim.workerNiss);
    const stored = this.claims.get(claim.claimId);
    if (stored?.status !== 'RECEIVED') return 'ALREADY_DECIDED';
    const apply = this.plan(hashes, claim, decision.ledger);
    if (apply === 'LEDGER_MOVED') return apply;
    apply();
    const { waitingFor: _waited, ...received } = stored;
    this.claims.set(claim.claimId, { ...received, status: 'DECIDED', decision: structuredClone(decision) });
    return 'DECIDED';
  }

  async settle(claim: Claim, decision: StoredDecision, reason: string): Promise<DecideResult> {
    const hashes = await this.pseudonymiser.subjectUnderEveryKey(claim.workerNiss);
    const stored = this.claims.get(claim.claimId);
    const previous = stored?.decision;
    // Settled once: the claim must still hold the provisional decision the caller read.
    if (stored?.status !== 'DECIDED' || previous?.final !== false || previous.decidedAt !== claim.decision?.decidedAt) return 'ALREADY_DECIDED';
    const apply = this.plan(hashes, claim, decision.ledger, previous.ledger);
    if (apply === 'LEDGER_MOVED') return apply;
    apply();
    const changed = previous.outcome !== decision.outcome || previous.amount !== decision.amount;
    const corrections = changed ? [...(stored.corrections ?? []), correctionOf(previous, decision.decidedAt, reason)] : stored.corrections;
    this.claims.set(claim.claimId, { ...stored, decision: structuredClone(decision), ...(corrections ? { corrections } : {}) });
    return 'DECIDED';
  }

  async withdraw(claim: SealedClaim, at: Date): Promise<WithdrawResult> {
    // The fake finds a provisional decision's ledger rows through the NISS; the adapters by the items the decision named.
    const opened = claim.status === 'DECIDED' ? await this.open(claim) : undefined;
    const hashes = opened ? await this.pseudonymiser.subjectUnderEveryKey(opened.workerNiss) : [];
    const stored = this.claims.get(claim.claimId)!;
    const provisional = stored.status === 'DECIDED' && stored.decision?.final === false ? stored.decision : undefined;
    if (stored.status === 'RECEIVED') {
      const { waitingFor: _waited, ...received } = stored;
      this.claims.set(claim.claimId, { ...received, status: 'WITHDRAWN', withdrawnAt: at.toISOString() });
    }
    if (provisional) {
      // The provisional decision's hours go back to the ledger (never below 0); the decision is kept as a correction.
      const release = this.plan(hashes, opened!, [], provisional.ledger);
      if (release !== 'LEDGER_MOVED') release();
      const { decision: _released, ...rest } = stored;
      const correction = correctionOf(provisional, at.toISOString(), WITHDRAWAL_REASON);
      this.claims.set(claim.claimId, { ...rest, status: 'WITHDRAWN', withdrawnAt: at.toISOString(), corrections: [...(stored.corrections ?? []), correction] });
    }
    const now = structuredClone(this.claims.get(claim.claimId)!);
    return { outcome: now.status === 'WITHDRAWN' ? 'WITHDRAWN' : 'TOO_LATE', claim: now };
  }

  /** As the adapters' index of claims to settle: by the day the decision stops being provisional, oldest first. */
  async dueForSettlement(today: string, limit: number) {
    const settleOn = (c: SealedClaim) => `${provisionalUntil(c)}#${c.claimId}`;
    return [...this.claims.values()]
      .filter((c) => c.status === 'DECIDED' && c.decision?.final === false && provisionalUntil(c) < today)
      .sort((a, b) => byCode(settleOn(a), settleOn(b)))
      .slice(0, limit)
      .map((c) => c.claimId);
  }

  async postpone(claimId: string, wait: ClaimWait) {
    const stored = this.claims.get(claimId);
    if (stored?.status !== 'RECEIVED') return false;
    this.claims.set(claimId, { ...stored, waitingFor: structuredClone(wait) });
    return true;
  }

  /** As the adapters' index reads it: never postponed by submission, oldest first; then per school year the postponed ones due (all once its figures are in force). */
  async waiting({ submittedBefore, now, figuresPublished }: WaitingQuery, limit: number) {
    const received = [...this.claims.values()].filter((c) => c.status === 'RECEIVED');
    const fresh = received.filter((c) => !c.waitingFor && c.submittedAt <= submittedBefore.toISOString()).sort((a, b) => byCode(orderOf(a), orderOf(b)));
    const postponedKey = (c: SealedClaim) => `${c.schoolYear}#${c.waitingFor!.nextAttemptAt}#${c.claimId}`;
    const postponed = received
      .filter((c) => c.waitingFor && ((figuresPublished?.(c.schoolYear) ?? false) || c.waitingFor.nextAttemptAt <= now.toISOString()))
      .sort((a, b) => byCode(postponedKey(a), postponedKey(b)));
    return [...fresh, ...postponed].slice(0, limit).map((c) => c.claimId);
  }

  /** Newest first; the cursor is the adapters' (the last claim's position, bound to its list: employer, status, school year). */
  async list(query: ClaimListQuery): Promise<ClaimPage> {
    const { employerEnterpriseNumber, status, schoolYear } = query;
    const list = { ...(employerEnterpriseNumber ? { employerEnterpriseNumber } : {}), ...(status ? { status } : {}), ...(schoolYear ? { schoolYear } : {}) };
    const after = query.cursor !== undefined ? openListCursor(query.cursor, list) : undefined;
    const all = [...this.claims.values()]
      .filter(
        (c) =>
          (!employerEnterpriseNumber || c.employerEnterpriseNumber === employerEnterpriseNumber) &&
          (!status || c.status === status) &&
          (!schoolYear || c.schoolYear === schoolYear) &&
          (after === undefined || byCode(orderOf(c), after) < 0),
      )
      .sort((a, b) => byCode(orderOf(b), orderOf(a)));
    const items = all.slice(0, query.limit).map((c) => structuredClone(c));
    const last = items.at(-1);
    return { items, ...(all.length > query.limit && last ? { next: sealListCursor(orderOf(last), list) } : {}) };
  }
}

export class InMemoryQueue implements ClaimQueue {
  readonly sent: string[] = [];
  async enqueue(claimId: string) {
    this.sent.push(claimId);
  }
  /** As the adapters: a batch queued whole (the sweeper's). */
  async enqueueAll(claimIds: readonly string[]) {
    this.sent.push(...claimIds);
  }
}

/**
 * Premium checks in memory, meaning what the stores mean: one id, one answer; a check past
 * its retention (from its `checkedAt`, as the stores compute it) is as absent: hidden, and
 * replaced by a new save; purgeExpired deletes it. `checks` may be shared by several fakes
 * (two clocks on one store).
 */
export class InMemoryPremiumChecks implements PremiumCheckRepository {
  readonly checks: Map<string, StoredPremiumCheck>;
  private readonly clock: () => Date;
  private readonly purpose: Pick<Purpose, 'retention'>;

  constructor({ clock = () => new Date(), purpose = checkPremium.purpose, checks = new Map() }: InMemoryPremiumChecksOptions = {}) {
    this.clock = clock;
    this.purpose = purpose;
    this.checks = checks;
  }

  private live(check: StoredPremiumCheck | undefined, now: Date): check is StoredPremiumCheck {
    return check !== undefined && expiresAt(this.purpose, new Date(check.checkedAt)) > now.getTime() / 1000;
  }

  async save(check: StoredPremiumCheck) {
    const stored = this.checks.get(check.checkId);
    if (this.live(stored, this.clock())) return { created: false, check: structuredClone(stored) };
    this.checks.set(check.checkId, structuredClone(check));
    return { created: true, check };
  }

  async purgeExpired(now: Date = this.clock()) {
    const expired = [...this.checks].filter(([, c]) => !this.live(c, now));
    for (const [id] of expired) this.checks.delete(id);
    return { table: 'in-memory premium checks', deleted: expired.length };
  }
}

export interface InMemoryPremiumChecksOptions {
  clock?: () => Date;
  purpose?: Pick<Purpose, 'retention'>;
  checks?: Map<string, StoredPremiumCheck>;
}

/** A record as the fake trail keeps it: by subject hash (as the tables do), with its expiry. */
export interface InMemoryAuditRow {
  seq: number;
  at: string;
  subjectHash?: string;
  record: AccessRecord;
  /** The row as an investigator's day reading gives it (a refusal aggregate: counted in place). */
  day: AuditDayItem;
  /** A refusal aggregate's identity (purpose, minute, route, status, code). */
  refusal?: string;
  expiresAt: number;
}

/**
 * The audit trail in memory, meaning what AuditTrail means: one entry per record, a list's
 * disclosures one per distinct person (with `listed`, as the access log shows them), all
 * or none; the access log found by subject hash under every accepted key, newest first,
 * with a cursor sealed to the subject; records hidden past their retention (10 years, 90
 * days for a refusal naming no one) and purged. `failRecords` / `failDisclosures` make the
 * trail unavailable. `rows` may be shared by several fakes (a key rotation: two pseudonymisers
 * on one trail); `entries` keeps what was recorded as given, for handler tests.
 */
export class InMemoryAudit implements AuditSink, AccessLog, AuditInvestigation {
  readonly entries: (AuditEntry & { listed?: true })[] = [];
  /** Calls of recordDisclosures, as the batch writer would receive them. */
  readonly disclosureCalls: number[] = [];
  failRecords = false;
  failDisclosures = false;
  readonly rows: InMemoryAuditRow[];
  private readonly pseudonymiser: Pseudonymiser;
  private readonly clock: () => Date;

  constructor({ pseudonymiser = testPseudonymiser(), clock = () => new Date(), rows = [] }: InMemoryAuditOptions = {}) {
    this.pseudonymiser = pseudonymiser;
    this.clock = clock;
    this.rows = rows;
  }

  async prepare(subjectNiss: string) {
    await this.pseudonymiser.subject(subjectNiss);
  }

  async record(entry: AuditEntry) {
    if (this.failRecords) throw new Error('audit table unavailable');
    // The instant first, as the adapters read it: concurrent records keep the order they were made in.
    const now = this.clock();
    const subjectHash = entry.subjectHash ?? (entry.subjectNiss ? await this.pseudonymiser.subject(entry.subjectNiss) : undefined);
    this.entries.push(entry);
    if (isAnonymousRefusal(entry)) return this.count(entry, now);
    this.keep(entry, now, subjectHash, false, expiresAt(retentionPurposeOf(entry), now));
  }

  /** One aggregate per purpose, route, status, reason and minute, counted, as the adapters keep them. */
  private count(entry: AuditEntry, now: Date) {
    const identity = refusalIdentity(entry);
    const minute = minuteOf(now);
    const refusal = JSON.stringify([entry.purpose, minute, identity.route, identity.status, identity.code]);
    const at = now.toISOString();
    const expiry = expiresAt(UNAUTHENTICATED_PURPOSE, now);
    const row = this.rows.find((r) => r.refusal === refusal);
    if (row?.day.kind === 'REFUSALS') {
      row.day.count++;
      if (at > row.day.lastAt) row.day = { ...row.day, lastAt: at, sampleRequestIds: [row.day.sampleRequestIds[0]!, entry.requestId] };
      row.expiresAt = Math.max(row.expiresAt, expiry);
      return;
    }
    const day: AuditDayItem = {
      kind: 'REFUSALS',
      at: minute,
      purpose: entry.purpose,
      deliberation: entry.deliberation,
      actorRole: entry.actorRole,
      outcome: entry.outcome,
      ...identity,
      count: 1,
      firstAt: at,
      lastAt: at,
      sampleRequestIds: [entry.requestId],
    };
    const record: AccessRecord = { at: minute, purpose: entry.purpose, deliberation: entry.deliberation, actorRole: entry.actorRole, outcome: entry.outcome };
    this.rows.push({ seq: nextAuditSeq++, at: minute, record, day, refusal, expiresAt: expiry });
  }

  /** A purpose's day, oldest first (by instant, a record before an aggregate of the same instant, then writing order), with a cursor sealed to purpose and day. */
  async recordsOf(purpose: string, day: string, { limit, cursor }: { limit: number; cursor?: string }): Promise<AuditDayPage> {
    checkDayReading(purpose, day);
    const scopes = await dayCursorScopes(this.pseudonymiser, purpose, day);
    const position = (r: InMemoryAuditRow) => `${r.at}|${r.refusal ? 1 : 0}|${String(r.seq).padStart(15, '0')}`;
    let after: string | undefined;
    if (cursor !== undefined) {
      after = openCursor(cursor, scopes);
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\|[01]\|\d{15}$/.test(after) || !after.startsWith(`${day}T`))
        throw new InvalidCursorError('the cursor is not one this reading gave');
    }
    const now = this.clock().getTime() / 1000;
    const ofDay = this.rows
      .filter((r) => r.day.purpose === purpose && r.at.startsWith(`${day}T`) && r.expiresAt > now && (after === undefined || position(r) > after))
      .sort((a, b) => position(a).localeCompare(position(b)));
    const page = ofDay.slice(0, limit);
    const last = page.at(-1);
    const next = ofDay.length > limit && last ? sealCursor(position(last), scopes[0]!) : undefined;
    return { items: page.map((r) => structuredClone(r.day)), ...(next ? { next } : {}) };
  }

  async recordDisclosures(entry: DisclosureEntry, subjects: readonly DisclosedSubject[]) {
    this.disclosureCalls.push(subjects.length);
    if (this.failDisclosures) throw new Error('audit table unavailable');
    const distinct = distinctSubjects(subjects);
    // Every hash first: one that fails records nobody.
    const hashes = await Promise.all(distinct.map((s) => ('hash' in s ? s.hash : this.pseudonymiser.subject(s.niss))));
    const now = this.clock();
    for (const [n, s] of distinct.entries()) {
      this.entries.push({ ...entry, ...('hash' in s ? { subjectHash: s.hash } : { subjectNiss: s.niss }), listed: true });
      this.keep(entry, now, hashes[n], true, expiresAt(AUDIT_TRAIL_PURPOSE, now));
    }
  }

  async accessesTo(subjectNiss: string, { limit, cursor }: { limit: number; cursor?: string }): Promise<AccessLogPage> {
    const hashes = await this.pseudonymiser.subjectUnderEveryKey(subjectNiss);
    const after = cursor === undefined ? undefined : positionIn(openCursor(cursor, hashes));
    const now = this.clock().getTime() / 1000;
    const mine = this.rows
      .filter((r) => r.subjectHash !== undefined && hashes.includes(r.subjectHash) && r.expiresAt > now && (after === undefined || newestFirst(r, after) > 0))
      .sort(newestFirst);
    const page = mine.slice(0, limit);
    const last = page.at(-1);
    const next = mine.length > limit && last ? sealCursor(`${last.at}|${last.seq}`, hashes[0]!) : undefined;
    return { items: page.map((r) => structuredClone(r.record)), ...(next ? { next } : {}) };
  }

  async purgeExpired(now: Date = this.clock()) {
    const before = this.rows.length;
    const live = this.rows.filter((r) => r.expiresAt > now.getTime() / 1000);
    this.rows.splice(0, this.rows.length, ...live);
    return { table: 'in-memory audit', deleted: before - live.length };
  }

  private keep(entry: AuditEntry | DisclosureEntry, now: Date, subjectHash: string | undefined, listed: boolean, expiry: number) {
    const at = now.toISOString();
    const record: AccessRecord = {
      at,
      purpose: entry.purpose,
      deliberation: entry.deliberation,
      actorRole: entry.actorRole,
      ...(entry.actorOrganisation ? { actorOrganisation: entry.actorOrganisation } : {}),
      outcome: entry.outcome,
      ...(listed ? { listed: true } : {}),
    };
    const full = entry as Partial<AuditEntry>;
    const day: AuditDayItem = {
      kind: 'RECORD',
      at,
      purpose: entry.purpose,
      deliberation: entry.deliberation,
      actorRole: entry.actorRole,
      ...(entry.actorOrganisation ? { actorOrganisation: entry.actorOrganisation } : {}),
      outcome: entry.outcome,
      requestId: entry.requestId,
      ...(full.status !== undefined ? { status: full.status } : {}),
      ...(full.code ? { code: full.code } : {}),
      ...(full.route ? { route: full.route } : {}),
      ...(subjectHash ? { subjectHash } : {}),
      ...(full.sources ? { sources: full.sources } : {}),
      ...(listed ? { listed: true } : {}),
    };
    this.rows.push({ seq: nextAuditSeq++, at, ...(subjectHash ? { subjectHash } : {}), record, day, expiresAt: expiry });
  }
}

/** Writing order, across every fake trail (the tables' identity column). */
let nextAuditSeq = 1;

/** Newest first: by time, then by writing order, as the tables order (at, id). */
const newestFirst = (a: Pick<InMemoryAuditRow, 'at' | 'seq'>, b: Pick<InMemoryAuditRow, 'at' | 'seq'>) => b.at.localeCompare(a.at) || b.seq - a.seq;

const positionIn = (position: string): Pick<InMemoryAuditRow, 'at' | 'seq'> => {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(\d{1,15})$/.exec(position);
  if (!match) throw new InvalidCursorError('the cursor is not one this access log gave');
  return { at: match[1]!, seq: Number(match[2]) };
};

export interface InMemoryAuditOptions {
  pseudonymiser?: Pseudonymiser;
  clock?: () => Date;
  rows?: InMemoryAuditRow[];
}
