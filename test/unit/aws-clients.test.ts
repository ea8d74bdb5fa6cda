import { Readable } from 'node:stream';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoDbClient, createKmsClient, createSqsClient } from '../../shared/aws/clients.js';

const cfg = { region: 'eu-west-1', endpoints: { dynamodb: 'http://127.0.0.1:1', sqs: 'http://127.0.0.1:1', kms: 'http://127.0.0.1:1' } } as never;

/** Answers every request with one item, in memory. */
const answering = {
  handle: async () => ({
    response: {
      statusCode: 200,
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: Readable.from([Buffer.from(JSON.stringify({ Item: { pk: { S: 'CLAIM#1' } } }))]),
    },
  }),
  updateHttpClientConfig: () => {},
  httpHandlerConfigs: () => ({}),
};

const logged = async (client: DynamoDBClient) => {
  const lines: unknown[] = [];
  const spy = { debug: () => {}, info: (line: unknown) => lines.push(line), warn: () => {}, error: (line: unknown) => lines.push(line) };
  Object.assign(client.config, { logger: spy, requestHandler: answering, credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }) });
  const { Item } = await client.send(new GetItemCommand({ TableName: 'claims', Key: { pk: { S: 'CLAIM#1' } } }));
  return { Item, lines };
};

describe('AWS clients', () => {
  it('send no request or answer to a logger: the SDK walks each one through its filter for a logger that drops it', async () => {
    // The SDK's own client logs (the guard: the middleware is still called so).
    const plain = await logged(new DynamoDBClient({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:1' }));
    expect(plain.lines.length).toBe(1);
    const ours = await logged(createDynamoDbClient(cfg));
    expect(ours.Item).toEqual({ pk: { S: 'CLAIM#1' } });
    expect(ours.lines).toEqual([]);
  });

  it('every client the functions build leaves the logger out', () => {
    for (const client of [createDynamoDbClient(cfg), createSqsClient(cfg), createKmsClient(cfg)])
      expect(client.middlewareStack.identify().some((m) => m.startsWith('loggerMiddleware'))).toBe(false);
    expect(new DynamoDBClient({}).middlewareStack.identify().some((m) => m.startsWith('loggerMiddleware'))).toBe(true);
  });
});
