import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { HttpSourceClient } from '../sources/http-source.js';

export type DependencyKind = 'table' | 'queue' | 'source' | 'database';

export interface DependencyStatus {
  name: string;
  kind: DependencyKind;
  status: 'up' | 'down';
  detail?: string;
  /** Queues only: messages waiting (the emulator also counts in-flight ones). */
  messages?: number;
}

export interface HealthReport {
  status: 'up' | 'down';
  dependencies: DependencyStatus[];
}

export interface HealthTargets {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  tables: Record<string, string>;
  queues: Record<string, string>;
  sources: HttpSourceClient[];
  /** Other dependencies, each probed by a call that throws when it is down (the container's PostgreSQL). */
  probes?: Record<string, () => Promise<void>>;
}

const checkProbe = async (name: string, probe: () => Promise<void>): Promise<DependencyStatus> => {
  try {
    await probe();
    return { name, kind: 'database', status: 'up' };
  } catch (error) {
    return { name, kind: 'database', status: 'down', detail: describeError(error) };
  }
};

const describeError = (error: unknown): string => (error instanceof Error ? (error.name === 'Error' ? error.message : error.name) : 'unknown error');

const checkTable = async (client: DynamoDBClient, name: string, tableName: string): Promise<DependencyStatus> => {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table?.TableStatus === 'ACTIVE'
      ? { name, kind: 'table', status: 'up' }
      : { name, kind: 'table', status: 'down', detail: `table status ${Table?.TableStatus ?? 'unknown'}` };
  } catch (error) {
    return { name, kind: 'table', status: 'down', detail: describeError(error) };
  }
};

const checkQueue = async (client: SQSClient, name: string, queueUrl: string): Promise<DependencyStatus> => {
  try {
    const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    return { name, kind: 'queue', status: 'up', messages: Number(Attributes?.ApproximateNumberOfMessages ?? 0) };
  } catch (error) {
    return { name, kind: 'queue', status: 'down', detail: describeError(error) };
  }
};

const checkSource = async (source: HttpSourceClient): Promise<DependencyStatus> => {
  try {
    const { status } = await source.getJson('/health');
    return status === 200
      ? { name: source.name, kind: 'source', status: 'up' }
      : { name: source.name, kind: 'source', status: 'down', detail: `health answered ${status}` };
  } catch (error) {
    return { name: source.name, kind: 'source', status: 'down', detail: describeError(error) };
  }
};

/** Checks every dependency in parallel; one that is down never hides the others. */
export const checkDependencies = async (targets: HealthTargets): Promise<HealthReport> => {
  const dependencies = await Promise.all([
    ...Object.entries(targets.tables).map(([name, table]) => checkTable(targets.dynamodb, name, table)),
    ...Object.entries(targets.queues).map(([name, url]) => checkQueue(targets.sqs, name, url)),
    ...targets.sources.map(checkSource),
    ...Object.entries(targets.probes ?? {}).map(([name, probe]) => checkProbe(name, probe)),
  ]);
  return { status: dependencies.every((d) => d.status === 'up') ? 'up' : 'down', dependencies };
};
