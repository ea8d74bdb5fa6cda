/**
 * `npm run retention:report`: per table, the item count, the oldest expiry and how many
 * items are past their expiry or have none (both must be 0 after `npm run retention:purge`).
 * Reads the tables of the `local` stage from serverless.yml; point it elsewhere with
 * AWS_ENDPOINT_URL_DYNAMODB (and STAGE for another stage's table names).
 */
import { localEndpoints } from './endpoints.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '../shared/aws/clients.js';
import { retentionReport } from '../shared/storage/retention-repository.js';
import { loadServiceDefinition } from './service-definition.js';

const stage = process.env.STAGE ?? 'local';
const definition = await loadServiceDefinition(stage);
const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? (stage === 'local' ? localEndpoints().AWS_ENDPOINT_URL_DYNAMODB : undefined);
const client = new DynamoDBClient({
  region: process.env.AWS_REGION ?? definition.region ?? 'eu-west-1',
  ...(endpoint ? { endpoint } : {}),
  ...(stage === 'local' ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
});
const doc = createDocumentClient(client);
let bad = 0;
try {
  const rows = [];
  for (const table of definition.tables) {
    const row = await retentionReport(doc, { name: table.tableName, ...(table.ttlAttribute ? { ttlAttribute: table.ttlAttribute } : {}) });
    bad += row.pastExpiry + row.withoutExpiry;
    rows.push({
      table: table.logicalId,
      items: row.items,
      'oldest expiry': row.oldestExpiry ?? '-',
      'past expiry': row.pastExpiry,
      'no expiry': row.withoutExpiry,
    });
  }
  console.table(rows);
} catch (error) {
  console.error(`retention report failed (is the local cloud running? npm start): ${(error as Error).message}`);
  process.exit(2);
} finally {
  client.destroy();
}
if (bad > 0) console.log(`${bad} item(s) past expiry or without one: run npm run retention:purge`);
