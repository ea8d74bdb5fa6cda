import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import type { Context, SQSRecord } from 'aws-lambda';

/** A Lambda context as the runtime passes it; enough for middy and Powertools. */
export const lambdaContext = (functionName = 'test-function'): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:eu-west-1:000000000000:function:${functionName}`,
  memoryLimitInMB: '512',
  awsRequestId: `req-${Math.random().toString(36).slice(2)}`,
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 10_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
});

/** One of the sample events in events/, as `invoke local` reads it. */
export const eventFile = async <T = any>(name: string): Promise<T> => JSON.parse(await readFile(new URL(`../../events/${name}`, import.meta.url), 'utf8')) as T;

/** An SQS record as Lambda's event source mapping delivers it (every system attribute set). */
export const sqsRecord = (body: string, messageId: string = randomUUID()): SQSRecord => ({
  messageId,
  receiptHandle: messageId,
  body,
  attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1731664800000', SenderId: 'AIDAEXAMPLE', ApproximateFirstReceiveTimestamp: '1731664800000' },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:q',
  awsRegion: 'eu-west-1',
});
