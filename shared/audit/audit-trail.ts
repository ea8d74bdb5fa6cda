import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidCursorError } from '../domain/pagination.js';
import type { Pseudonymiser } from '../privacy/pseudonymiser.js';
import { auditItemKey, auditShardsKey, refusalItemKey, refusalSortKey, recordSortKey } from '../storage/audit-keys.js';
import { mergeShardPages } from '../storage/k-way-merge.js';
import {
  AUDIT_TRAIL_PURPOSE,
  type AuditDayItem,
  type AuditDayPage,
  type AuditDayRecord,
  type AuditInvestigation,
  type RefusalAggregate,
  checkDayReading,
  dayCursorScopes,
  isAnonymousRefusal,
  minuteOf,
  REFUSAL_SAMPLE,
  refusalIdentity,
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
  type AuditDayItem,
  type AuditDayPage,
  type AuditDayRecord,
  type AuditEntry,
  type AuditInvestigation,
  type AuditSink,
  type DisclosedSubject,
  type DisclosureEntry,
  type RefusalAggregate,
} from '../storage/audit-records.js';

/**
 * Sort keys: `<at>#<request id>` for a request's own record, `<at>#<request id>#L<n>` for
 * the n-th person a list disclosed (unique per record; the `L` marks a list disclosure),
 * `<minute>#~REFUSALS#<status>#<code>#<route>` for a part of a refusal aggregate (never in
 * the access log: it names no one). A cursor carries one of them, sealed (sealCursor), and nothing else.
 * Partition keys: shared/storage/audit-keys.ts.
 */
const SORT_KEY = /^\d{4}-\d{2}-\d{2}T[^#]{1,40}#[^#]{1,100}(?:#L\d{1,6})?$/;
const REFUSAL_SORT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z#~REFUSALS#\d{1,3}#[A-Z0-9_]{0,64}#[^#]{0,200}$/;
const LISTED_SORT_KEY = /#L\d{1,6}$/;

/** The audit table's index of records by subject hash (serverless.yml). */
export const AUDIT_BY_SUBJECT_INDEX = 'auditBySubject';

export class AuditTrail implements AuditSink, AccessLog, AuditInvestigation {
  private readonly repository: RetentionRepository;
  private readonly unauthenticated: RetentionRepository;
  /** The days (purpose, day, count) this process has seen recorded in their shard-count item. */
  private readonly recordedCounts = new Map<string, Promise<void>>();

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly pseudonymiser: Pseudonymiser,
    private readonly clock: Clock = () => new Date(),
    env: RetentionOverrides = settings().retentionOverrides,
    private readonly shards: number = settings().auditShards,
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

  /**
   * Every record of a purpose's day, oldest first: each shard the day was written under (its
   * shard-count item, the largest count) queried after the cursor's sort key, in parallel,
   * and the pages merged by sort key (mergeShardPages); a refusal aggregate's parts (one per
   * shard at most, the same sort key) summed into one. The cursor is the last sort key given,
   * sealed to the purpose and day: every shard is read after it, so no page repeats or skips
   * a record, whatever was written since or whatever AUDIT_SHARDS became.
   */
  async recordsOf(purpose: string, day: string, { limit, cursor }: { limit: number; cursor?: string }): Promise<AuditDayPage> {
    checkDayReading(purpose, day);
    const scopes = await dayCursorScopes(this.pseudonymiser, purpose, day);
    let after: string | undefined;
    if (cursor !== undefined) {
      after = openCursor(cursor, scopes);
      if (!after.startsWith(`${day}T`) || !(SORT_KEY.test(after) || REFUSAL_SORT_KEY.test(after)))
        throw new InvalidCursorError('the cursor is not one this reading gave');
    }
    const shards = await this.shardsOf(purpose, day);
    const pages = await Promise.all(
      Array.from({ length: shards }, (_, shard) =>
        this.repository.queryPage(
          {
            KeyConditionExpression: after ? 'pk = :pk AND sk > :after' : 'pk = :pk',
            ExpressionAttributeValues: { ':pk': `AUDIT#${purpose}#${day}#${shard}`, ...(after ? { ':after': after } : {}) },
            ScanIndexForward: true,
            ConsistentRead: true,
          },
          limit,
          (item) => ({ pk: item.pk, sk: item.sk }),
        ),
      ),
    );
    const merged = mergeShardPages(
      pages.map((p) => ({ items: p.items.map(dayItemOf), more: p.lastKey !== undefined })),
      limit,
      (a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0),
      combineParts,
    );
    const last = merged.items.at(-1);
    return {
      items: merged.items.map((i) => i.item),
      ...(merged.more && last ? { next: sealCursor(last.sk, scopes[0]!) } : {}),
    };
  }

  async prepare(subjectNiss: string): Promise<void> {
    // Cached for the rest of the request (withHashScope): the record reuses it.
    await this.pseudonymiser.subject(subjectNiss);
  }

  /**
   * The per-person records of a list: the hashes given (a claim keeps its worker's) or
   * computed in parallel (cached for the request by withHashScope), the records written in
   * BatchWriteItem calls of 25 sent in parallel, kept as long as any access record (AUDIT_RETENTION).
   * Each record's shard is its own (its sort key's), so a list spreads over the day's shards.
   */
  async recordDisclosures(entry: DisclosureEntry, subjects: readonly DisclosedSubject[]): Promise<void> {
    const distinct = distinctSubjects(subjects);
    if (distinct.length === 0) return;
    const now = this.clock();
    const at = now.toISOString();
    const requestId = entry.requestId || randomUUID();
    const hashes = await Promise.all(distinct.map((s) => ('hash' in s ? s.hash : this.pseudonymiser.subject(s.niss))));
    await this.recordCount(entry.purpose, at.slice(0, 10));
    await this.repository.putBatch(
      hashes.map((subjectHash, n) => ({
        ...auditItemKey(entry.purpose, recordSortKey(at, requestId, n), this.shards),
        at,
        ...entry,
        requestId,
        subjectHash,
      })),
      { retainFrom: now },
    );
  }

  warmUp(purpose: string): void {
    this.recordCount(purpose, this.clock().toISOString().slice(0, 10)).catch(() => {});
  }

  async record(entry: AuditEntry): Promise<void> {
    const now = this.clock();
    const at = now.toISOString();
    const { subjectNiss, subjectHash: known, ...rest } = entry;
    if (isAnonymousRefusal(entry)) {
      await this.recordCount(entry.purpose, at.slice(0, 10));
      return this.countRefusal(entry, now);
    }
    // A refusal that names no one traces no access to personal data: it is kept briefly.
    const repository = retentionPurposeOf(entry) === UNAUTHENTICATED_PURPOSE ? this.unauthenticated : this.repository;
    // The day's shard count and the subject hash do not depend on each other: asked at once.
    const [, subjectHash] = await Promise.all([
      this.recordCount(entry.purpose, at.slice(0, 10)),
      known ?? (subjectNiss ? this.pseudonymiser.subject(subjectNiss) : undefined),
    ]);
    const requestId = entry.requestId || randomUUID();
    await repository.put(
      {
        ...auditItemKey(entry.purpose, recordSortKey(at, requestId), this.shards),
        at,
        ...rest,
        requestId,
        ...(subjectHash ? { subjectHash } : {}),
      },
      { retainFrom: now },
    );
  }

  /**
   * A refusal before authentication: one atomic UpdateItem on the part of its minute's
   * aggregate its request id falls in (ADD count 1; first instant and request id kept,
   * last ones set), kept 90 days from the latest refusal it counts. One writer per part, at
   * most `shards` parts a minute per route and reason: a flood of 401s writes into the
   * trail at the pace of the flood, but spread, and stored as a few items a minute.
   */
  private async countRefusal(entry: AuditEntry, now: Date): Promise<void> {
    const at = now.toISOString();
    const identity = refusalIdentity(entry);
    const requestId = entry.requestId || randomUUID();
    await this.unauthenticated.update(
      refusalItemKey(entry.purpose, refusalSortKey(minuteOf(now), identity), requestId, this.shards),
      {
        add: { count: 1 },
        set: { lastAt: at, lastRequestId: requestId },
        setIfMissing: {
          kind: 'REFUSALS',
          purpose: entry.purpose,
          deliberation: entry.deliberation,
          actorRole: entry.actorRole,
          outcome: entry.outcome,
          route: identity.route,
          status: identity.status,
          code: identity.code,
          minute: minuteOf(now),
          firstAt: at,
          firstRequestId: requestId,
        },
      },
      now,
    );
  }

  /**
   * Makes sure the day's shard-count item holds this process's count before anything is
   * written under it (once per process, purpose, day and count: read first, written only
   * if missing, so a fleet of new containers reads it rather than all writing it). A failure
   * fails the write it precedes, and is tried again on the next.
   */
  private recordCount(purpose: string, day: string): Promise<void> {
    const id = `${purpose}\u0000${day}\u0000${this.shards}`;
    let recorded = this.recordedCounts.get(id);
    if (!recorded) {
      if (this.recordedCounts.size > 1_000) this.recordedCounts.clear();
      recorded = (async () => {
        const key = auditShardsKey(purpose, day);
        if ((await this.countsOf(purpose, day, false)).includes(this.shards)) return;
        // Kept as long as the day's last records: retained from the day's end.
        await this.repository.update(
          key,
          { add: { shardCounts: new Set([this.shards]) }, set: { purpose, day } },
          new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000),
        );
      })();
      this.recordedCounts.set(id, recorded);
      recorded.catch(() => this.recordedCounts.delete(id));
    }
    return recorded;
  }

  /** The shard count a day is read under: the largest it was written with (none written: 0). */
  private async shardsOf(purpose: string, day: string): Promise<number> {
    const counts = await this.countsOf(purpose, day, true);
    return counts.length === 0 ? 0 : Math.max(...counts);
  }

  /**
   * The shard counts a day's item records, read as stored: it names no one, and is retained
   * from the day's end, so it outlives every record of the day.
   */
  private async countsOf(purpose: string, day: string, consistent: boolean): Promise<number[]> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: auditShardsKey(purpose, day), ConsistentRead: consistent }));
    return [...((Item?.shardCounts as Set<number> | undefined) ?? [])].map(Number);
  }
}

interface Positioned {
  sk: string;
  item: AuditDayItem;
}

/** A stored item as the day reading gives it: a record, or one part of a refusal aggregate. */
const dayItemOf = (r: Record<string, unknown>): Positioned => {
  const sk = String(r.sk);
  if (r.kind === 'REFUSALS') {
    const aggregate: RefusalAggregate = {
      kind: 'REFUSALS',
      at: String(r.minute),
      purpose: String(r.purpose),
      deliberation: String(r.deliberation),
      actorRole: String(r.actorRole),
      outcome: r.outcome as RefusalAggregate['outcome'],
      route: String(r.route),
      status: Number(r.status),
      code: String(r.code),
      count: Number(r.count),
      firstAt: String(r.firstAt),
      lastAt: String(r.lastAt),
      sampleRequestIds: [...new Set([String(r.firstRequestId), String(r.lastRequestId)])],
    };
    return { sk, item: aggregate };
  }
  const record: AuditDayRecord = {
    kind: 'RECORD',
    at: String(r.at),
    purpose: String(r.purpose),
    deliberation: String(r.deliberation),
    requestId: String(r.requestId),
    actorRole: String(r.actorRole),
    ...(r.actorOrganisation ? { actorOrganisation: String(r.actorOrganisation) } : {}),
    outcome: r.outcome as AuditDayRecord['outcome'],
    ...(typeof r.status === 'number' ? { status: r.status } : {}),
    ...(r.code ? { code: String(r.code) } : {}),
    ...(r.route ? { route: String(r.route) } : {}),
    ...(r.subjectHash ? { subjectHash: String(r.subjectHash) } : {}),
    ...(Array.isArray(r.sources) ? { sources: r.sources.map(String) } : {}),
    ...(LISTED_SORT_KEY.test(sk) ? { listed: true as const } : {}),
  };
  return { sk, item: record };
};

/** Two parts of one refusal aggregate (the same sort key in two shards) as one. */
const combineParts = (a: Positioned, b: Positioned): Positioned => {
  if (a.item.kind !== 'REFUSALS' || b.item.kind !== 'REFUSALS') return a;
  const [x, y] = [a.item, b.item];
  return {
    sk: a.sk,
    item: {
      ...x,
      count: x.count + y.count,
      // ISO instants: their order is the strings' (Math.min would not take them).
      firstAt: [x.firstAt, y.firstAt].sort()[0] ?? x.firstAt,
      lastAt: [x.lastAt, y.lastAt].sort()[1] ?? x.lastAt,
      sampleRequestIds: [...new Set([...x.sampleRequestIds, ...y.sampleRequestIds])].slice(0, REFUSAL_SAMPLE),
    },
  };
};
