import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { AttributeDefinition, GlobalSecondaryIndex, KeySchemaElement } from '@aws-sdk/client-dynamodb';

/**
 * The tables, queues and SQS triggers declared in serverless.yml, as the emulators
 * need them. serverless.yml stays the single source of truth: we read the
 * Framework's own resolution of it (`osls print`), never a copy.
 */
export interface TableDefinition {
  logicalId: string;
  tableName: string;
  attributeDefinitions: AttributeDefinition[];
  keySchema: KeySchemaElement[];
  globalSecondaryIndexes: GlobalSecondaryIndex[];
  ttlAttribute?: string;
}

export interface QueueDefinition {
  logicalId: string;
  queueName: string;
  /** SQS queue attributes (strings), without the redrive policy. */
  attributes: Record<string, string>;
  redrive?: { deadLetterLogicalId: string; maxReceiveCount: number };
}

export interface SqsTriggerDefinition {
  functionKey: string;
  functionName: string;
  queueLogicalId: string;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  reportBatchItemFailures: boolean;
}

export interface ServiceDefinition {
  service: string;
  stage: string;
  region: string;
  environment: Record<string, string>;
  /** The origins the gateway's CORS admits (provider.httpApi.cors.allowedOrigins); none without CORS. */
  corsAllowedOrigins: string[];
  functions: { key: string; name: string; handler: string }[];
  tables: TableDefinition[];
  queues: QueueDefinition[];
  sqsTriggers: SqsTriggerDefinition[];
}

type Json = Record<string, any>;

// Attributes the emulator and SQS both understand; encryption flags are cloud-only.
const QUEUE_ATTRIBUTES = [
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'FifoQueue',
  'ContentBasedDeduplication',
] as const;

const logicalIdOfArn = (value: unknown, where: string): string => {
  const getAtt = (value as Json | undefined)?.['Fn::GetAtt'];
  const [logicalId, attribute] = Array.isArray(getAtt) ? getAtt : String(getAtt ?? '').split('.');
  if (!logicalId || attribute !== 'Arn') throw new Error(`${where}: expected !GetAtt <Queue>.Arn, got ${JSON.stringify(value)}`);
  return logicalId;
};

/** Pure translation of the resolved configuration; exported for tests. */
export const extractServiceDefinition = (resolved: Json): ServiceDefinition => {
  const resources: Record<string, Json> = resolved.resources?.Resources ?? {};
  const tables: TableDefinition[] = [];
  const queues: QueueDefinition[] = [];

  for (const [logicalId, resource] of Object.entries(resources)) {
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::DynamoDB::Table') {
      const ttl = props.TimeToLiveSpecification;
      tables.push({
        logicalId,
        tableName: props.TableName,
        attributeDefinitions: props.AttributeDefinitions,
        keySchema: props.KeySchema,
        globalSecondaryIndexes: props.GlobalSecondaryIndexes ?? [],
        ...(ttl?.Enabled === true || ttl?.Enabled === 'true' ? { ttlAttribute: ttl.AttributeName } : {}),
      });
    } else if (resource.Type === 'AWS::SQS::Queue') {
      const attributes: Record<string, string> = {};
      for (const name of QUEUE_ATTRIBUTES) if (props[name] !== undefined) attributes[name] = String(props[name]);
      const redrivePolicy = typeof props.RedrivePolicy === 'string' ? JSON.parse(props.RedrivePolicy) : props.RedrivePolicy;
      queues.push({
        logicalId,
        queueName: props.QueueName,
        attributes,
        ...(redrivePolicy
          ? {
              redrive: {
                deadLetterLogicalId: logicalIdOfArn(redrivePolicy.deadLetterTargetArn, `${logicalId}.RedrivePolicy`),
                maxReceiveCount: Number(redrivePolicy.maxReceiveCount),
              },
            }
          : {}),
      });
    }
  }

  const functions = Object.entries<Json>(resolved.functions ?? {}).map(([key, fn]) => ({
    key,
    name: fn.name as string,
    handler: fn.handler as string,
  }));
  const sqsTriggers: SqsTriggerDefinition[] = Object.entries<Json>(resolved.functions ?? {}).flatMap(([key, fn]) =>
    (fn.events ?? [])
      .filter((event: Json) => event.sqs)
      .map((event: Json) => {
        const sqs = typeof event.sqs === 'string' ? { arn: event.sqs } : event.sqs;
        return {
          functionKey: key,
          functionName: fn.name,
          queueLogicalId: logicalIdOfArn(sqs.arn, `functions.${key}.events.sqs.arn`),
          batchSize: Number(sqs.batchSize ?? 10),
          maximumBatchingWindowSeconds: Number(sqs.maximumBatchingWindow ?? 0),
          reportBatchItemFailures: sqs.functionResponseType === 'ReportBatchItemFailures',
        };
      }),
  );

  return {
    service: typeof resolved.service === 'string' ? resolved.service : resolved.service?.name,
    stage: resolved.provider?.stage,
    region: resolved.provider?.region,
    environment: Object.fromEntries(Object.entries<unknown>(resolved.provider?.environment ?? {}).filter(([, v]) => typeof v === 'string')) as Record<
      string,
      string
    >,
    corsAllowedOrigins: corsAllowedOriginsOf(resolved.provider?.httpApi?.cors),
    functions,
    tables,
    queues,
    sqsTriggers,
  };
};

/** `cors: true` is the Framework's default policy, any origin; an object names its origins. */
const corsAllowedOriginsOf = (cors: unknown): string[] => {
  if (cors === true) return ['*'];
  const origins = (cors as Json | undefined)?.allowedOrigins;
  return Array.isArray(origins) ? origins.map(String) : [];
};

export const projectRoot = join(dirname(new URL(import.meta.url).pathname), '..');

export const oslsBin = (): string => join(dirname(createRequire(import.meta.url).resolve('osls/package.json')), 'bin', 'serverless.js');

/** Resolves serverless.yml for a stage with the Framework itself (about 3 to 6 s). */
export const loadServiceDefinition = async (stage = 'local', env: NodeJS.ProcessEnv = process.env): Promise<ServiceDefinition> => {
  const { stdout } = await promisify(execFile)(process.execPath, [oslsBin(), 'print', '--stage', stage, '--format', 'json'], {
    cwd: projectRoot,
    env: { ...env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
    maxBuffer: 16 << 20,
  });
  return extractServiceDefinition(JSON.parse(stdout.slice(stdout.indexOf('{'))) as Json);
};
