import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../shared/config/env.js';
import { InvalidCursorError } from '../../shared/domain/pagination.js';
import { CLAIM_LIST_INDEXES, listPlan } from '../../shared/storage/claims.js';
import { listPosition, openListCursor, sealListCursor } from '../../shared/storage/list-cursor.js';
import type { Item } from '../../shared/storage/retention-repository.js';
import { byteOrder, type ChunkReader, queryMerged, shardedKey, shardKeys, shardOf } from '../../shared/storage/sharded-index.js';

/** DynamoDB's Query on an index, in memory: one partition, its key condition on the sort key, Limit, ExclusiveStartKey, ScannedCount. */
const indexOf = (items: Item[], partition: string, sort: string) => {
  const calls: { partition: string; limit: number }[] = [];
  const read: ChunkReader = async (input, limit, startKey) => {
    const values = input.ExpressionAttributeValues as Record<string, string>;
    const condition = input.KeyConditionExpression!;
    const ascending = input.ScanIndexForward !== false;
    const inRange = (k: string) =>
      condition.includes('BETWEEN')
        ? byteOrder(k, values[':above']!) >= 0 && byteOrder(k, values[':below']!) <= 0
        : condition.includes('>')
          ? byteOrder(k, values[':above']!) > 0
          : condition.includes('<')
            ? byteOrder(k, values[':below']!) < 0
            : true;
    const sorted = items
      .filter((i) => i[partition] === values[':partition'] && inRange(String(i[sort])))
      .sort((a, b) => (ascending ? 1 : -1) * byteOrder(String(a[sort]), String(b[sort])));
    const from = startKey ? sorted.findIndex((i) => i[sort] === startKey[sort]) + 1 : 0;
    const chunk = sorted.slice(from, from + limit);
    calls.push({ partition: values[':partition']!, limit });
    // As DynamoDB: a LastEvaluatedKey whenever Limit was reached, whether or not anything follows.
    return { items: chunk, scanned: chunk.length, ...(chunk.length === limit ? { lastKey: { [sort]: chunk.at(-1)![sort] } } : {}) };
  };
  return { read, calls };
};

const claimsAt = (n: number, shards: number) =>
  Array.from({ length: n }, (_, i) => {
    const claimId = randomUUID();
    const submittedAt = new Date(Date.UTC(2024, 9, 1) + i * 61_000).toISOString();
    return { claimId, listAll: shardedKey('CLAIMS', claimId, shards), listOrder: listPosition({ submittedAt, claimId }) };
  });

describe('write-sharded index keys', () => {
  it('puts an id in the same shard every time, within 0..N-1, and spreads ids evenly', () => {
    const ids = Array.from({ length: 8_000 }, () => randomUUID());
    const counts = Array<number>(8).fill(0);
    for (const id of ids) {
      const shard = shardOf(id, 8);
      expect(shard).toBe(shardOf(id, 8));
      counts[shard]!++;
    }
    for (const count of counts) expect(count).toBeGreaterThan(850);
    for (const count of counts) expect(count).toBeLessThan(1_150);
    expect(shardedKey('CLAIMS', ids[0]!, 8)).toBe(`CLAIMS#${shardOf(ids[0]!, 8)}`);
    expect(shardKeys('STATUS#DECIDED', 3)).toEqual(['STATUS#DECIDED#0', 'STATUS#DECIDED#1', 'STATUS#DECIDED#2']);
    expect(() => shardOf('x', 0)).toThrow(RangeError);
  });

  it('reads CLAIM_INDEX_SHARDS (default 8, 1 to 64)', () => {
    expect(readSettings({}).claimIndexShards).toBe(8);
    expect(readSettings({ CLAIM_INDEX_SHARDS: '16' }).claimIndexShards).toBe(16);
    for (const bad of ['0', '65', '2.5', 'eight']) expect(() => readSettings({ CLAIM_INDEX_SHARDS: bad }), bad).toThrow(/CLAIM_INDEX_SHARDS/);
  });
});

describe('queryMerged: the shards read back as one partition', () => {
  const shards = 8;
  const claims = claimsAt(300, shards);
  const newestFirst = [...claims].sort((a, b) => byteOrder(b.listOrder, a.listOrder)).map((c) => c.listOrder);
  const query = {
    index: 'claimsByTime',
    partitionAttribute: 'listAll',
    partitions: shardKeys('CLAIMS', shards),
    sortAttribute: 'listOrder',
    order: 'descending' as const,
  };

  it('pages newest first across every shard: each item once, none skipped, reading about what it returns', async () => {
    for (const limit of [1, 7, 20, 100]) {
      const { read } = indexOf(claims, 'listAll', 'listOrder');
      const seen: string[] = [];
      let below: string | undefined;
      for (let pages = 0; pages < 400; pages++) {
        const page = await queryMerged(read, { ...query, limit, ...(below ? { below } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map((i) => String(i.listOrder)));
        // The page, each partition's next item, and what the first (parallel) chunks read past a shard's share.
        expect(page.scanned, `limit ${limit}`).toBeLessThanOrEqual(1.5 * page.items.length + 2 * shards);
        if (!page.more) break;
        below = String(page.items.at(-1)!.listOrder);
      }
      expect(seen, `limit ${limit}`).toEqual(newestFirst);
    }
  });

  it('reads at most twice what a 20-item page returns with 8 shards', async () => {
    const { read } = indexOf(claims, 'listAll', 'listOrder');
    const page = await queryMerged(read, { ...query, limit: 20 });
    expect(page.items.map((i) => i.listOrder)).toEqual(newestFirst.slice(0, 20));
    expect(page.scanned).toBeLessThanOrEqual(40);
    expect(page.queries).toBeGreaterThanOrEqual(shards);
  });

  it('says whether an item follows exactly: no empty last page', async () => {
    const few = claimsAt(5, shards);
    const { read } = indexOf(few, 'listAll', 'listOrder');
    expect((await queryMerged(read, { ...query, limit: 5 })).more).toBe(false);
    expect((await queryMerged(read, { ...query, limit: 4 })).more).toBe(true);
    expect((await queryMerged(read, { ...query, limit: 10 })).items).toHaveLength(5);
  });

  it('oldest first below a bound, and strictly between two (BETWEEN’s bounds left out)', async () => {
    const { read } = indexOf(claims, 'listAll', 'listOrder');
    const oldestFirst = [...newestFirst].reverse();
    const below = await queryMerged(read, { ...query, order: 'ascending', below: oldestFirst[10]!, limit: 50 });
    expect(below.items.map((i) => i.listOrder)).toEqual(oldestFirst.slice(0, 10));
    const between = await queryMerged(read, { ...query, order: 'ascending', above: oldestFirst[3]!, below: oldestFirst[9]!, limit: 50 });
    expect(between.items.map((i) => i.listOrder)).toEqual(oldestFirst.slice(4, 9));
  });

  it('merges partitions of very different sizes (an employer’s three statuses) without reading much past the page', async () => {
    const items = claimsAt(120, 1).map((c, i) => ({ ...c, listEmployer: i % 20 === 0 ? 'E#WITHDRAWN' : i % 7 === 0 ? 'E#RECEIVED' : 'E#DECIDED' }));
    const { read } = indexOf(items, 'listEmployer', 'listOrder');
    const page = await queryMerged(read, { ...query, partitionAttribute: 'listEmployer', partitions: ['E#RECEIVED', 'E#DECIDED', 'E#WITHDRAWN'], limit: 20 });
    expect(page.items.map((i) => i.listOrder)).toEqual(
      [...items]
        .sort((a, b) => byteOrder(b.listOrder, a.listOrder))
        .slice(0, 20)
        .map((c) => c.listOrder),
    );
    expect(page.scanned).toBeLessThanOrEqual(2 * 20);
  });
});

describe('the claim lists: one index and key condition per filter', () => {
  it('chooses the index of every combination of employer, status and school year', () => {
    const plan = (q: Parameters<typeof listPlan>[0]) => listPlan(q, 4);
    expect(plan({})).toEqual({ index: CLAIM_LIST_INDEXES.byTime, partitionAttribute: 'listAll', partitions: shardKeys('CLAIMS', 4) });
    expect(plan({ status: 'DECIDED' }).partitions).toEqual(shardKeys('STATUS#DECIDED', 4));
    expect(plan({ schoolYear: '2024-2025' }).partitions).toEqual(shardKeys('YEAR#2024-2025', 4));
    expect(plan({ schoolYear: '2024-2025', status: 'RECEIVED' })).toMatchObject({
      index: 'claimsByYearStatus',
      partitions: shardKeys('YEAR#2024-2025#RECEIVED', 4),
    });
    expect(plan({ employerEnterpriseNumber: '0403170701' })).toEqual({
      index: 'claimsByEmployer',
      partitionAttribute: 'listEmployer',
      partitions: ['EMPLOYER#0403170701#RECEIVED', 'EMPLOYER#0403170701#DECIDED', 'EMPLOYER#0403170701#WITHDRAWN'],
    });
    expect(plan({ employerEnterpriseNumber: '0403170701', status: 'DECIDED' }).partitions).toEqual(['EMPLOYER#0403170701#DECIDED']);
    expect(plan({ employerEnterpriseNumber: '0403170701', schoolYear: '2024-2025' })).toMatchObject({
      index: 'claimsByEmployerYear',
      partitionAttribute: 'listEmployerYear',
    });
    expect(plan({ employerEnterpriseNumber: '0403170701', schoolYear: '2024-2025', status: 'WITHDRAWN' }).partitions).toEqual([
      'EMPLOYER#0403170701#2024-2025#WITHDRAWN',
    ]);
  });

  it('cursors: the position back for its own list only; edited, cut, made up or another list’s refused', () => {
    const position = listPosition({ submittedAt: '2024-11-01T08:00:00.000Z', claimId: randomUUID() });
    const list = { employerEnterpriseNumber: '0403170701', status: 'DECIDED' };
    const cursor = sealListCursor(position, list);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(openListCursor(cursor, list)).toBe(position);
    const edited = sealListCursor(position, list).slice(0, 32) + Buffer.from(position.replace('2024', '2023')).toString('base64url');
    const others = [{}, { employerEnterpriseNumber: '0403170701' }, { ...list, status: 'RECEIVED' }, { ...list, schoolYear: '2024-2025' }];
    for (const other of others) expect(() => openListCursor(cursor, other)).toThrow(InvalidCursorError);
    for (const bad of ['', 'e30', cursor.slice(0, -2), `${cursor}AA`, edited, sealListCursor('not a position', list)])
      expect(() => openListCursor(bad, list), bad).toThrow(InvalidCursorError);
  });
});
