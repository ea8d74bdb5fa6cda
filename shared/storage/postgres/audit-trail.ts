import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { InvalidCursorError } from '../../domain/pagination.js';
import type { Pseudonymiser } from '../../privacy/pseudonymiser.js';
import {
  AUDIT_TRAIL_PURPOSE,
  type AuditDayItem,
  type AuditDayPage,
  type AuditInvestigation,
  checkDayReading,
  dayCursorScopes,
  isAnonymousRefusal,
  minuteOf,
  refusalIdentity,
  UNAUTHENTICATED_PURPOSE,
  type AccessLog,
  type AccessLogPage,
  type AccessRecord,
  type AuditEntry,
  type AuditSink,
  type DisclosedSubject,
  type DisclosureEntry,
  distinctSubjects,
  openCursor,
  retentionPurposeOf,
  sealCursor,
} from '../audit-records.js';
import type { Clock } from '../retention-repository.js';
import { settings } from '../../config/env.js';
import type { RetentionOverrides } from '../../purposes/retention.js';
import { expiryOf, purgeExpiredRows } from './retention.js';

/** Rows per INSERT of a list's disclosures (13 parameters each, far under PostgreSQL's 65 535). */
export const DISCLOSURE_BATCH = 500;

const INSERT_COLUMNS = [
  'at',
  'purpose',
  'deliberation',
  'request_id',
  'actor_role',
  'actor_organisation',
  'outcome',
  'status',
  'code',
  'subject_hash',
  'sources',
  'listed',
  'expires_at',
  'route',
] as const;

type InsertRow = readonly [
  Date,
  string,
  string,
  string,
  string,
  string | null,
  string,
  number | null,
  string | null,
  string | null,
  string[] | null,
  boolean,
  Date,
  string | null,
];

interface AccessRow {
  id: string;
  at: Date;
  purpose: string;
  deliberation: string;
  actor_role: string;
  actor_organisation: string | null;
  outcome: AccessRecord['outcome'];
  listed: boolean;
}

/** A page's position: the last row's instant (ms, as written) and id. */
const POSITION = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(\d{1,19})$/;

/** A day reading's position: the last item's instant, its kind (0 a record, 1 a refusal aggregate, which sorts after the records of its instant) and id. */
const DAY_POSITION = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([01])\|(\d{1,19})$/;

interface DayRow {
  kind: 0 | 1;
  id: string;
  at: Date;
  purpose: string;
  deliberation: string;
  request_id: string | null;
  actor_role: string;
  actor_organisation: string | null;
  outcome: AccessRecord['outcome'];
  status: number | null;
  code: string | null;
  route: string | null;
  subject_hash: string | null;
  sources: string[] | null;
  listed: boolean;
  count: number | null;
  first_at: Date | null;
  last_at: Date | null;
  first_request_id: string | null;
  last_request_id: string | null;
}

const insertSql = (rows: number): string => {
  const width = INSERT_COLUMNS.length;
  const tuples = Array.from({ length: rows }, (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`);
  return `INSERT INTO bcss.audit_records (${INSERT_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`;
};

/**
 * The audit trail on PostgreSQL (`bcss.audit_records`), meaning what AuditTrail means on
 * DynamoDB: the subject only as its keyed hash, 10 years for records naming someone and 90
 * days for refusals naming no one (the same `expiresAt`), expired rows hidden from every
 * read. A list's disclosures go in one transaction: all recorded, or none and an error.
 */
export class PgAuditTrail implements AuditSink, AccessLog, AuditInvestigation {
  constructor(
    private readonly pool: pg.Pool,
    private readonly pseudonymiser: Pseudonymiser,
    private readonly clock: Clock = () => new Date(),
    private readonly env: RetentionOverrides = settings().retentionOverrides,
  ) {}

  async prepare(subjectNiss: string): Promise<void> {
    // Cached for the rest of the request (withHashScope): the record reuses it.
    await this.pseudonymiser.subject(subjectNiss);
  }

  async record(entry: AuditEntry): Promise<void> {
    const now = this.clock();
    if (isAnonymousRefusal(entry)) return this.countRefusal(entry, now);
    const subjectHash = entry.subjectHash ?? (entry.subjectNiss ? await this.pseudonymiser.subject(entry.subjectNiss) : undefined);
    const row = this.rowOf(entry, now, subjectHash ?? null, false, expiryOf(retentionPurposeOf(entry), now, this.env));
    await this.pool.query(insertSql(1), [...row]);
  }

  /** One row per distinct person, hashed first (a hash that fails writes nothing), inserted in batches inside one transaction. */
  async recordDisclosures(entry: DisclosureEntry, subjects: readonly DisclosedSubject[]): Promise<void> {
    const distinct = distinctSubjects(subjects);
    if (distinct.length === 0) return;
    const now = this.clock();
    const requestId = entry.requestId || randomUUID();
    const expiry = expiryOf(AUDIT_TRAIL_PURPOSE, now, this.env);
    const hashes = await Promise.all(distinct.map((s) => ('hash' in s ? s.hash : this.pseudonymiser.subject(s.niss))));
    const rows = hashes.map((hash) => this.rowOf({ ...entry, requestId }, now, hash, true, expiry));
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (let start = 0; start < rows.length; start += DISCLOSURE_BATCH) {
        const batch = rows.slice(start, start + DISCLOSURE_BATCH);
        await client.query(insertSql(batch.length), batch.flat());
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * The accesses to one person's data, newest first: the rows under the subject's hash with
   * every accepted key version (through the index on (subject_hash, at, id)). The cursor
   * carries the last row's (at, id), sealed to the subject.
   */
  async accessesTo(subjectNiss: string, { limit, cursor }: { limit: number; cursor?: string }): Promise<AccessLogPage> {
    const hashes = await this.pseudonymiser.subjectUnderEveryKey(subjectNiss);
    const after = cursor === undefined ? undefined : positionOf(openCursor(cursor, hashes));
    const params: unknown[] = [hashes, this.clock(), limit + 1];
    const before = after ? `AND (at, id) < ($4, $5)` : '';
    if (after) params.push(after.at, after.id);
    const { rows } = await this.pool.query<AccessRow>(
      `SELECT id, at, purpose, deliberation, actor_role, actor_organisation, outcome, listed
       FROM bcss.audit_records
       WHERE subject_hash = ANY($1::text[]) AND expires_at > $2 ${before}
       ORDER BY at DESC, id DESC
       LIMIT $3`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    // limit + 1 rows read: one more than the page means a next page.
    const next = rows.length > limit && last ? sealCursor(`${last.at.toISOString()}|${last.id}`, hashes[0]!) : undefined;
    return { items: page.map(toAccessRecord), ...(next ? { next } : {}) };
  }

  /**
   * A refusal before authentication: counted in its minute's row (one per purpose, route,
   * status, reason code and minute), created by the first. ON CONFLICT makes the count
   * atomic: concurrent refusals each add one. Kept 90 days from the latest it counts.
   */
  private async countRefusal(entry: AuditEntry, now: Date): Promise<void> {
    const { route, status, code } = refusalIdentity(entry);
    const requestId = entry.requestId || randomUUID();
    await this.pool.query(
      `INSERT INTO bcss.audit_refusals AS r
         (minute, purpose, deliberation, route, status, code, actor_role, outcome, count, first_at, last_at, first_request_id, last_request_id, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9, $10, $10, $11)
       ON CONFLICT (purpose, minute, route, status, code) DO UPDATE SET
         count = r.count + 1,
         first_at = LEAST(r.first_at, EXCLUDED.first_at),
         first_request_id = CASE WHEN EXCLUDED.first_at < r.first_at THEN EXCLUDED.first_request_id ELSE r.first_request_id END,
         last_at = GREATEST(r.last_at, EXCLUDED.last_at),
         last_request_id = CASE WHEN EXCLUDED.last_at >= r.last_at THEN EXCLUDED.last_request_id ELSE r.last_request_id END,
         expires_at = GREATEST(r.expires_at, EXCLUDED.expires_at)`,
      [
        new Date(minuteOf(now)),
        entry.purpose,
        entry.deliberation,
        route,
        status,
        code,
        entry.actorRole,
        entry.outcome,
        now,
        requestId,
        expiryOf(UNAUTHENTICATED_PURPOSE, now, this.env),
      ],
    );
  }

  /**
   * Every record of a purpose's day, oldest first, the refusal aggregates among them (at
   * their minute, after the records of that instant): the two tables read in one ordered
   * query, through (purpose, at, id) and the aggregates' unique index. The cursor is the
   * last item's (at, kind, id), sealed to the purpose and day.
   */
  async recordsOf(purpose: string, day: string, { limit, cursor }: { limit: number; cursor?: string }): Promise<AuditDayPage> {
    checkDayReading(purpose, day);
    const scopes = await dayCursorScopes(this.pseudonymiser, purpose, day);
    const after = cursor === undefined ? undefined : dayPositionOf(openCursor(cursor, scopes), day);
    const start = new Date(`${day}T00:00:00.000Z`);
    const end = new Date(start.getTime() + 86_400_000);
    const params: unknown[] = [purpose, start, end, this.clock(), limit + 1];
    const position = after ? 'WHERE (at, kind, id) > ($6::timestamptz, $7::int, $8::bigint)' : '';
    if (after) params.push(after.at, after.kind, after.id);
    const { rows } = await this.pool.query<DayRow>(
      `SELECT * FROM (
         SELECT 0 AS kind, id, at, purpose, deliberation, request_id, actor_role, actor_organisation, outcome, status, code, route,
                subject_hash, sources, listed, NULL::integer AS count, NULL::timestamptz AS first_at, NULL::timestamptz AS last_at,
                NULL::text AS first_request_id, NULL::text AS last_request_id
         FROM bcss.audit_records WHERE purpose = $1 AND at >= $2 AND at < $3 AND expires_at > $4
         UNION ALL
         SELECT 1, id, minute, purpose, deliberation, NULL, actor_role, NULL, outcome, status, code, route,
                NULL, NULL, false, count, first_at, last_at, first_request_id, last_request_id
         FROM bcss.audit_refusals WHERE purpose = $1 AND minute >= $2 AND minute < $3 AND expires_at > $4
       ) AS day ${position}
       ORDER BY at, kind, id
       LIMIT $5`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const next = rows.length > limit && last ? sealCursor(`${last.at.toISOString()}|${last.kind}|${last.id}`, scopes[0]!) : undefined;
    return { items: page.map(toDayItem), ...(next ? { next } : {}) };
  }

  /** Deletes the records and refusal aggregates past their retention at `now` (90 days or 10 years, as each was stamped). */
  async purgeExpired(now: Date = this.clock()): Promise<{ table: string; deleted: number }[]> {
    return [await purgeExpiredRows(this.pool, 'bcss.audit_records', now), await purgeExpiredRows(this.pool, 'bcss.audit_refusals', now)];
  }

  private rowOf(entry: AuditEntry, at: Date, subjectHash: string | null, listed: boolean, expiry: Date): InsertRow {
    return [
      at,
      entry.purpose,
      entry.deliberation,
      entry.requestId || randomUUID(),
      entry.actorRole,
      entry.actorOrganisation ?? null,
      entry.outcome,
      entry.status ?? null,
      entry.code ?? null,
      subjectHash,
      entry.sources ?? null,
      listed,
      expiry,
      entry.route ?? null,
    ];
  }
}

const positionOf = (position: string): { at: Date; id: string } => {
  const match = POSITION.exec(position);
  if (!match) throw new InvalidCursorError('the cursor is not one this access log gave');
  return { at: new Date(match[1]!), id: match[2]! };
};

const toAccessRecord = (row: AccessRow): AccessRecord => ({
  at: row.at.toISOString(),
  purpose: row.purpose,
  deliberation: row.deliberation,
  actorRole: row.actor_role,
  ...(row.actor_organisation ? { actorOrganisation: row.actor_organisation } : {}),
  outcome: row.outcome,
  ...(row.listed ? { listed: true } : {}),
});

const dayPositionOf = (position: string, day: string): { at: Date; kind: number; id: string } => {
  const match = DAY_POSITION.exec(position);
  if (!match || !match[1]!.startsWith(`${day}T`)) throw new InvalidCursorError('the cursor is not one this reading gave');
  return { at: new Date(match[1]!), kind: Number(match[2]), id: match[3]! };
};

const toDayItem = (row: DayRow): AuditDayItem =>
  row.kind === 1
    ? {
        kind: 'REFUSALS',
        at: row.at.toISOString(),
        purpose: row.purpose,
        deliberation: row.deliberation,
        actorRole: row.actor_role,
        outcome: row.outcome,
        route: row.route ?? '',
        status: row.status ?? 0,
        code: row.code ?? '',
        count: row.count ?? 0,
        firstAt: row.first_at!.toISOString(),
        lastAt: row.last_at!.toISOString(),
        sampleRequestIds: [...new Set([row.first_request_id!, row.last_request_id!])],
      }
    : {
        kind: 'RECORD',
        at: row.at.toISOString(),
        purpose: row.purpose,
        deliberation: row.deliberation,
        requestId: row.request_id ?? '',
        actorRole: row.actor_role,
        ...(row.actor_organisation ? { actorOrganisation: row.actor_organisation } : {}),
        outcome: row.outcome,
        ...(row.status !== null ? { status: row.status } : {}),
        ...(row.code ? { code: row.code } : {}),
        ...(row.route ? { route: row.route } : {}),
        ...(row.subject_hash ? { subjectHash: row.subject_hash } : {}),
        ...(row.sources ? { sources: row.sources } : {}),
        ...(row.listed ? { listed: true as const } : {}),
      };
