import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { InvalidCursorError } from '../domain/pagination.js';
import type { Pseudonymiser } from '../privacy/pseudonymiser.js';
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
  UNAUTHENTICATED_PURPOSE,
} from '../storage/audit-records.js';
import { settings } from '../config/env.js';
import type { RetentionOverrides } from '../purposes/retention.js';
import { RetentionRepository, type Clock } from '../storage/retention-repository.js';

// The records' meaning is shared by every engine (shared/storage/audit-records.ts): what the
// rest of the code imports from here.
export {
  AUDIT_RETENTION,
  UNAUTHENTICATED_RETENTION,
  type AccessLog,
  type AccessLogPage,
  type AccessRecord,
  type AuditEntry,
  type AuditSink,
  type DisclosedSubject,
  type DisclosureEntry,
} from '../storage/audit-records.js';

/**
 * Sort keys: `<at>#<request id>` for a request's own record, `<at>#<request id>#L<n>` for
 * the n-th person a list disclosed (unique per record; the `L` marks a list disclosure).
 * A cursor carries one of them, sealed to the subject (sealCursor), and nothing else.
 */
const SORT_KEY = /^\d{4}-\d{2}-\d{2}T[^#]{1,40}#[^#]{1,100}(?:#L\d{1,6})?$/;
const LISTED_SORT_KEY = /#L\d{1,6}$/;

/** The audit table's index of records by subject hash (serverless.yml). */
export const AUDIT_BY_SUBJECT_INDEX = 'auditBySubject';

export class AuditTrail implements AuditSink, AccessLog {
  private readonly repository: RetentionRepository;
  private readonly unauthenticated: RetentionRepository;

  constructor(
    doc: DynamoDBDocumentClient,
    tableName: string,
    private readonly pseudonymiser: Pseudonymiser,
    private readonly clock: Clock = () => new Date(),
    env: RetentionOverrides = settings().retentionOverrides,
  ) {
    this.repository = new RetentionRepository(doc, tableName, AUDIT_TRAIL_PURPOSE, clock, env);
    this.unauthenticated = new RetentionRepository(doc, tableName, UNAUTHENTICATED_PURPOSE, clock, env);
  }

  /**
   * The accesses to one person's data, newest first: the records under the hash of the NISS
   * with every accepted key version (found through the index, never a scan), merged. The
   * cursor carries the sort key of the last record returned, sealed to the subject.
   */
  async accessesTo(subjectNiss: string, { limit, cursor }: { limit: number; cursor?: string }): Promise<AccessLogPage> {
    const hashes = await this.pseudonymiser.subjectUnderEveryKey(subjectNiss);
    let before: string | undefined;
    if (cursor !== undefined) {
      before = openCursor(cursor, hashes);
      if (!SORT_KEY.test(before)) throw new InvalidCursorError('the cursor is not one this access log gave');
    }
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
    return { items, ...(more && page.length > 0 ? { next: sealCursor(String(page.at(-1)!.sk), hashes[0]!) } : {}) };
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
    const distinct = distinctSubjects(subjects);
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
    // A refusal that names no one traces no access to personal data: it is kept briefly.
    const repository = retentionPurposeOf(entry) === UNAUTHENTICATED_PURPOSE ? this.unauthenticated : this.repository;
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
