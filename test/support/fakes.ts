import type { AccessLog, AccessLogPage, AccessRecord, AuditEntry, AuditSink, DisclosedSubject, DisclosureEntry } from '../../shared/audit/audit-trail.js';
import { AUDIT_TRAIL_PURPOSE, distinctSubjects, openCursor, retentionPurposeOf, sealCursor } from '../../shared/storage/audit-records.js';
import { checkPremium } from '../../shared/purposes/catalogue.js';
import type { Purpose } from '../../shared/purposes/purpose.js';
import { expiresAt } from '../../shared/purposes/retention.js';
import type { PremiumCheckRepository, StoredPremiumCheck } from '../../shared/domain/premium-check/ports.js';
import { NOTHING_APPROVED } from '../../shared/domain/training-leave/evaluate.js';
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
} from '../../shared/domain/training-leave/ports.js';
import type { FieldCipher } from '../../shared/privacy/field-cipher.js';
import type { Pseudonymiser } from '../../shared/privacy/pseudonymiser.js';
import { inProcessCipher } from './cipher.js';
import { testPseudonymiser } from './pseudonymiser.js';

/**
 * In-memory implementations of the domain's ports, for handler tests in process. They
 * keep the contracts the DynamoDB adapters keep (create-if-absent, decide once, bounds
 * held by the ledger), so a handler behaves the same on them; the adapters themselves
 * are tested against DynamoDB Local.
 */
export class InMemoryClaims implements ClaimRepository {
  /** As the table holds them: the worker's subject hash and sealed NISS, never the NISS. */
  readonly claims = new Map<string, SealedClaim>();
  /** Approved hours per worker and bound key, as the ledger keeps them. */
  readonly ledger = new Map<string, number>();

  constructor(
    readonly cipher: FieldCipher = inProcessCipher(),
    private readonly pseudonymiser: Pseudonymiser = testPseudonymiser(),
  ) {}

  private context(claimId: string) {
    return { purpose: 'TRAINING_LEAVE_REIMBURSEMENT', field: 'workerNiss', itemId: claimId };
  }

  async create(claim: Claim) {
    const existing = this.claims.get(claim.claimId);
    if (existing) return { claim: structuredClone(existing), created: false };
    const { workerNiss, ...rest } = claim;
    const sealed: SealedClaim = {
      ...structuredClone(rest),
      workerSubject: await this.pseudonymiser.subject(workerNiss),
      workerNissSealed: await this.cipher.seal(workerNiss, this.context(claim.claimId)),
    };
    this.claims.set(claim.claimId, sealed);
    return { claim: structuredClone(sealed), created: true };
  }

  async get(claimId: string) {
    const claim = this.claims.get(claimId);
    return claim && structuredClone(claim);
  }

  async open(claim: SealedClaim): Promise<Claim> {
    const { workerSubject: _subject, workerNissSealed, ...rest } = claim;
    return { ...rest, workerNiss: await this.cipher.open(workerNissSealed, this.context(claim.claimId)) };
  }

  /** The ledger is keyed by the worker's subject hash, as the adapters key it: a release needs no NISS. */
  private key(claim: Pick<Claim, 'claimId' | 'employerEnterpriseNumber'>, bound: string, scope: string) {
    const worker = this.claims.get(claim.claimId)?.workerSubject;
    return `${worker}|${bound}|${scope}${bound === 'QUARTER' ? `|${claim.employerEnterpriseNumber}` : ''}`;
  }

  async approvedSoFar(claim: Claim) {
    const quarters = [...new Set(Object.keys(claim.hoursByMonth).map((m) => `${m.slice(0, 4)}-Q${Math.ceil(Number(m.slice(5)) / 3)}`))];
    return {
      ...NOTHING_APPROVED,
      schoolYear: this.ledger.get(this.key(claim, 'SCHOOL_YEAR', claim.schoolYear)) ?? 0,
      training: this.ledger.get(this.key(claim, 'TRAINING', claim.training.id)) ?? 0,
      quarters: Object.fromEntries(quarters.map((q) => [q, this.ledger.get(this.key(claim, 'QUARTER', q)) ?? 0])),
    };
  }

  async settle(claim: Claim, decision: StoredDecision, reason: string): Promise<DecideResult> {
    const stored = this.claims.get(claim.claimId);
    const previous = stored?.decision;
    if (stored?.status !== 'DECIDED' || previous?.final !== false) return 'ALREADY_DECIDED';
    const own = new Map(previous.ledger.map((p) => [this.key(claim, p.bound, p.scope), p.hours]));
    for (const p of decision.ledger) {
      const key = this.key(claim, p.bound, p.scope);
      if ((this.ledger.get(key) ?? 0) - (own.get(key) ?? 0) !== p.alreadyApprovedHours) return 'LEDGER_MOVED';
    }
    for (const [key, hours] of own) this.ledger.set(key, (this.ledger.get(key) ?? 0) - hours);
    for (const p of decision.ledger) this.ledger.set(this.key(claim, p.bound, p.scope), p.alreadyApprovedHours + p.hours);
    const changed = previous.outcome !== decision.outcome || previous.amount !== decision.amount;
    const correction = {
      at: decision.decidedAt,
      reason,
      previous: { outcome: previous.outcome, approvedHours: previous.approvedHours, amount: previous.amount, decidedAt: previous.decidedAt },
    };
    this.claims.set(claim.claimId, { ...stored, decision, ...(changed ? { corrections: [...(stored.corrections ?? []), correction] } : {}) });
    return 'DECIDED';
  }

  async withdraw(claim: SealedClaim, at: Date): Promise<WithdrawResult> {
    const stored = this.claims.get(claim.claimId)!;
    const provisional = stored.status === 'DECIDED' && stored.decision?.final === false;
    if (provisional)
      for (const p of stored.decision!.ledger)
        this.ledger.set(this.key(claim, p.bound, p.scope), (this.ledger.get(this.key(claim, p.bound, p.scope)) ?? 0) - p.hours);
    if (stored.status === 'RECEIVED') this.claims.set(claim.claimId, { ...stored, status: 'WITHDRAWN', withdrawnAt: at.toISOString() });
    if (provisional) {
      const { decision, ...rest } = stored;
      const previous = { outcome: decision!.outcome, approvedHours: decision!.approvedHours, amount: decision!.amount, decidedAt: decision!.decidedAt };
      const correction = { at: at.toISOString(), reason: 'Withdrawn by the employer before the decision was final.', previous };
      this.claims.set(claim.claimId, { ...rest, status: 'WITHDRAWN', withdrawnAt: at.toISOString(), corrections: [...(stored.corrections ?? []), correction] });
    }
    const now = structuredClone(this.claims.get(claim.claimId)!);
    return { outcome: now.status === 'WITHDRAWN' ? 'WITHDRAWN' : 'TOO_LATE', claim: now };
  }

  async dueForSettlement(today: string, limit: number) {
    return [...this.claims.values()]
      .filter((c) => c.status === 'DECIDED' && c.decision?.final === false && c.training.endDate < today)
      .slice(0, limit)
      .map((c) => c.claimId);
  }

  async waiting(before: Date, limit: number) {
    return [...this.claims.values()]
      .filter((c) => c.status === 'RECEIVED' && c.submittedAt < before.toISOString())
      .sort((a, b) => a.submittedAt.localeCompare(b.submittedAt))
      .slice(0, limit)
      .map((c) => c.claimId);
  }

  /** Newest first; the cursor is the position after the last item, as text. */
  async list(query: ClaimListQuery): Promise<ClaimPage> {
    const order = (c: SealedClaim) => `${c.submittedAt}#${c.claimId}`;
    const all = [...this.claims.values()]
      .filter(
        (c) =>
          (!query.employerEnterpriseNumber || c.employerEnterpriseNumber === query.employerEnterpriseNumber) &&
          (!query.status || c.status === query.status) &&
          (!query.schoolYear || c.schoolYear === query.schoolYear),
      )
      .sort((a, b) => order(b).localeCompare(order(a)));
    const start = query.cursor === undefined ? 0 : Number(query.cursor);
    if (!Number.isInteger(start) || start < 0) throw new InvalidCursorError('the cursor is not one this list gave');
    const items = all.slice(start, start + query.limit).map((c) => structuredClone(c));
    return { items, ...(start + query.limit < all.length ? { next: String(start + query.limit) } : {}) };
  }

  async decide(claim: Claim, decision: StoredDecision): Promise<DecideResult> {
    const stored = this.claims.get(claim.claimId);
    if (stored?.status !== 'RECEIVED') return 'ALREADY_DECIDED';
    for (const p of decision.ledger) {
      if ((this.ledger.get(this.key(claim, p.bound, p.scope)) ?? 0) !== p.alreadyApprovedHours) return 'LEDGER_MOVED';
    }
    for (const p of decision.ledger) this.ledger.set(this.key(claim, p.bound, p.scope), p.alreadyApprovedHours + p.hours);
    this.claims.set(claim.claimId, { ...stored, status: 'DECIDED', decision });
    return 'DECIDED';
  }
}

export class InMemoryQueue implements ClaimQueue {
  readonly sent: string[] = [];
  async enqueue(claimId: string) {
    this.sent.push(claimId);
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
export class InMemoryAudit implements AuditSink, AccessLog {
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
    const subjectHash = entry.subjectHash ?? (entry.subjectNiss ? await this.pseudonymiser.subject(entry.subjectNiss) : undefined);
    const now = this.clock();
    this.entries.push(entry);
    this.keep(entry, now, subjectHash, false, expiresAt(retentionPurposeOf(entry), now));
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
    this.rows.push({ seq: nextAuditSeq++, at, ...(subjectHash ? { subjectHash } : {}), record, expiresAt: expiry });
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
