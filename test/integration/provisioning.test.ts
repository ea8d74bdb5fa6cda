import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { provision, provisionTable } from '../../local/provision.js';
import { loadServiceDefinition } from '../../local/service-definition.js';
import { targetClients } from '../support/aws.js';
import { isExternalTarget, targetEnv } from '../support/target.js';

// The emulator holds what serverless.yml declares: same keys, indexes, TTL and redrive.
const clients = targetClients();
const definition = await loadServiceDefinition('local', { ...process.env, ...targetEnv() });
afterAll(() => {
  clients.dynamodb.destroy();
  clients.sqs.destroy();
});

describe('storage provisioned from serverless.yml', () => {
  it('declares at least one table, and every one expires items through TTL', () => {
    expect(definition.tables.length).toBeGreaterThanOrEqual(3);
    for (const table of definition.tables) expect(table.ttlAttribute, table.logicalId).toBeTruthy();
  });

  it.each(definition.tables.map((t) => [t.logicalId, t] as const))('%s exists with its keys, indexes and TTL', async (_, table) => {
    const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: table.tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual(table.keySchema);
    expect((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName).sort()).toEqual(table.globalSecondaryIndexes.map((i) => i.IndexName).sort());
    const { TimeToLiveDescription } = await clients.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: table.tableName }));
    expect(TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: table.ttlAttribute });
  });
});

describe('queues provisioned from serverless.yml', () => {
  it.skipIf(isExternalTarget())('adds to a table kept from an older version the indexes it lacks, and says so; twice changes nothing', async () => {
    const claims = definition.tables.find((t) => t.logicalId === 'ClaimsTable')!;
    const keys = new Set(claims.keySchema.map((k) => k.AttributeName));
    const old = {
      ...claims,
      tableName: `old-claims-${Date.now()}`,
      attributeDefinitions: claims.attributeDefinitions.filter((a) => keys.has(a.AttributeName)),
      globalSecondaryIndexes: [],
    };
    expect(await provisionTable(clients.dynamodb, old)).toEqual([]);
    const upgraded = { ...claims, tableName: old.tableName };
    expect((await provisionTable(clients.dynamodb, upgraded)).sort()).toEqual(claims.globalSecondaryIndexes.map((i) => i.IndexName).sort());
    const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: old.tableName }));
    expect((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName).sort()).toEqual(claims.globalSecondaryIndexes.map((i) => i.IndexName).sort());
    // One index at a time, each active before the next is asked for (DynamoDB's limit per table).
    expect((Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE')).toBe(true);
    expect(await provisionTable(clients.dynamodb, upgraded)).toEqual([]);
  });

  it('gives the claim queue a redrive policy to its dead-letter queue', async () => {
    const env = targetEnv();
    const claims = definition.queues.find((q) => q.logicalId === 'ClaimQueue')!;
    const { Attributes } = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: env.CLAIM_QUEUE_URL, AttributeNames: ['RedrivePolicy', 'VisibilityTimeout'] }),
    );
    const { Attributes: dlq } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: env.CLAIM_DLQ_URL, AttributeNames: ['QueueArn'] }));
    expect(JSON.parse(Attributes!.RedrivePolicy!)).toEqual({
      deadLetterTargetArn: dlq!.QueueArn,
      maxReceiveCount: claims.redrive!.maxReceiveCount,
    });
    expect(Attributes!.VisibilityTimeout).toBe(claims.attributes.VisibilityTimeout);
  });

  it.skipIf(isExternalTarget())('provisions again without error and without changing anything', async () => {
    const again = await provision(definition, clients);
    expect(again.queues.ClaimQueue!.url).toBe(targetEnv().CLAIM_QUEUE_URL);
    expect(again.queues.ClaimDeadLetterQueue!.url).toBe(targetEnv().CLAIM_DLQ_URL);
    expect(Object.values(again.tables).sort()).toEqual(definition.tables.map((t) => t.tableName).sort());
  });
});
