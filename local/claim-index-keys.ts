import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { paginateScan, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../shared/aws/clients.js';
import { settings } from '../shared/config/env.js';
import type { ClaimStatus } from '../shared/domain/training-leave/ports.js';
import { listAttributes } from '../shared/storage/claims.js';
import { shardedKey } from '../shared/storage/sharded-index.js';

/**
 * Claims kept on disk by an `npm start` from before the list indexes were sharded and
 * filtered by key (issue 26) carry `listAll = CLAIMS`, `listEmployer = EMPLOYER#<enterprise>`
 * and `provisional = PROVISIONAL`, and none of the keys of the indexes added since. At start
 * each claim item whose list keys are not the ones ClaimStore writes now (for this shard
 * count) gets them, so it is in every list again; with a shard count changed, the items move
 * to their new shards. Each update is conditional on the claim's status (and its
 * provisional key) still being what was read, so a decision, settlement or withdrawal
 * meanwhile, which writes its own keys, is never undone; running it twice changes nothing.
 * A claim in the waiting index gets its sharded partition (`waiting = RECEIVED#<shard>`);
 * its sort key (`waitingSince`) is left as it is.
 *
 * The same function rewrites a deployed table (a one-off with the stage's credentials),
 * after the indexes exist and before the code that reads them is deployed.
 */
export const rewriteClaimIndexKeys = async (
  dynamodb: DynamoDBClient,
  table: string,
  shards: number = settings().claimIndexShards,
  now: Date = new Date(),
): Promise<{ scanned: number; rewritten: number }> => {
  const doc = createDocumentClient(dynamodb);
  const done = { scanned: 0, rewritten: 0 };
  const pages = paginateScan(
    { client: doc },
    {
      TableName: table,
      FilterExpression: 'begins_with(pk, :claim) AND sk = :sk AND expiresAt > :now',
      ExpressionAttributeValues: { ':claim': 'CLAIM#', ':sk': 'CLAIM', ':now': Math.floor(now.getTime() / 1000) },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      done.scanned++;
      const claim = item as {
        pk: string;
        sk: string;
        claimId: string;
        status: ClaimStatus;
        employerEnterpriseNumber: string;
        submittedAt: string;
        schoolYear: string;
        provisional?: string;
        waiting?: string;
      };
      const wanted: Record<string, string> = {
        ...listAttributes(claim, claim.status, shards),
        ...(claim.provisional !== undefined ? { provisional: shardedKey('PROVISIONAL', claim.claimId, shards) } : {}),
        ...(claim.waiting !== undefined ? { waiting: shardedKey('RECEIVED', claim.claimId, shards) } : {}),
      };
      const changed = Object.entries(wanted).filter(([name, value]) => item[name] !== value);
      if (changed.length === 0) continue;
      const names: Record<string, string> = { '#status': 'status' };
      const values: Record<string, unknown> = { ':status': claim.status };
      changed.forEach(([name, value], i) => {
        names[`#a${i}`] = name;
        values[`:a${i}`] = value;
      });
      if (claim.provisional !== undefined) {
        names['#provisional'] = 'provisional';
        values[':provisional'] = claim.provisional;
      }
      try {
        await doc.send(
          new UpdateCommand({
            TableName: table,
            Key: { pk: claim.pk, sk: claim.sk },
            UpdateExpression: `SET ${changed.map((_, i) => `#a${i} = :a${i}`).join(', ')}`,
            ConditionExpression: claim.provisional !== undefined ? '#status = :status AND #provisional = :provisional' : '#status = :status',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        done.rewritten++;
      } catch (error) {
        // Changed since it was read: what changed it wrote the keys of its new state.
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
  }
  return done;
};
