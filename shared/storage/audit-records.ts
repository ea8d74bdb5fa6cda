import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidCursorError } from '../domain/pagination.js';
import type { Pseudonymiser } from '../privacy/pseudonymiser.js';
import type { Retention } from '../purposes/purpose.js';

/**
 * What an audit record is, whichever engine keeps it (DynamoDB: shared/audit/audit-trail.ts;
 * PostgreSQL: shared/storage/postgres/audit-trail.ts). It lives here, in the storage layer,
 * so that both adapters share one meaning; shared/audit/audit-trail.ts re-exports it.
 *
 * One record per authorised or refused access: when, who (role and organisation or
 * team, never a person's NISS), for which purpose, with what outcome, which sources were
 * read (queue consumers), and a keyed hash of the data subject (`<key version>:<hex>`) so
 * that a subject's accesses can be found again (by hashing their NISS under each accepted
 * key) without the trail holding the NISS in clear.
 */
export const AUDIT_RETENTION: Retention = {
  kind: 'period',
  years: 10,
  env: 'AUDIT_RETENTION_YEARS',
  from: 'the access',
  source:
    'not set by the deliberations; decided: 10 years, as long as the longest retention of the data it traces (19/038 §28). AUDIT_RETENTION_YEARS may only shorten it.',
};

/**
 * A refusal that names no subject (no token, a bad one, or a request refused before its
 * subject was bound) traces no access to anyone's data: only who asked, when and a code.
 * It is kept 90 days, long enough to see a token-stuffing pattern and answer a security
 * incident, not the 10 years of accesses to personal data.
 */
export const UNAUTHENTICATED_RETENTION: Retention = {
  kind: 'period',
  years: 0,
  days: 90,
  from: 'the refusal',
  source: 'not set by the deliberations; decided: 90 days for refusals before authentication (no subject, no organisation)',
};

/** The retention-bearing "purposes" of the trail's two kinds of record (RetentionRepository and expiresAt take a purpose). */
export const AUDIT_TRAIL_PURPOSE = { id: 'AUDIT_TRAIL', retention: AUDIT_RETENTION } as const;
export const UNAUTHENTICATED_PURPOSE = { id: 'AUDIT_TRAIL_UNAUTHENTICATED', retention: UNAUTHENTICATED_RETENTION } as const;

export interface AuditEntry {
  purpose: string;
  deliberation: string;
  requestId: string;
  actorRole: string;
  actorOrganisation?: string;
  outcome: 'ALLOWED' | 'DENIED' | 'FAILED';
  status?: number;
  code?: string;
  subjectNiss?: string;
  /** The subject's keyed hash, when the caller has it and not the NISS (a stored claim's worker). */
  subjectHash?: string;
  /** The sources read for this access (queue consumers, which read without a caller). */
  sources?: string[];
  /** The route asked (`GET /v1/…`), for HTTP accesses: what a refusal aggregate is counted by. */
  route?: string;
}

/**
 * An allowed access that disclosed data about people other than (or besides) its subject,
 * e.g. a page of claims: the request's fields, written once per person disclosed.
 */
export type DisclosureEntry = Omit<AuditEntry, 'outcome' | 'code' | 'subjectNiss' | 'subjectHash' | 'sources'> & { outcome: 'ALLOWED' };

/** A person an answer discloses: by NISS, or by the subject hash a stored resource keeps instead (a claim's worker). */
export type DisclosedSubject = { niss: string } | { hash: string };

/** The same person given twice (by the same NISS or the same hash) is one record. */
export const distinctSubjects = (subjects: readonly DisclosedSubject[]): DisclosedSubject[] => [
  ...new Map(subjects.map((s) => ['hash' in s ? `hash:${s.hash}` : `niss:${s.niss}`, s] as const)).values(),
];

/**
 * Which retention a record gets: a refusal that names no one (before authentication, or a
 * request refused before its subject was bound) traces no access to personal data and is
 * kept briefly; everything else as long as any access record.
 */
export const retentionPurposeOf = (entry: AuditEntry): typeof AUDIT_TRAIL_PURPOSE | typeof UNAUTHENTICATED_PURPOSE => {
  const namesSomeone = Boolean(entry.subjectNiss || entry.subjectHash);
  return !namesSomeone && (entry.actorRole === 'anonymous' || entry.outcome === 'DENIED') ? UNAUTHENTICATED_PURPOSE : AUDIT_TRAIL_PURPOSE;
};

/**
 * A refusal before any principal is known (no token, a bad one, the keys unreachable): it
 * names no one and no organisation, so it is not kept one record per request, which a flood
 * of 401s would turn into a flood of writes, but counted: one aggregate per purpose, route,
 * status, reason code and minute (`RefusalAggregate`). A refusal of a known principal (a 403)
 * stays one record each: an investigator needs who.
 */
export const isAnonymousRefusal = (entry: AuditEntry): boolean =>
  entry.actorRole === 'anonymous' && entry.outcome !== 'ALLOWED' && !entry.subjectNiss && !entry.subjectHash && !entry.actorOrganisation;

/** The minute an instant falls in, as the instant that starts it (`2026-03-02T09:15:00.000Z`). */
export const minuteOf = (at: Date): string => `${at.toISOString().slice(0, 16)}:00.000Z`;

/** What a refusal aggregate is counted by, besides its purpose and minute (absent fields as ''/0, so they can be a key). */
export const refusalIdentity = (entry: AuditEntry): { route: string; status: number; code: string } => ({
  route: entry.route ?? '',
  status: entry.status ?? 0,
  code: entry.code ?? '',
});

/** The request ids an aggregate keeps as a sample (the first and the last of each part), at most. */
export const REFUSAL_SAMPLE = 8;

/** Where audit records go: the trail in DynamoDB or PostgreSQL, or a fake in tests. */
export interface AuditSink {
  record(entry: AuditEntry): Promise<void>;
  /**
   * One record per distinct person in `subjects` (the same person twice is one record),
   * each with the entry's fields and that person's subject hash, so that each finds the
   * access in their own log. All or an error: the caller must not serve what was not recorded.
   */
  recordDisclosures(entry: DisclosureEntry, subjects: readonly DisclosedSubject[]): Promise<void>;
  /**
   * Makes ready what the record of an access to this subject needs (its subject hash),
   * before any source is read: if that fails, nothing is read that could not be traced.
   */
  prepare?(subjectNiss: string): Promise<void>;
  /**
   * Starts, without waiting, what the first record of `purpose` today needs (DynamoDB: the
   * day's shard-count item), at a function's initialisation; a failure is the first record's.
   */
  warmUp?(purpose: string): void;
}

/** One access to a person's data, as the person may see it: never who (a person) asked. */
export interface AccessRecord {
  at: string;
  purpose: string;
  deliberation: string;
  actorRole: string;
  actorOrganisation?: string;
  outcome: AuditEntry['outcome'];
  /** True when the citizen's data appeared in a list (a page of claims), absent for an access to it alone. */
  listed?: boolean;
}

export interface AccessLogPage {
  items: AccessRecord[];
  next?: string;
}

/**
 * A citizen's access log (GDPR art. 15): the accesses to one person's data, newest first,
 * found under the subject hash with every accepted key version. The cursor is opaque and
 * bound to the subject: one this log did not give that subject is an InvalidCursorError.
 */
export interface AccessLog {
  accessesTo(subjectNiss: string, page: { limit: number; cursor?: string }): Promise<AccessLogPage>;
}

/** One record of a purpose's day as an investigator reads it: who (role, organisation) but never a NISS. */
export interface AuditDayRecord {
  kind: 'RECORD';
  at: string;
  purpose: string;
  deliberation: string;
  requestId: string;
  actorRole: string;
  actorOrganisation?: string;
  outcome: AuditEntry['outcome'];
  status?: number;
  code?: string;
  route?: string;
  subjectHash?: string;
  sources?: string[];
  listed?: true;
}

/**
 * The refusals before authentication of one minute, route, status and reason: how many, the
 * first and last instant, and a sample of their request ids (to find them in the logs).
 * `at` is the minute's start, where the aggregate sorts.
 */
export interface RefusalAggregate {
  kind: 'REFUSALS';
  at: string;
  purpose: string;
  deliberation: string;
  actorRole: string;
  outcome: AuditEntry['outcome'];
  route: string;
  status: number;
  code: string;
  count: number;
  firstAt: string;
  lastAt: string;
  sampleRequestIds: string[];
}

export type AuditDayItem = AuditDayRecord | RefusalAggregate;

export interface AuditDayPage {
  items: AuditDayItem[];
  next?: string;
}

/**
 * An investigator's reading of the trail: every record of one purpose on one day (UTC), in
 * the order they were written (oldest first), refusals before authentication as their
 * aggregates, in pages. The cursor is opaque, sealed to the purpose and day under the
 * subject-hash key (`dayCursorScopes`): one this reading did not give is an InvalidCursorError.
 */
export interface AuditInvestigation {
  recordsOf(purpose: string, day: string, page: { limit: number; cursor?: string }): Promise<AuditDayPage>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PURPOSE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A purpose and day a reading may be asked for (a `#` would reach into another key). */
export const checkDayReading = (purpose: string, day: string): void => {
  if (!PURPOSE_ID.test(purpose) || !DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
    throw new RangeError('a reading is of one purpose id and one day (YYYY-MM-DD)');
};

/**
 * What a day reading's cursor is sealed to: a keyed digest of the purpose and day under
 * every accepted subject-hash key (KMS), the current first. Nobody without the key can make
 * a tag, so a cursor cannot be made up, edited or carried to another purpose or day; the
 * same sealing as the access log's (sealCursor/openCursor), with the digest for the hash.
 */
export const dayCursorScopes = (pseudonymiser: Pick<Pseudonymiser, 'digestUnderEveryKey'>, purpose: string, day: string): Promise<string[]> =>
  pseudonymiser.digestUnderEveryKey(`audit-day-cursor\u0000${purpose}\u0000${day}`);

/**
 * Cursors: `<tag><position, base64url>`, the tag 32 hex digits (so the cursor is base64url
 * as the contract declares, and the tag's end is known without a separator). The tag is a SHA-256 of the position and the
 * subject hash the log was read under (truncated to 128 bits). The citizen never sees their
 * subject hash, so a cursor cannot be made up, edited, or carried over from another
 * person's log; the hash goes last so that no extension of a known tag is a valid one.
 * Checked against every accepted key version: a rotation between two pages keeps the cursor.
 */
const CURSOR = /^([0-9a-f]{32})([A-Za-z0-9_-]{1,400})$/;

const tagOf = (position: string, subjectHash: string): Buffer =>
  createHash('sha256').update(`access-log-cursor\u0000${position}\u0000`).update(subjectHash).digest().subarray(0, 16);

export const sealCursor = (position: string, subjectHash: string): string =>
  `${tagOf(position, subjectHash).toString('hex')}${Buffer.from(position, 'utf8').toString('base64url')}`;

/** The position a cursor carries, once its tag matches one of the subject's hashes; else InvalidCursorError. */
export const openCursor = (cursor: string, subjectHashes: readonly string[]): string => {
  const match = CURSOR.exec(cursor);
  if (!match) throw new InvalidCursorError('the cursor is not one this access log gave');
  const tag = Buffer.from(match[1]!, 'hex');
  const position = Buffer.from(match[2]!, 'base64url').toString('utf8');
  if (!subjectHashes.some((hash) => timingSafeEqual(tag, tagOf(position, hash)))) throw new InvalidCursorError('the cursor is not one this access log gave');
  return position;
};
