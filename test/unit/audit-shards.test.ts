import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { AuditTrail } from '../../shared/audit/audit-trail.js';
import { readSettings } from '../../shared/config/env.js';
import {
  auditItemKey,
  auditPartitionKey,
  DEFAULT_AUDIT_SHARDS,
  recordSortKey,
  refusalItemKey,
  refusalSortKey,
  shardOf,
} from '../../shared/storage/audit-keys.js';
import { mergeShardPages } from '../../shared/storage/k-way-merge.js';
import { testPseudonymiser } from '../support/pseudonymiser.js';

/** A document client that keeps every write's partition key and answers reads with nothing. */
const recordingClient = () => {
  const writes: string[] = [];
  const doc = {
    send: async (command: { constructor: { name: string }; input: Record<string, any> }) => {
      const { input } = command;
      switch (command.constructor.name) {
        case 'PutCommand':
          writes.push(input.Item.pk);
          return {};
        case 'UpdateCommand':
          writes.push(input.Key.pk);
          return {};
        case 'BatchWriteCommand':
          for (const request of Object.values(input.RequestItems as Record<string, { PutRequest: { Item: { pk: string } } }[]>).flat())
            writes.push(request.PutRequest.Item.pk);
          return { UnprocessedItems: {} };
        case 'GetCommand':
          return {};
        default:
          throw new Error(`unexpected ${command.constructor.name}`);
      }
    },
  } as unknown as DynamoDBDocumentClient;
  return { doc, writes };
};

describe('the audit trail’s write shards (DynamoDB)', () => {
  it('spreads a mixed day of one purpose over every shard, none taking much more than its share', async () => {
    const { doc, writes } = recordingClient();
    let now = Date.parse('2026-03-02T06:00:00.000Z');
    const clock = () => {
      now += 37;
      return new Date(now);
    };
    const trail = new AuditTrail(doc, 'audit', testPseudonymiser(), clock, {}, DEFAULT_AUDIT_SHARDS);
    const purpose = 'TRAINING_LEAVE_REIMBURSEMENT';
    const base = { purpose, deliberation: '19/038', actorRole: 'employer', actorOrganisation: '0123456789' };
    // 1 000 accesses, 20 lists of 50 people, 600 anonymous 401s on one route (a flood, 10 minutes), 100 403s.
    for (let i = 0; i < 1_000; i++)
      await trail.record({ ...base, requestId: randomUUID(), outcome: 'ALLOWED', status: 200, subjectHash: `v1:${'a'.repeat(64)}` });
    for (let i = 0; i < 20; i++)
      await trail.recordDisclosures(
        { ...base, requestId: randomUUID(), outcome: 'ALLOWED', status: 200 },
        Array.from({ length: 50 }, (_, n) => ({ hash: `v1:${String(n).padStart(64, '0')}` })),
      );
    for (let i = 0; i < 600; i++)
      await trail.record({
        purpose,
        deliberation: '19/038',
        requestId: randomUUID(),
        actorRole: 'anonymous',
        outcome: 'DENIED',
        status: 401,
        code: 'UNAUTHENTICATED',
        route: 'GET /v1/training-leave/claims',
      });
    for (let i = 0; i < 100; i++) await trail.record({ ...base, requestId: randomUUID(), outcome: 'DENIED', status: 403, code: 'FORBIDDEN' });

    const day = writes.filter((pk) => pk.startsWith('AUDIT#'));
    expect(day).toHaveLength(2_700);
    const perShard = new Map<string, number>();
    for (const pk of day) perShard.set(pk, (perShard.get(pk) ?? 0) + 1);
    expect([...perShard.keys()].sort()).toEqual(Array.from({ length: 16 }, (_, s) => auditPartitionKey(purpose, '2026-03-02', s)).sort());
    const busiest = Math.max(...perShard.values()) / day.length;
    // A fair share is 1/16 (6.25 %); far under a third, and under twice the fair share.
    expect(busiest).toBeLessThan(1 / 3);
    expect(busiest).toBeLessThan(2 / 16);
    // The day's shard count is recorded once by this process (one more write, on a key of its own).
    expect(writes.filter((pk) => !pk.startsWith('AUDIT#'))).toEqual([`AUDITSHARDS#${purpose}#2026-03-02`]);
  });

  it('derives a record’s keys from its sort key, and a refusal part’s from its request id, in [0, shards)', () => {
    const sk = recordSortKey('2026-03-02T09:00:00.000Z', 'req-1');
    expect(sk).toBe('2026-03-02T09:00:00.000Z#req-1');
    expect(recordSortKey('2026-03-02T09:00:00.000Z', 'req-1', 3)).toBe('2026-03-02T09:00:00.000Z#req-1#L3');
    expect(auditItemKey('P', sk, 16)).toEqual({ pk: `AUDIT#P#2026-03-02#${shardOf(sk, 16)}`, sk });
    const refusal = refusalSortKey('2026-03-02T09:00:00.000Z', { route: 'GET /v1/x', status: 401, code: 'UNAUTHENTICATED' });
    expect(refusal).toBe('2026-03-02T09:00:00.000Z#~REFUSALS#401#UNAUTHENTICATED#GET /v1/x');
    expect(refusalItemKey('P', refusal, 'req-1', 16)).toEqual({ pk: `AUDIT#P#2026-03-02#${shardOf('req-1', 16)}`, sk: refusal });
    // A count that only grows keeps every shard a smaller one wrote (shard < count ≤ the largest).
    for (const shards of [1, 2, 16, 64]) for (let i = 0; i < 200; i++) expect(shardOf(`r${i}`, shards)).toBeLessThan(shards);
    expect(() => shardOf('x', 0)).toThrow(RangeError);
    expect(() => shardOf('x', 65)).toThrow(RangeError);
  });

  it('reads AUDIT_SHARDS: 16 by default, 1 to 64', () => {
    expect(readSettings({}).auditShards).toBe(16);
    expect(readSettings({ AUDIT_SHARDS: '32' }).auditShards).toBe(32);
    for (const bad of ['0', '65', '2.5', 'many']) expect(() => readSettings({ AUDIT_SHARDS: bad })).toThrow(/AUDIT_SHARDS/);
  });
});

describe('mergeShardPages', () => {
  const byValue = (a: number, b: number) => a - b;
  it('merges sorted pages into one, in order, up to the limit', () => {
    expect(
      mergeShardPages(
        [
          { items: [1, 4, 7], more: false },
          { items: [2, 5], more: false },
          { items: [3, 6, 8], more: false },
        ],
        5,
        byValue,
      ),
    ).toEqual({
      items: [1, 2, 3, 4, 5],
      more: true,
    });
    expect(
      mergeShardPages(
        [
          { items: [1, 4], more: false },
          { items: [], more: false },
        ],
        5,
        byValue,
      ),
    ).toEqual({ items: [1, 4], more: false });
    expect(mergeShardPages([], 5, byValue)).toEqual({ items: [], more: false });
  });

  it('stops where a shard that holds more has given all it read: nothing after it can be known yet', () => {
    expect(
      mergeShardPages(
        [
          { items: [1, 2], more: true },
          { items: [3, 4], more: false },
        ],
        10,
        byValue,
      ),
    ).toEqual({ items: [1, 2], more: true });
  });

  it('combines the items that compare equal (an aggregate’s parts) into one', () => {
    const parts = [
      {
        items: [
          { k: 1, n: 2 },
          { k: 3, n: 1 },
        ],
        more: false,
      },
      { items: [{ k: 1, n: 5 }], more: false },
    ];
    expect(
      mergeShardPages(
        parts,
        10,
        (a, b) => a.k - b.k,
        (a, b) => ({ k: a.k, n: a.n + b.n }),
      ).items,
    ).toEqual([
      { k: 1, n: 7 },
      { k: 3, n: 1 },
    ]);
  });

  it('pages through many shards with no item twice and none missing', () => {
    const shards = Array.from({ length: 16 }, (_, s) => Array.from({ length: 40 }, (_, i) => i * 16 + s).filter((v) => v % 7 !== s % 7));
    const all = shards.flat().sort(byValue);
    const seen: number[] = [];
    let after = -1;
    for (let page = 0; page < 1_000; page++) {
      const limit = 9;
      const pages = shards.map((items) => {
        const rest = items.filter((v) => v > after);
        return { items: rest.slice(0, limit), more: rest.length > limit };
      });
      const merged = mergeShardPages(pages, limit, byValue);
      seen.push(...merged.items);
      if (!merged.more) break;
      after = merged.items.at(-1)!;
    }
    expect(seen).toEqual(all);
  });
});
