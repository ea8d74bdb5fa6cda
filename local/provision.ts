import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { QueueDefinition, ServiceDefinition, TableDefinition } from './service-definition.js';

export interface ProvisionedQueue {
  url: string;
  arn: string;
}

export interface Provisioned {
  tables: Record<string, string>;
  queues: Record<string, ProvisionedQueue>;
  /** Indexes added to tables that existed without them (data kept on disk by an older version). */
  addedIndexes: Record<string, string[]>;
}

/** Waits until every index of the table is ACTIVE (bounded: 240 polls of 250 ms, a minute). */
const waitForIndexes = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  for (let poll = 0; poll < 240; poll++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if ((Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE' || i.IndexStatus === undefined)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${tableName}: its indexes did not become active within a minute`);
};

/**
 * Creates the table if missing, adds the indexes serverless.yml declares that a table kept
 * on disk from an older version lacks, and turns TTL on; running it twice changes nothing.
 * Returns the indexes it added (items written before them are not in them).
 */
export const provisionTable = async (client: DynamoDBClient, table: TableDefinition): Promise<string[]> => {
  const added: string[] = [];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table.tableName,
        AttributeDefinitions: table.attributeDefinitions,
        KeySchema: table.keySchema,
        BillingMode: 'PAY_PER_REQUEST',
        ...(table.globalSecondaryIndexes.length > 0 ? { GlobalSecondaryIndexes: table.globalSecondaryIndexes } : {}),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table.tableName }));
    const existing = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    // An index an interrupted start left building must finish before another is asked for.
    if (table.globalSecondaryIndexes.some((i) => !existing.has(i.IndexName))) await waitForIndexes(client, table.tableName);
    for (const index of table.globalSecondaryIndexes.filter((i) => !existing.has(i.IndexName))) {
      const names = new Set(index.KeySchema?.map((k) => k.AttributeName));
      await client.send(
        new UpdateTableCommand({
          TableName: table.tableName,
          AttributeDefinitions: table.attributeDefinitions.filter((a) => names.has(a.AttributeName)),
          GlobalSecondaryIndexUpdates: [{ Create: index }],
        }),
      );
      added.push(index.IndexName!);
      // DynamoDB (and DynamoDB Local) builds one index at a time per table: wait for this one
      // before asking for the next (found when a table lacked two indexes at once).
      await waitForIndexes(client, table.tableName);
    }
  }
  if (table.ttlAttribute) {
    const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: table.tableName }));
    if (TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: table.tableName,
          TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
        }),
      );
    }
  }
  return added;
};

const existingQueueUrl = async (client: SQSClient, queueName: string): Promise<string | undefined> => {
  try {
    return (await client.send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl;
  } catch (error) {
    if (error instanceof QueueDoesNotExist || (error as Error).name === 'AWS.SimpleQueueService.NonExistentQueue') return undefined;
    throw error;
  }
};

/** Creates or updates one queue; its dead-letter queue must already be provisioned. */
export const provisionQueue = async (client: SQSClient, queue: QueueDefinition, provisioned: Record<string, ProvisionedQueue>): Promise<ProvisionedQueue> => {
  const attributes: Record<string, string> = { ...queue.attributes };
  if (queue.redrive) {
    const dlq = provisioned[queue.redrive.deadLetterLogicalId];
    if (!dlq) throw new Error(`${queue.logicalId}: dead-letter queue ${queue.redrive.deadLetterLogicalId} is not declared`);
    attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: queue.redrive.maxReceiveCount });
  }
  let url = await existingQueueUrl(client, queue.queueName);
  if (url) await client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
  else url = (await client.send(new CreateQueueCommand({ QueueName: queue.queueName, Attributes: attributes }))).QueueUrl!;
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { url, arn: Attributes!.QueueArn! };
};

/** Dead-letter queues first, so every redrive policy can name an existing ARN. */
export const orderQueuesForRedrive = (queues: QueueDefinition[]): QueueDefinition[] => {
  const ordered: QueueDefinition[] = [];
  const visit = (queue: QueueDefinition, path: string[]) => {
    if (ordered.includes(queue)) return;
    if (path.includes(queue.logicalId)) throw new Error(`redrive cycle: ${[...path, queue.logicalId].join(' -> ')}`);
    const dlq = queue.redrive && queues.find((q) => q.logicalId === queue.redrive!.deadLetterLogicalId);
    if (queue.redrive && !dlq) throw new Error(`${queue.logicalId}: dead-letter queue ${queue.redrive.deadLetterLogicalId} is not declared`);
    if (dlq) visit(dlq, [...path, queue.logicalId]);
    ordered.push(queue);
  };
  for (const queue of queues) visit(queue, []);
  return ordered;
};

export const provision = async (
  definition: Pick<ServiceDefinition, 'tables' | 'queues'>,
  clients: { dynamodb: DynamoDBClient; sqs: SQSClient },
): Promise<Provisioned> => {
  const added = await Promise.all(definition.tables.map(async (table) => [table.tableName, await provisionTable(clients.dynamodb, table)] as const));
  const queues: Record<string, ProvisionedQueue> = {};
  for (const queue of orderQueuesForRedrive(definition.queues)) {
    queues[queue.logicalId] = await provisionQueue(clients.sqs, queue, queues);
  }
  return {
    tables: Object.fromEntries(definition.tables.map((t) => [t.logicalId, t.tableName])),
    queues,
    addedIndexes: Object.fromEntries(added.filter(([, indexes]) => indexes.length > 0)),
  };
};
