import { createHash } from 'node:crypto';
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Item, QueryChunk } from './retention-repository.js';

/**
 * Write-sharded index partitions, and a reader that merges them back into one order.
 *
 * A GSI partition takes about 1,000 writes a second, and a GSI that throttles throttles the
 * table writes that feed it. An index whose partition key is one constant (`CLAIMS`) gets
 * every claim write of Flanders in one partition; and since its sort key grows with time,
 * DynamoDB's split-for-heat cannot help (every write lands at the end of the key range).
 * A sharded index spreads its items over `<base>#0` … `<base>#<N-1>` by a hash of the
 * item's id: N partitions, each with the same sort key. A reader asks every shard and
 * merges their answers on the sort key (k-way merge), so the order and the answers are the
 * ones of the single partition.
 *
 * The shard of an id depends on N: an item keeps the shard it was written under, and a
 * reader asks shards 0 to N-1 only. N may therefore be raised (old items sit in lower
 * shards) but not lowered without rewriting the items (local/claim-index-keys.ts does it).
 *
 * Applying it to another index is three lines: write `shardedKey(base, id, shards)` as the
 * partition attribute, and read with `queryMerged` over `shardKeys(base, shards)`.
 */

/** The shard of an id among `shards`: its SHA-256's first 32 bits, modulo (uniform, stable across runtimes). */
export const shardOf = (id: string, shards: number): number => {
  if (!Number.isInteger(shards) || shards < 1) throw new RangeError(`shards must be a whole number ≥ 1, got ${shards}`);
  return createHash('sha256').update(id).digest().readUInt32BE(0) % shards;
};

/** The partition key of an item in a write-sharded index: `<base>#<shard of id>`. */
export const shardedKey = (base: string, id: string, shards: number): string => `${base}#${shardOf(id, shards)}`;

/** Every partition of a write-sharded index: what a reader asks. */
export const shardKeys = (base: string, shards: number): string[] => Array.from({ length: shards }, (_, shard) => `${base}#${shard}`);

/** DynamoDB's order of string keys: by their UTF-8 bytes. */
export const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

export interface MergedQuery {
  index: string;
  /** The index's partition attribute, and the partitions to merge (every shard, and for some lists every status). */
  partitionAttribute: string;
  partitions: readonly string[];
  /** The index's sort attribute: the one order all partitions share. */
  sortAttribute: string;
  /** `descending`: newest first (the lists); `ascending`: oldest first (the sweepers). */
  order: 'ascending' | 'descending';
  /** Only sort keys strictly between these (each optional, each exclusive). */
  above?: string;
  below?: string;
  /** Items of the merged page (≥ 1). */
  limit: number;
}

export interface MergedPage {
  items: Item[];
  /** Another item follows the page's last (found by reading it: never a last page that is empty). */
  more: boolean;
  /** What the page cost: Query calls, and DynamoDB's ScannedCount summed over them. */
  queries: number;
  scanned: number;
}

/** One Query call on one partition (RetentionRepository.queryChunk). */
export type ChunkReader = (
  input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey' | 'FilterExpression'>,
  limit: number,
  startKey?: Item,
) => Promise<QueryChunk>;

interface Stream {
  partition: string;
  buffer: Item[];
  next: number;
  startKey?: Item;
  done: boolean;
  taken: number;
}

/**
 * A page of `limit` items across partitions, in their shared sort order, reading about as
 * much as it returns: each partition is read in small chunks (first ⌊(limit+1)/P⌋ items,
 * then what its share of the page so far suggests), so a page of `limit` items reads about
 * `limit + P` and a little more (P partitions: each one's next item must be known to place
 * the page's last). Measured with 8 shards: a 20-claim page reads 31 items on average
 * (at most 36 in 300 runs), a 100-claim page 118; 16 shards, 38 and 131.
 * One item past the page is read, so `more` is exact.
 */
export const queryMerged = async (read: ChunkReader, query: MergedQuery): Promise<MergedPage> => {
  const { above, below, sortAttribute } = query;
  const want = query.limit + 1;
  const condition =
    above !== undefined && below !== undefined
      ? ' AND #sort BETWEEN :above AND :below'
      : above !== undefined
        ? ' AND #sort > :above'
        : below !== undefined
          ? ' AND #sort < :below'
          : '';
  const values = { ...(above !== undefined ? { ':above': above } : {}), ...(below !== undefined ? { ':below': below } : {}) };
  // BETWEEN is inclusive: the bounds themselves are dropped here (at most one item each).
  const inside = (item: Item) => item[sortAttribute] !== above && item[sortAttribute] !== below;
  const streams: Stream[] = query.partitions.map((partition) => ({ partition, buffer: [], next: 0, done: false, taken: 0 }));
  let queries = 0;
  let scanned = 0;
  const fetch = async (stream: Stream, limit: number) => {
    const chunk = await read(
      {
        IndexName: query.index,
        KeyConditionExpression: `#partition = :partition${condition}`,
        ExpressionAttributeNames: { '#partition': query.partitionAttribute, ...(condition ? { '#sort': sortAttribute } : {}) },
        ExpressionAttributeValues: { ':partition': stream.partition, ...values },
        ScanIndexForward: query.order === 'ascending',
      },
      limit,
      stream.startKey,
    );
    queries++;
    scanned += chunk.scanned;
    stream.buffer.push(...chunk.items.filter(inside));
    stream.startKey = chunk.lastKey;
    stream.done = chunk.lastKey === undefined;
  };
  // Rounded down: a partition short of its share reads less past the page; one over it reads on (measured in test/unit/sharded-index.test.ts).
  const first = Math.max(1, Math.floor(want / Math.max(1, streams.length)));
  await Promise.all(streams.map((s) => fetch(s, first)));
  const sign = query.order === 'ascending' ? 1 : -1;
  const out: Item[] = [];
  while (out.length < want) {
    // A partition whose next item is not known yet may hold the next one of the page: read on.
    const unknown = streams.filter((s) => s.next === s.buffer.length && !s.done);
    if (unknown.length > 0) {
      const need = want - out.length;
      // As much as the partition's share of the page so far suggests (plus one), at most what is still needed.
      const size = (s: Stream) => Math.min(need, Math.max(1, Math.round((need * (s.taken + 1)) / (out.length + streams.length))));
      await Promise.all(unknown.map((s) => fetch(s, size(s))));
      continue;
    }
    let best: Stream | undefined;
    for (const s of streams) {
      if (s.next === s.buffer.length) continue;
      if (!best || sign * byteOrder(String(s.buffer[s.next]![sortAttribute]), String(best.buffer[best.next]![sortAttribute])) < 0) best = s;
    }
    if (!best) break;
    out.push(best.buffer[best.next++]!);
    best.taken++;
  }
  return { items: out.slice(0, query.limit), more: out.length > query.limit, queries, scanned };
};
