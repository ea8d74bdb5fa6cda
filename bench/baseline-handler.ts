import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** The cold-start baseline: a function that only creates a DynamoDB client and returns. */
const client = new DynamoDBClient({ region: 'eu-west-1' });

export const handler = async () => ({ statusCode: 200, body: String(Boolean(client)) });
