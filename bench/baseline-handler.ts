import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

/**
 * The cold-start baseline: a function that creates a DynamoDB client and, when invoked,
 * reads one item (the least a function of this service does on its first call).
 */
const client = new DynamoDBClient({});

export const handler = async () => {
  const { Item } = await client.send(new GetItemCommand({ TableName: process.env.CLAIMS_TABLE!, Key: { pk: { S: 'BASELINE' }, sk: { S: 'BASELINE' } } }));
  return { statusCode: 200, body: String(Boolean(Item)) };
};
