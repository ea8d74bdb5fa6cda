import { describe, expect, it } from 'vitest';
import { extractServiceDefinition } from '../../local/service-definition.js';
import { orderQueuesForRedrive } from '../../local/provision.js';

const resolved = {
  service: 'svc',
  provider: { stage: 'local', region: 'eu-west-1', environment: { A: 'a', REF: { Ref: 'X' } } },
  functions: {
    consume: {
      name: 'svc-local-consume',
      handler: 'functions/consume.handler',
      events: [{ sqs: { arn: { 'Fn::GetAtt': ['Work', 'Arn'] }, batchSize: 5, maximumBatchingWindow: 2, functionResponseType: 'ReportBatchItemFailures' } }],
    },
    api: { name: 'svc-local-api', handler: 'functions/api.handler', events: [{ httpApi: { method: 'GET', path: '/' } }] },
  },
  resources: {
    Resources: {
      Table: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          TableName: 't',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        },
      },
      Work: {
        Type: 'AWS::SQS::Queue',
        Properties: {
          QueueName: 'work',
          VisibilityTimeout: '5',
          SqsManagedSseEnabled: true,
          RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dead', 'Arn'] }, maxReceiveCount: '3' },
        },
      },
      Dead: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'dead' } },
      Role: { Type: 'AWS::IAM::Role', Properties: {} },
    },
  },
};

describe('extractServiceDefinition', () => {
  const definition = extractServiceDefinition(resolved);

  it('reads tables with their keys and TTL attribute', () => {
    expect(definition.tables).toEqual([
      {
        logicalId: 'Table',
        tableName: 't',
        attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        globalSecondaryIndexes: [],
        ttlAttribute: 'expiresAt',
      },
    ]);
  });

  it('reads queues with SQS attributes as strings and the redrive target by logical id', () => {
    const work = definition.queues.find((q) => q.logicalId === 'Work');
    expect(work).toEqual({
      logicalId: 'Work',
      queueName: 'work',
      attributes: { VisibilityTimeout: '5' },
      redrive: { deadLetterLogicalId: 'Dead', maxReceiveCount: 3 },
    });
  });

  it('reads SQS triggers with batch settings and partial-failure reporting', () => {
    expect(definition.sqsTriggers).toEqual([
      {
        functionKey: 'consume',
        functionName: 'svc-local-consume',
        queueLogicalId: 'Work',
        batchSize: 5,
        maximumBatchingWindowSeconds: 2,
        reportBatchItemFailures: true,
      },
    ]);
  });

  it('keeps only plain-string environment values', () => {
    expect(definition.environment).toEqual({ A: 'a' });
  });

  it('accepts a redrive policy given as a JSON string', () => {
    const copy = structuredClone(resolved);
    (copy.resources.Resources.Work.Properties as Record<string, unknown>).RedrivePolicy = JSON.stringify({
      deadLetterTargetArn: { 'Fn::GetAtt': 'Dead.Arn' },
      maxReceiveCount: 2,
    });
    expect(extractServiceDefinition(copy).queues.find((q) => q.logicalId === 'Work')?.redrive).toEqual({
      deadLetterLogicalId: 'Dead',
      maxReceiveCount: 2,
    });
  });

  it('orders dead-letter queues before the queues that redrive to them', () => {
    expect(orderQueuesForRedrive(definition.queues).map((q) => q.logicalId)).toEqual(['Dead', 'Work']);
  });

  it('refuses a redrive to an undeclared queue', () => {
    const queues = [{ logicalId: 'A', queueName: 'a', attributes: {}, redrive: { deadLetterLogicalId: 'Nope', maxReceiveCount: 1 } }];
    expect(() => orderQueuesForRedrive(queues)).toThrowError(/Nope is not declared/);
  });
});
