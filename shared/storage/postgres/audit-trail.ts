import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { InvalidCursorError } from '../../domain/pagination.js';
import type { Pseudonymiser } from '../../privacy/pseudonymiser.js';
import {
  AUDIT_TRAIL_PURPOSE,
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
export class PgAuditTrail implements AuditSink, AccessLog {
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

  /** Deletes the records past their retention at `now` (90 days or 10 years, as each was stamped). */
  purgeExpired(now: Date = this.clock()): Promise<{ table: string; deleted: number }> {
    return purgeExpiredRows(this.pool, 'bcss.audit_records', now);
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
