import { createHash } from 'node:crypto';

/**
 * Where an audit record lives on DynamoDB: the one derivation of its keys, shared by the
 * trail (shared/audit/audit-trail.ts), the local migration (local/shard-audit.ts) and the
 * capacity model, which asks what share of a day's writes the busiest key takes.
 *
 * A purpose's day is spread over `shards` partition keys, `AUDIT#<purpose>#<day>#<shard>`:
 * one DynamoDB partition takes about 1 000 writes a second and adaptive splitting cannot
 * spread a time-ordered sort key, so one key per purpose and day would throttle the audit
 * write of every request of that purpose at a peak (a deadline, a retry storm, a flood of
 * 401s). The shard is a hash of the record's sort key, which is unique per record (it holds
 * the request id, and for a list's n-th disclosure `#L<n>`), so a list's 100 records spread
 * too; a refusal aggregate's part is a hash of the request id (see refusalShardOf).
 *
 * The shard count is configuration (AUDIT_SHARDS); a day records the counts it was written
 * with (`auditShardsKey`), and a reader reads under the largest: `shard < count`, so every
 * record of the day is in shards `0 … max − 1` whatever the configuration became since.
 */

export const DEFAULT_AUDIT_SHARDS = 16;
/** The most shards a day may be spread over: a page of a day's reading queries each one. */
export const MAX_AUDIT_SHARDS = 64;

/** A uniform shard in `[0, shards)` for a string (the first 32 bits of its SHA-256). */
export const shardOf = (value: string, shards: number): number => {
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_AUDIT_SHARDS) throw new RangeError(`a shard count is 1 to ${MAX_AUDIT_SHARDS}, got ${shards}`);
  return createHash('sha256').update(value).digest().readUInt32BE(0) % shards;
};

/** The partition key of one shard of a purpose's day. */
export const auditPartitionKey = (purpose: string, day: string, shard: number): string => `AUDIT#${purpose}#${day}#${shard}`;

/** The sort key of a request's own record, or of the n-th person a list disclosed. */
export const recordSortKey = (at: string, requestId: string, listed?: number): string => `${at}#${requestId}${listed === undefined ? '' : `#L${listed}`}`;

/**
 * The sort key of a refusal aggregate: the minute, then what it counts (`~` sorts it after
 * the records of the same instant, whose request ids are UUIDs), one per route, status,
 * reason and minute in each shard.
 */
export const refusalSortKey = (minute: string, { route, status, code }: { route: string; status: number; code: string }): string =>
  `${minute}#~REFUSALS#${status}#${code}#${route}`;

/** The keys of a record (its sort key given): in the shard its sort key hashes to. */
export const auditItemKey = (purpose: string, sk: string, shards: number): { pk: string; sk: string } => ({
  pk: auditPartitionKey(purpose, sk.slice(0, 10), shardOf(sk, shards)),
  sk,
});

/**
 * The keys of one part of a refusal aggregate: the same sort key in every shard, the part
 * chosen by the request id, so that a flood on one route spreads over `shards` items (one
 * item takes about 1 000 writes a second, as a partition) and a reader sums the parts.
 */
export const refusalItemKey = (purpose: string, sk: string, requestId: string, shards: number): { pk: string; sk: string } => ({
  pk: auditPartitionKey(purpose, sk.slice(0, 10), shardOf(requestId, shards)),
  sk,
});

/** The item that records the shard counts a purpose's day was written with (a number set `shardCounts`). */
export const auditShardsKey = (purpose: string, day: string): { pk: string; sk: string } => ({ pk: `AUDITSHARDS#${purpose}#${day}`, sk: 'SHARDS' });

/** The partition key a record had before sharding (`AUDIT#<purpose>#<day>`): what local/shard-audit.ts moves. */
export const LEGACY_AUDIT_PARTITION = /^AUDIT#[^#]+#\d{4}-\d{2}-\d{2}$/;
