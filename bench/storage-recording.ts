/**
 * The storage requests one claim really makes, recorded and replayed: the fair baseline of the
 * claim pipeline (BENCHMARKS.md). The requests are recorded at the AWS SDK's HTTP handler while
 * one claim goes through the pipeline alone, then replayed by the low-level DynamoDB client,
 * byte for byte but for fresh keys: the same items (a decided claim is about 5 KB, with the
 * attributes of its list indexes), the same conditions and the same overlap of requests.
 * The shard suffixes of the audit and index keys are kept as recorded, so every replay writes
 * the same shards: no matter to DynamoDB Local, which has no partitions; against DynamoDB
 * itself they would have to be drawn again.
 */
import { randomUUID } from 'node:crypto';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface RecordedRequest {
  /** The operation, from the `x-amz-target` header (`DynamoDB_20120810.PutItem` → `PutItem`). */
  operation: string;
  body: string;
  started: number;
  ended: number;
}

/** Records every DynamoDB request any SDK client of this process sends until `stop()`. */
export const recordDynamoDbRequests = () => {
  const recorded: RecordedRequest[] = [];
  const original = NodeHttpHandler.prototype.handle;
  NodeHttpHandler.prototype.handle = async function (this: NodeHttpHandler, request, options) {
    const target = String(request.headers['x-amz-target'] ?? '');
    if (!target.startsWith('DynamoDB_')) return original.call(this, request, options);
    const entry = { operation: target.split('.')[1]!, body: String(request.body), started: performance.now(), ended: Number.NaN };
    recorded.push(entry);
    try {
      return await original.call(this, request, options);
    } finally {
      entry.ended = performance.now();
    }
  };
  return {
    stop: (): RecordedRequest[] => {
      NodeHttpHandler.prototype.handle = original;
      return recorded;
    },
  };
};

const COMMANDS = {
  GetItem: GetItemCommand,
  PutItem: PutItemCommand,
  UpdateItem: UpdateItemCommand,
  DeleteItem: DeleteItemCommand,
  Query: QueryCommand,
  BatchGetItem: BatchGetItemCommand,
  BatchWriteItem: BatchWriteItemCommand,
  TransactGetItems: TransactGetItemsCommand,
  TransactWriteItems: TransactWriteItemsCommand,
} as const;

/** Requests that overlapped when recorded (one started before the group's first ended) run together. */
export const overlapGroups = (requests: readonly RecordedRequest[]): RecordedRequest[][] => {
  const groups: RecordedRequest[][] = [];
  for (const r of [...requests].sort((a, b) => a.started - b.started)) {
    const group = groups.at(-1);
    if (group && r.started < Math.min(...group.map((g) => g.ended))) group.push(r);
    else groups.push([r]);
  }
  return groups;
};

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const SUBJECT = /v1:[0-9a-f]{64}/g;

/**
 * Fails unless the recording is one claim's requests, once each: no other claim named (a
 * redelivered record of an earlier claim read meanwhile), no request twice (an SDK retry).
 */
export const assertOneClaim = (requests: readonly RecordedRequest[], claimId: string): void => {
  const others = new Set(requests.flatMap((r) => [...r.body.matchAll(/CLAIM#([0-9a-f-]{36})/g)].map((m) => m[1]!)).filter((id) => id !== claimId));
  if (others.size > 0) throw new Error(`the recording holds requests for other claims (${[...others].join(', ')}): not one claim's storage work`);
  if (!requests.some((r) => r.body.includes(`CLAIM#${claimId}`))) throw new Error(`the recording holds no request for claim ${claimId}`);
  const bodies = new Set<string>();
  for (const r of requests) {
    if (bodies.has(r.body)) throw new Error(`the recording holds a ${r.operation} twice (an SDK retry?): not one claim's storage work`);
    bodies.add(r.body);
  }
};

/**
 * One replay of the recorded claim: every claim id, request id and pseudonym replaced by a
 * fresh one (the same one wherever it recurs), so each replay writes new items and its
 * conditions hold as they did for the recorded claim.
 */
export const replayer = (client: DynamoDBClient, requests: readonly RecordedRequest[]) => {
  const unknown = requests.filter((r) => !(r.operation in COMMANDS)).map((r) => r.operation);
  if (unknown.length > 0) throw new Error(`cannot replay ${unknown.join(', ')}`);
  if (requests.length === 0) throw new Error('no storage request was recorded: nothing to replay');
  const groups = overlapGroups(requests);
  return async () => {
    const fresh = new Map<string, string>();
    const renew = (pattern: RegExp, make: () => string) => (text: string) =>
      text.replace(pattern, (found) => {
        if (!fresh.has(found)) fresh.set(found, make());
        return fresh.get(found)!;
      });
    const uuids = renew(UUID, randomUUID);
    const subjects = renew(SUBJECT, () => `v1:${randomUUID().replaceAll('-', '')}${randomUUID().replaceAll('-', '')}`);
    for (const group of groups)
      await Promise.all(
        group.map((r) => {
          const Command = COMMANDS[r.operation as keyof typeof COMMANDS] as unknown as new (input: unknown) => GetItemCommand;
          return client.send(new Command(JSON.parse(subjects(uuids(r.body)))));
        }),
      );
  };
};
