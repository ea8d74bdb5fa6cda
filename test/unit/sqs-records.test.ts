import { describe, expect, it } from 'vitest';
import type { SQSRecord } from 'aws-lambda';
import { failedMessageIds, toSqsRecord } from '../../local/sqs-event-source.js';

const record = (messageId: string) => ({ messageId }) as SQSRecord;
const batch = [record('a'), record('b'), record('c')];

describe('failedMessageIds (Lambda partial batch response rules)', () => {
  it('keeps exactly the reported ids', () => {
    expect([...failedMessageIds(batch, { batchItemFailures: [{ itemIdentifier: 'b' }] }, true)]).toEqual(['b']);
  });

  it('treats an empty report as full success', () => {
    expect(failedMessageIds(batch, { batchItemFailures: [] }, true).size).toBe(0);
    expect(failedMessageIds(batch, undefined, true).size).toBe(0);
  });

  it('fails the whole batch when a reported id is not in it or is empty', () => {
    expect(failedMessageIds(batch, { batchItemFailures: [{ itemIdentifier: 'zzz' }] }, true).size).toBe(3);
    expect(failedMessageIds(batch, { batchItemFailures: [{ itemIdentifier: '' }] }, true).size).toBe(3);
  });

  it('ignores a report when the trigger does not enable ReportBatchItemFailures', () => {
    expect(failedMessageIds(batch, { batchItemFailures: [{ itemIdentifier: 'b' }] }, false).size).toBe(0);
  });
});

describe('toSqsRecord', () => {
  it('builds the record shape Lambda delivers', () => {
    const r = toSqsRecord(
      {
        MessageId: 'm1',
        ReceiptHandle: 'rh',
        Body: '{"x":1}',
        MD5OfBody: 'md5',
        Attributes: { ApproximateReceiveCount: '2', SentTimestamp: '10', SenderId: 's', ApproximateFirstReceiveTimestamp: '11' },
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'claim' } },
      },
      'arn:aws:sqs:eu-west-1:000000000000:q',
      'eu-west-1',
    );
    expect(r).toEqual({
      messageId: 'm1',
      receiptHandle: 'rh',
      body: '{"x":1}',
      attributes: { ApproximateReceiveCount: '2', SentTimestamp: '10', SenderId: 's', ApproximateFirstReceiveTimestamp: '11' },
      messageAttributes: { kind: { dataType: 'String', stringValue: 'claim', stringListValues: [], binaryListValues: [] } },
      md5OfBody: 'md5',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:q',
      awsRegion: 'eu-west-1',
    });
  });
});
