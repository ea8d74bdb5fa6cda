import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { paginateScan, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../shared/aws/clients.js';
import { auditItemKey, auditShardsKey, LEGACY_AUDIT_PARTITION } from '../shared/storage/audit-keys.js';
import { AUDIT_TRAIL_PURPOSE } from '../shared/storage/audit-records.js';
import { RetentionRepository } from '../shared/storage/retention-repository.js';

/**
 * Data kept on disk by an `npm start` from before the audit trail was sharded (issue 26)
 * holds records under one partition key per purpose and day, `AUDIT#<purpose>#<day>`: at
 * start, each is moved to the shard its sort key hashes to (`auditItemKey`, the count given:
 * the functions' AUDIT_SHARDS), with every attribute (its expiry and subject hash included,
 * so the access log still finds it), and the day's shard-count item records that count.
 * Each move is one transaction (put the new item, delete the old one, conditional on it still
 * being there), so a move is never half done and two starts never move one record twice.
 * Refusals before authentication stored one per request before stay so (they expire within 90 days).
 */
export const shardLegacyAudit = async (dynamodb: DynamoDBClient, table: string, shards: number): Promise<{ moved: number; days: number }> => {
  const doc = createDocumentClient(dynamodb);
  const markers = new RetentionRepository(doc, table, AUDIT_TRAIL_PURPOSE);
  const days = new Set<string>();
  let moved = 0;
  const pages = paginateScan(
    { client: doc },
    { TableName: table, FilterExpression: 'begins_with(pk, :audit) AND attribute_exists(sk)', ExpressionAttributeValues: { ':audit': 'AUDIT#' } },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const pk = String(item.pk);
      if (!LEGACY_AUDIT_PARTITION.test(pk)) continue;
      const [, purpose, day] = pk.split('#') as [string, string, string];
      const id = `${purpose}#${day}`;
      if (!days.has(id)) {
        // The day's shard count first: a reader finds the record as soon as it is moved.
        await markers.update(
          auditShardsKey(purpose, day),
          { add: { shardCounts: new Set([shards]) }, set: { purpose, day } },
          new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000),
        );
        days.add(id);
      }
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: table, Item: { ...item, ...auditItemKey(purpose, String(item.sk), shards) } } },
              { Delete: { TableName: table, Key: { pk, sk: item.sk }, ConditionExpression: 'attribute_exists(pk)' } },
            ],
          }),
        );
        moved++;
      } catch (error) {
        // Moved meanwhile by another start: nothing left to do.
        if ((error as Error).name !== 'TransactionCanceledException') throw error;
      }
    }
  }
  return { moved, days: days.size };
};
