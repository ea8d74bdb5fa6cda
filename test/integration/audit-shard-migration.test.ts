import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { shardLegacyAudit } from '../../local/shard-audit.js';
import { AuditTrail } from '../../shared/audit/audit-trail.js';
import { createDocumentClient } from '../../shared/aws/clients.js';
import { auditItemKey, auditShardsKey } from '../../shared/storage/audit-keys.js';
import { targetClients } from '../support/aws.js';
import { testPseudonymiser } from '../support/pseudonymiser.js';
import { targetValue } from '../support/target.js';

// Data kept on disk by an earlier `npm start` holds audit records under one key per purpose
// and day (AUDIT#<purpose>#<day>): the start moves them to their shards (local/cloud.ts).
const { dynamodb } = targetClients();
const doc = createDocumentClient(dynamodb);
afterAll(() => dynamodb.destroy());

describe('the audit records of an unsharded trail, at start', () => {
  it('are moved to their shards with every attribute, found by the day reading and the access log, once', async () => {
    const table = targetValue('AUDIT_TABLE');
    const purpose = `LEGACY-${randomUUID()}`;
    const day = '2101-07-01';
    const pseudonymiser = testPseudonymiser({ v1: `legacy-${randomUUID()}` });
    const subjectHash = await pseudonymiser.subject('85073003328');
    const expiresAt = Date.parse('2111-07-01T08:00:00Z') / 1000;
    const legacy = Array.from({ length: 40 }, (_, i) => {
      const at = new Date(Date.parse(`${day}T08:00:00.000Z`) + i * 1_000).toISOString();
      const requestId = randomUUID();
      return {
        pk: `AUDIT#${purpose}#${day}`,
        sk: `${at}#${requestId}${i % 10 === 0 ? '#L0' : ''}`,
        at,
        purpose,
        deliberation: '24/012',
        requestId,
        actorRole: 'citizen',
        actorOrganisation: 'MYCAREER',
        outcome: 'ALLOWED',
        status: 200,
        ...(i % 5 === 0 ? { subjectHash } : {}),
        expiresAt,
      };
    });
    for (const Item of legacy) await doc.send(new PutCommand({ TableName: table, Item }));

    const first = await shardLegacyAudit(dynamodb, table, 8);
    expect(first.moved).toBeGreaterThanOrEqual(40);
    // Nothing left under the old key; each record under the shard its sort key hashes to, as it was.
    const { Items: left = [] } = await doc.send(
      new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `AUDIT#${purpose}#${day}` } }),
    );
    expect(left).toEqual([]);
    for (const item of legacy) {
      const { Item } = await doc.send(new GetCommand({ TableName: table, Key: auditItemKey(purpose, item.sk, 8) }));
      expect(Item).toEqual({ ...item, ...auditItemKey(purpose, item.sk, 8) });
    }
    const { Item: marker } = await doc.send(new GetCommand({ TableName: table, Key: auditShardsKey(purpose, day) }));
    expect(marker).toMatchObject({ shardCounts: new Set([8]), expiresAt: expect.any(Number) });

    // Read by a trail configured with another count: under the day's own.
    const trail = new AuditTrail(doc, table, pseudonymiser, () => new Date(`${day}T12:00:00Z`), {}, 16);
    const read = [];
    let cursor: string | undefined;
    do {
      const page = await trail.recordsOf(purpose, day, { limit: 9, ...(cursor ? { cursor } : {}) });
      read.push(...page.items);
      cursor = page.next;
    } while (cursor);
    expect(read.map((r) => r.kind === 'RECORD' && r.requestId)).toEqual(legacy.map((l) => l.requestId));
    expect((await trail.accessesTo('85073003328', { limit: 20 })).items).toHaveLength(8);

    // Twice changes nothing: this purpose's records are moved already.
    await shardLegacyAudit(dynamodb, table, 8);
    for (const item of legacy) expect((await doc.send(new GetCommand({ TableName: table, Key: auditItemKey(purpose, item.sk, 8) }))).Item).toBeDefined();
  });

  it('are read under the largest count a day was written with, after AUDIT_SHARDS changed either way', async () => {
    const table = targetValue('AUDIT_TABLE');
    const purpose = `RESHARD-${randomUUID()}`;
    const day = '2101-07-02';
    const pseudonymiser = testPseudonymiser({ v1: `reshard-${randomUUID()}` });
    let now = Date.parse(`${day}T08:00:00Z`);
    const clock = () => {
      now += 1_000;
      return new Date(now);
    };
    const ids: string[] = [];
    for (const shards of [4, 32, 2]) {
      const trail = new AuditTrail(doc, table, pseudonymiser, clock, {}, shards);
      for (let i = 0; i < 12; i++) {
        const requestId = randomUUID();
        ids.push(requestId);
        await trail.record({ purpose, deliberation: '24/012', requestId, actorRole: 'citizen', outcome: 'ALLOWED', status: 200 });
      }
    }
    for (const shards of [1, 16]) {
      const reader = new AuditTrail(doc, table, pseudonymiser, clock, {}, shards);
      const items = (await reader.recordsOf(purpose, day, { limit: 100 })).items;
      expect(items.map((r) => r.kind === 'RECORD' && r.requestId)).toEqual(ids);
    }
  });
});
