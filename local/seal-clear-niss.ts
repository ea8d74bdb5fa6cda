import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { paginateScan, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../shared/aws/clients.js';
import type { FieldCipher } from '../shared/privacy/field-cipher.js';
import type { Pseudonymiser } from '../shared/privacy/pseudonymiser.js';
import { trainingLeaveReimbursement } from '../shared/purposes/catalogue.js';

/**
 * Data kept on disk by an `npm start` from before claims were sealed (issue 24) holds
 * `workerNiss` in clear: at start, each such claim gets its subject hash and its sealed
 * NISS, and each such premium check its subject hash, and the clear NISS is removed. Each
 * update is conditional on the clear NISS still being there, so two starts never seal twice.
 */
export const sealClearNiss = async (
  dynamodb: DynamoDBClient,
  tables: { claims: string; premiumChecks: string },
  { pseudonymiser, cipher }: { pseudonymiser: Pseudonymiser; cipher: FieldCipher },
): Promise<{ claims: number; premiumChecks: number }> => {
  const doc = createDocumentClient(dynamodb);
  const withClearNiss = async function* (table: string) {
    const pages = paginateScan({ client: doc }, { TableName: table, FilterExpression: 'attribute_exists(workerNiss)' });
    for await (const page of pages) for (const item of page.Items ?? []) yield item as { pk: string; sk: string; workerNiss: string; claimId?: string };
  };
  const seal = async (table: string, key: { pk: string; sk: string }, values: Record<string, string>) => {
    const names = Object.keys(values);
    await doc
      .send(
        new UpdateCommand({
          TableName: table,
          Key: key,
          UpdateExpression: `SET ${names.map((n) => `#${n} = :${n}`).join(', ')} REMOVE workerNiss`,
          ConditionExpression: 'attribute_exists(workerNiss)',
          ExpressionAttributeNames: Object.fromEntries(names.map((n) => [`#${n}`, n])),
          ExpressionAttributeValues: Object.fromEntries(names.map((n) => [`:${n}`, values[n]])),
        }),
      )
      .catch((error: Error) => {
        if (error.name !== 'ConditionalCheckFailedException') throw error;
      });
  };
  const done = { claims: 0, premiumChecks: 0 };
  for await (const item of withClearNiss(tables.claims)) {
    if (!item.claimId) continue;
    const context = { purpose: trainingLeaveReimbursement.id, field: 'workerNiss', itemId: item.claimId };
    const [workerSubject, workerNissSealed] = await Promise.all([pseudonymiser.subject(item.workerNiss), cipher.seal(item.workerNiss, context)]);
    await seal(tables.claims, { pk: item.pk, sk: item.sk }, { workerSubject, workerNissSealed });
    done.claims++;
  }
  for await (const item of withClearNiss(tables.premiumChecks)) {
    await seal(tables.premiumChecks, { pk: item.pk, sk: item.sk }, { workerSubject: await pseudonymiser.subject(item.workerNiss) });
    done.premiumChecks++;
  }
  return done;
};
