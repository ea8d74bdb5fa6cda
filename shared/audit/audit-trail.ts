import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { InvalidCursorError } from '../domain/pagination.js';
import type { Pseudonymiser } from '../privacy/pseudonymiser.js';
import { settings } from '../config/env.js';
import type { Retention } from '../purposes/purpose.js';
import type { RetentionOverrides } from '../purposes/retention.js';
import { RetentionRepository, type Clock } from '../storage/retention-repository.js';

/**
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
}

/**
 * An allowed access that disclosed data about people other than (or besides) its subject,
 * e.g. a page of claims: the request's fields, written once per person disclosed.
 */
export type DisclosureEntry = Omit<AuditEntry, 'outcome' | 'code' | 'subjectNiss' | 'subjectHash' | 'sources'> & { outcome: 'ALLOWED' };

/** A person an answer discloses: by NISS, or by the subject hash a stored resource keeps instead (a claim's worker). */
export type DisclosedSubject = { niss: string } | { hash: string };
const subjectKey = (s: DisclosedSubject) => ('hash' in s ? `hash:${s.hash}` : `niss:${s.niss}`);

/** Where audit records go: the trail in DynamoDB, or a fake in tests. */
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

/**
 * Sort keys: `<at>#<request id>` for a request's own record, `<at>#<request id>#L<n>` for
 * the n-th person a list disclosed (unique per record; the `L` marks a list disclosure).
 * A cursor is one of them, and nothing else.
 */
const SORT_KEY = /^\d{4}-\d{2}-\d{2}T[^#]{1,40}#[^#]{1,100}(?:#L\d{1,6})?$/;
const LISTED_SORT_KEY = /#L\d{1,6}$/;

/** The audit table's index of records by subject hash (serverless.yml). */
export const AUDIT_BY_SUBJECT_INDEX = 'auditBySubject';

export class AuditTrail implements AuditSink {
  private readonly repository: RetentionRepository;
  private readonly unauthenticated: RetentionRepository;

  constructor(
    doc: DynamoDBDocumentClient,
    tableName: string,
    private readonly pseudonymiser: Pseudonymiser,
    private readonly clock: Clock = () => new Date(),
    env: RetentionOverrides = settings().retentionOverrides,
  ) {
    this.repository = new RetentionRepository(doc, tableName, { id: 'AUDIT_TRAIL', retention: AUDIT_RETENTION }, clock, env);
    this.unauthenticated = new RetentionRepository(doc, tableName, { id: 'AUDIT_TRAIL_UNAUTHENTICATED', retention: UNAUTHENTICATED_RETENTION }, clock, env);
  }

  /**
   * The accesses to one person's data, newest first: the records under the hash of the NISS
   * with every accepted key version (found through the index, never a scan), merged. The
   * cursor is the sort key of the last record returned.
   */
  async accessesTo(subjectNiss: string, { limit, cursor }: { limit: number; cursor?: string }): Promise<{ items: AccessRecord[]; next?: string }> {
    let before: string | undefined;
    if (cursor !== undefined) {
      before = Buffer.from(cursor, 'base64url').toString('utf8');
      if (!SORT_KEY.test(before)) throw new InvalidCursorError('the cursor is not one this access log gave');
    }
    const hashes = await this.pseudonymiser.subjectUnderEveryKey(subjectNiss);
    const pages = await Promise.all(
      hashes.map((hash) =>
        this.repository.queryPage(
          {
            IndexName: AUDIT_BY_SUBJECT_INDEX,
            KeyConditionExpression: before ? 'subjectHash = :hash AND sk < :before' : 'subjectHash = :hash',
            ExpressionAttributeValues: { ':hash': hash, ...(before ? { ':before': before } : {}) },
            ScanIndexForward: false,
          },
          limit + 1,
          (item) => ({ pk: item.pk, sk: item.sk, subjectHash: item.subjectHash }),
        ),
      ),
    );
    const merged = pages.flatMap((p) => p.items).sort((a, b) => String(b.sk).localeCompare(String(a.sk)));
    const page = merged.slice(0, limit);
    // Each partition gave up to limit + 1 records: more than `limit` merged means a next page.
    const more = merged.length > limit;
    const items = page.map((r) => ({
      at: r.at as string,
      purpose: r.purpose as string,
      deliberation: r.deliberation as string,
      actorRole: r.actorRole as string,
      ...(r.actorOrganisation ? { actorOrganisation: r.actorOrganisation as string } : {}),
      outcome: r.outcome as AccessRecord['outcome'],
      ...(LISTED_SORT_KEY.test(String(r.sk)) ? { listed: true } : {}),
    }));
    return { items, ...(more && page.length > 0 ? { next: Buffer.from(String(page.at(-1)!.sk)).toString('base64url') } : {}) };
  }

  async prepare(subjectNiss: string): Promise<void> {
    // Cached for the rest of the request (withHashScope): the record reuses it.
    await this.pseudonymiser.subject(subjectNiss);
  }

  /**
   * The per-person records of a list: the hashes given (a claim keeps its worker's) or
   * computed in parallel (cached for the request by withHashScope), the records written in
   * BatchWriteItem calls of 25 sent in parallel, kept as long as any access record (AUDIT_RETENTION).
   */
  async recordDisclosures(entry: DisclosureEntry, subjects: readonly DisclosedSubject[]): Promise<void> {
    const distinct = [...new Map(subjects.map((s) => [subjectKey(s), s])).values()];
    if (distinct.length === 0) return;
    const now = this.clock();
    const at = now.toISOString();
    const requestId = entry.requestId || randomUUID();
    const hashes = await Promise.all(distinct.map((s) => ('hash' in s ? s.hash : this.pseudonymiser.subject(s.niss))));
    await this.repository.putBatch(
      hashes.map((subjectHash, n) => ({
        pk: `AUDIT#${entry.purpose}#${at.slice(0, 10)}`,
        sk: `${at}#${requestId}#L${n}`,
        at,
        ...entry,
        requestId,
        subjectHash,
      })),
      { retainFrom: now },
    );
  }

  async record(entry: AuditEntry): Promise<void> {
    const at = this.clock().toISOString();
    const { subjectNiss, subjectHash: known, ...rest } = entry;
    // A refusal that names no one (before authentication, or a request refused before its
    // subject was bound) traces no access to personal data: it is kept briefly.
    const namesSomeone = Boolean(subjectNiss || known);
    const repository = !namesSomeone && (entry.actorRole === 'anonymous' || entry.outcome === 'DENIED') ? this.unauthenticated : this.repository;
    const subjectHash = known ?? (subjectNiss ? await this.pseudonymiser.subject(subjectNiss) : undefined);
    await repository.put({
      // One partition per purpose and day keeps reads of a day's accesses cheap.
      pk: `AUDIT#${entry.purpose}#${at.slice(0, 10)}`,
      sk: `${at}#${entry.requestId || randomUUID()}`,
      at,
      ...rest,
      ...(subjectHash ? { subjectHash } : {}),
    });
  }
}
