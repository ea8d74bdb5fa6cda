/**
 * Counts what the code itself sends to AWS: every DynamoDB, KMS, SQS and Secrets Manager
 * command of every SDK v3 client in this process, whoever built the client (the functions
 * build theirs in their composition roots), through a middleware added to each client's
 * stack on its first `send`. Nothing in functions/ or shared/ changes: the base class of the
 * SDK clients gets a `send` that installs the middleware once per stack, then sends as before.
 *
 * Per DynamoDB call it records the table, the index, the items read or written and the
 * capacity DynamoDB reports (`ReturnConsumedCapacity: INDEXES` is added to each request,
 * the only change to what is sent), and, per item written, the partition key value it
 * landed on in the table and in each global secondary index. Index keys are read from the
 * written item's attributes: for a put, the item; for an update or a delete, the item read
 * before and after the write by a client of the counter's own (not counted), since the
 * index entry moves or leaves with the attributes. Key schemas come from DescribeTable.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { type AttributeValue, DescribeTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

export type Service = 'dynamodb' | 'kms' | 'sqs' | 'secretsmanager' | 'sources';

/** One command the code sent. */
export interface Call {
  service: Service;
  operation: string;
  /** DynamoDB: the table (its name as configured) and index; SQS: the queue's name. */
  table?: string;
  index?: string;
  /** DynamoDB: items read (asked for by key, or returned by a query) or written (per item of a batch or transaction); SQS: messages sent. */
  items: number;
  /** DynamoDB's reported capacity units: by table (`Table`) and by index name. */
  capacity: Record<string, number>;
  /** Per item written: where it landed, in the table (`index` absent) and in each index whose entry it wrote. */
  partitions: { table: string; index?: string; key: string }[];
  failed?: string;
  /** The label of the scope the call was sent in (`withScope`), e.g. the route's request. */
  scope?: string;
}

interface KeySchema {
  hash: string;
  range?: string;
  indexes: { name: string; hash: string }[];
}

const scopes = new AsyncLocalStorage<string>();
/** Runs `fn` with every call it makes (awaited or not) labelled `label`. */
export const withScope = <T>(label: string, fn: () => Promise<T>): Promise<T> => scopes.run(label, fn);

const SERVICES: Record<string, Service> = {
  DynamoDBClient: 'dynamodb',
  KMSClient: 'kms',
  SQSClient: 'sqs',
  SecretsManagerClient: 'secretsmanager',
};

const READS = new Set(['GetItem', 'Query', 'BatchGetItem', 'Scan', 'TransactGetItems']);
/** DynamoDB operations counted as writes. */
export const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

type Input = Record<string, any>;
type WriteOp = {
  kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  table: string;
  key?: Record<string, AttributeValue>;
  item?: Record<string, AttributeValue>;
};

/** Every item a write command writes (condition checks write nothing). */
const writeOps = (operation: string, input: Input): WriteOp[] => {
  switch (operation) {
    case 'PutItem':
      return [{ kind: 'Put', table: input.TableName, item: input.Item }];
    case 'UpdateItem':
      return [{ kind: 'Update', table: input.TableName, key: input.Key }];
    case 'DeleteItem':
      return [{ kind: 'Delete', table: input.TableName, key: input.Key }];
    case 'BatchWriteItem':
      return Object.entries(input.RequestItems ?? {}).flatMap(([table, writes]) =>
        (writes as Input[]).map((w) =>
          w.PutRequest ? { kind: 'Put' as const, table, item: w.PutRequest.Item } : { kind: 'Delete' as const, table, key: w.DeleteRequest.Key },
        ),
      );
    case 'TransactWriteItems':
      return (input.TransactItems as Input[]).flatMap((t): WriteOp[] => {
        if (t.Put) return [{ kind: 'Put', table: t.Put.TableName, item: t.Put.Item }];
        if (t.Update) return [{ kind: 'Update', table: t.Update.TableName, key: t.Update.Key }];
        if (t.Delete) return [{ kind: 'Delete', table: t.Delete.TableName, key: t.Delete.Key }];
        return [];
      });
    default:
      return [];
  }
};

const capacityOf = (consumed: unknown): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const c of [consumed].flat() as Input[]) {
    if (!c) continue;
    const add = (name: string, units: number | undefined) => {
      if (units) out[name] = (out[name] ?? 0) + units;
    };
    add('Table', c.Table?.CapacityUnits ?? (c.GlobalSecondaryIndexes || c.LocalSecondaryIndexes ? undefined : c.CapacityUnits));
    for (const [name, v] of Object.entries({ ...c.GlobalSecondaryIndexes, ...c.LocalSecondaryIndexes })) add(name, (v as Input).CapacityUnits);
  }
  return out;
};

const readItems = (operation: string, output: Input): number => {
  // Items asked for by key count whether found or not: DynamoDB charges the read either way.
  if (operation === 'GetItem') return 1;
  if (operation === 'Query' || operation === 'Scan') return output.Count ?? output.Items?.length ?? 0;
  if (operation === 'BatchGetItem') return Object.values(output.Responses ?? {}).reduce((n: number, items) => n + (items as unknown[]).length, 0);
  if (operation === 'TransactGetItems') return (output.Responses ?? []).length;
  return 0;
};

const tableOfRead = (operation: string, input: Input): string | undefined =>
  operation === 'BatchGetItem'
    ? Object.keys(input.RequestItems ?? {})[0]
    : operation === 'TransactGetItems'
      ? input.TransactItems?.[0]?.Get?.TableName
      : input.TableName;

const keyText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

export class CallCounter {
  readonly calls: Call[] = [];
  /** Items read before and after each write (index keys of updates and deletes); off for call counts alone. */
  images = true;
  private readonly own: DynamoDBClient;
  private readonly schemas = new Map<string, Promise<KeySchema>>();
  private readonly stacks = new WeakSet<object>();

  constructor(dynamodbEndpoint: string | undefined, region = 'eu-west-1') {
    this.own = new DynamoDBClient({
      region,
      ...(dynamodbEndpoint ? { endpoint: dynamodbEndpoint } : {}),
      ...(dynamodbEndpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    });
    this.stacks.add(this.own.middlewareStack);
  }

  reset(): void {
    this.calls.length = 0;
  }

  /** The calls sent within the scope `label`. */
  of(label: string): Call[] {
    return this.calls.filter((c) => c.scope === label);
  }

  private schema(table: string): Promise<KeySchema> {
    let schema = this.schemas.get(table);
    if (!schema) {
      schema = this.own.send(new DescribeTableCommand({ TableName: table })).then(({ Table }) => {
        const hashOf = (keys: { AttributeName?: string; KeyType?: string }[] | undefined) => keys?.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '';
        const range = Table?.KeySchema?.find((k) => k.KeyType === 'RANGE')?.AttributeName;
        return {
          hash: hashOf(Table?.KeySchema),
          ...(range ? { range } : {}),
          indexes: (Table?.GlobalSecondaryIndexes ?? []).map((i) => ({ name: i.IndexName!, hash: hashOf(i.KeySchema) })),
        };
      });
      this.schemas.set(table, schema);
    }
    return schema;
  }

  private async image(table: string, key: Record<string, AttributeValue>): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.own.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }));
    return Item ? unmarshall(Item) : undefined;
  }

  /** The middleware of one client stack; `clientName` says which service it talks to. */
  private middleware(service: Service) {
    return {
      initialize: (next: (args: any) => Promise<any>) => async (args: any) => {
        if (
          service === 'dynamodb' &&
          args.input &&
          typeof args.input === 'object' &&
          !('ReturnConsumedCapacity' in args.input) &&
          !String(args.input.TableName ?? '').startsWith('__')
        ) {
          args.input = { ...args.input, ReturnConsumedCapacity: 'INDEXES' };
        }
        return next(args);
      },
      build: (next: (args: any) => Promise<any>, context: { commandName?: string }) => async (args: any) => {
        const operation = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
        const input = args.input as Input;
        const scope = scopes.getStore();
        if (service !== 'dynamodb') {
          const call: Call = { service, operation, items: 0, capacity: {}, partitions: [], ...(scope ? { scope } : {}) };
          if (service === 'sqs') {
            call.table = String(input.QueueUrl ?? '')
              .split('/')
              .at(-1);
            call.items = operation === 'SendMessageBatch' ? (input.Entries?.length ?? 0) : operation === 'SendMessage' ? 1 : 0;
          }
          this.calls.push(call);
          try {
            return await next(args);
          } catch (error) {
            call.failed = (error as Error).name;
            throw error;
          }
        }
        const ops = WRITES.has(operation) ? writeOps(operation, input) : [];
        const withImages = this.images && ops.length > 0;
        const before = withImages ? await Promise.all(ops.map(async (op) => (op.kind === 'Put' || !op.key ? undefined : this.image(op.table, op.key)))) : [];
        const call: Call = {
          service,
          operation,
          ...(READS.has(operation) ? { table: tableOfRead(operation, input) } : { table: ops[0]?.table ?? input.TableName }),
          ...(input.IndexName ? { index: input.IndexName } : {}),
          items: ops.length,
          capacity: {},
          partitions: [],
          ...(scope ? { scope } : {}),
        };
        this.calls.push(call);
        let result: any;
        try {
          result = await next(args);
        } catch (error) {
          call.failed = (error as Error).name;
          throw error;
        }
        const output = (result?.output ?? {}) as Input;
        call.capacity = capacityOf(output.ConsumedCapacity);
        if (READS.has(operation)) call.items = readItems(operation, output);
        if (withImages) {
          const unprocessed = new Set(
            Object.values(output.UnprocessedItems ?? {})
              .flat()
              .map((w) => JSON.stringify(w)),
          );
          await Promise.all(
            ops.map(async (op, n) => {
              const schema = await this.schema(op.table);
              const written = op.item ? unmarshall(op.item) : undefined;
              const key =
                op.key ?? (op.item ? Object.fromEntries(Object.entries(op.item).filter(([k]) => k === schema.hash || k === schema.range)) : undefined);
              if (
                operation === 'BatchWriteItem' &&
                unprocessed.size > 0 &&
                unprocessed.has(JSON.stringify(op.item ? { PutRequest: { Item: op.item } } : { DeleteRequest: { Key: op.key } }))
              )
                return;
              const after = op.kind === 'Delete' ? undefined : (written ?? (key ? await this.image(op.table, key) : undefined));
              const prior = before[n];
              const pk = (after ?? prior ?? (key ? unmarshall(key) : {}))[schema.hash];
              call.partitions.push({ table: op.table, key: keyText(pk) });
              for (const index of schema.indexes) {
                // Only the indexes DynamoDB says this call wrote, then the entries the item left and took.
                if (!(index.name in call.capacity) && Object.keys(call.capacity).length > 0) continue;
                const values = new Set([prior?.[index.hash], after?.[index.hash]].filter((v) => v !== undefined).map((v) => keyText(v)));
                for (const value of values) call.partitions.push({ table: op.table, index: index.name, key: value });
              }
            }),
          );
        }
        return result;
      },
    };
  }

  /**
   * Counts the calls to the sources (every HTTP request under `sourcesBaseUrl`), by source: the
   * first segment of the path (`onem`, `dmfa`, …), seen on node:http's diagnostics channel,
   * which the sources' transport (shared/transport/node-fetch.ts) goes through. Returns a
   * function that takes it out again.
   */
  installSources(sourcesBaseUrl: string): () => void {
    const base = new URL(sourcesBaseUrl.replace(/\/+$/, ''));
    const basePath = base.pathname.replace(/\/$/, '');
    const onRequest = (message: unknown) => {
      const { request } = message as { request: ClientRequest };
      // The Host header names host and port as the request was addressed.
      const url = new URL(request.path, `${request.protocol}//${String(request.getHeader('host') ?? request.host)}`);
      if (url.origin !== base.origin || !url.pathname.startsWith(basePath)) return;
      const source = url.pathname.slice(basePath.length).split('/').filter(Boolean)[0] ?? '';
      const scope = scopes.getStore();
      this.calls.push({
        service: 'sources',
        operation: request.method.toUpperCase(),
        table: source,
        items: 0,
        capacity: {},
        partitions: [],
        ...(scope ? { scope } : {}),
      });
    };
    diagnostics.subscribe('http.client.request.start', onRequest);
    return () => {
      diagnostics.unsubscribe('http.client.request.start', onRequest);
    };
  }

  /**
   * Installs the counting middleware on every SDK v3 client of this process (the base class
   * shared by `clients`), at its first send. Returns a function that takes it out again.
   */
  install(clients: readonly { prototype: object; name: string }[]): () => void {
    const bases = new Set(clients.map((c) => Object.getPrototypeOf(c.prototype) as { send: (...args: unknown[]) => unknown }));
    const restore: (() => void)[] = [];
    const counter = this;
    for (const base of bases) {
      const original = base.send;
      base.send = function (this: { middlewareStack: any; constructor: { name: string }; config?: unknown }, ...args: unknown[]) {
        const stack = this.middlewareStack;
        if (!counter.stacks.has(stack)) {
          counter.stacks.add(stack);
          // The document client shares its DynamoDB client's stack; its class name is another.
          const name = this.constructor.name === 'DynamoDBDocumentClient' ? 'DynamoDBClient' : this.constructor.name;
          const service = SERVICES[name];
          if (service) {
            const m = counter.middleware(service);
            stack.add(m.initialize, { step: 'initialize', priority: 'high', name: 'capacityCountInitialize' });
            stack.add(m.build, { step: 'build', priority: 'high', name: 'capacityCountBuild' });
          }
        }
        return original.apply(this, args);
      };
      restore.push(() => {
        base.send = original;
      });
    }
    return () => {
      for (const r of restore) r();
    };
  }
}
