import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  paginateQuery,
  paginateScan,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type BatchWriteCommandInput,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { Purpose } from '../purposes/purpose.js';
import { settings } from '../config/env.js';
import { expiresAt, RetentionError, type RetentionOverrides } from '../purposes/retention.js';

/** Epoch seconds; the TTL attribute every table declares in serverless.yml. */
export const TTL_ATTRIBUTE = 'expiresAt';

export type Item = Record<string, unknown>;
export type Clock = () => Date;

export interface PutOptions {
  /** When the retention period starts (default: now). */
  retainFrom?: Date;
  condition?: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> };
}

/** DynamoDB's most writes in one BatchWriteItem call. */
export const BATCH_WRITE_LIMIT = 25;

export interface PutBatchOptions {
  /** When the retention period of every item starts (default: now). */
  retainFrom?: Date;
  /** Calls per batch of 25, the first included, before giving up on what DynamoDB left unprocessed. */
  maxAttempts?: number;
  /** The first back-off (ms), doubled per attempt up to 1 s, with full jitter. */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Writes DynamoDB still left unprocessed after the last attempt: the batch did not land whole. */
export class UnprocessedWritesError extends Error {
  override name = 'UnprocessedWritesError';
  constructor(readonly unprocessed: number) {
    super(`${unprocessed} writes still unprocessed after the last attempt`);
  }
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const chunksOf = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export class ConditionFailedError extends Error {
  override name = 'ConditionFailedError';
}

/**
 * A transaction DynamoDB cancelled. `reasons[i]` is the code for the i-th write:
 * `ConditionalCheckFailed` (its condition no longer held), `TransactionConflict` (another
 * transaction was writing the same item), or `None` (that write was fine).
 */
export class TransactionCancelledError extends Error {
  override name = 'TransactionCancelledError';
  constructor(
    readonly reasons: string[],
    options?: ErrorOptions,
  ) {
    super(`transaction cancelled: ${reasons.join(', ')}`, options);
  }
}

/**
 * One update of a transaction: `set` assigns, `add` adds to numbers or sets (DynamoDB ADD,
 * which also creates a missing attribute), `condition` guards it.
 */
export interface TransactUpdate {
  key: Item;
  set?: Item;
  add?: Item;
  /** Attributes to remove (e.g. the keys of a sparse index the item leaves). */
  remove?: string[];
  retainFrom: Date;
  condition: NonNullable<PutOptions['condition']>;
}

/** An item the transaction does not write but that must still hold what was read (ConditionCheck). */
export interface TransactCheck {
  key: Item;
  check: NonNullable<PutOptions['condition']>;
}

/**
 * The only way the functions write to DynamoDB. Every item gets an expiry computed from
 * the purpose's retention, and every read hides items past it: DynamoDB deletes expired
 * items only within about two days, and DynamoDB Local never does. A purpose whose
 * retention is `none` cannot get a repository at all.
 */
export class RetentionRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
    private readonly purpose: Pick<Purpose, 'id' | 'retention'>,
    private readonly clock: Clock = () => new Date(),
    private readonly env: RetentionOverrides = settings().retentionOverrides,
  ) {
    if (purpose.retention.kind === 'none') {
      throw new RetentionError(`purpose ${purpose.id} may not store anything (${purpose.retention.source})`);
    }
  }

  private nowSeconds(): number {
    return Math.floor(this.clock().getTime() / 1000);
  }

  /** The expiry an item written now (or retained from `from`) gets. */
  expiryFor(from: Date = this.clock()): number {
    return expiresAt(this.purpose, from, this.env);
  }

  isLive(item: Item | undefined): item is Item {
    if (!item) return false;
    const expiry = item[TTL_ATTRIBUTE];
    return typeof expiry === 'number' && expiry > this.nowSeconds();
  }

  /** Writes an item with its expiry; the caller cannot choose another one. */
  async put(item: Item, options: PutOptions = {}): Promise<Item> {
    if (TTL_ATTRIBUTE in item) throw new RetentionError(`${TTL_ATTRIBUTE} is set by the repository from the purpose's retention`);
    const stored = { ...item, [TTL_ATTRIBUTE]: this.expiryFor(options.retainFrom) };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: stored,
          ...(options.condition
            ? {
                ConditionExpression: options.condition.expression,
                ExpressionAttributeNames: options.condition.names,
                ExpressionAttributeValues: options.condition.values,
              }
            : {}),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConditionFailedError('condition not met', { cause: error });
      throw error;
    }
    return stored;
  }

  /**
   * Writes many items, each with its expiry, in BatchWriteItem calls of 25 sent in parallel.
   * DynamoDB may leave some writes unprocessed (throttling) without failing the call: those
   * are sent again after an exponential back-off with full jitter, up to `maxAttempts` calls
   * per batch; then UnprocessedWritesError (all batches settled first). Unconditional puts only (BatchWriteItem has no
   * conditions), so the items' keys must be unique. Resolves to the number of calls made.
   */
  async putBatch(items: Item[], { retainFrom, maxAttempts = 6, baseDelayMs = 25, sleep = sleepFor }: PutBatchOptions = {}): Promise<number> {
    if (items.some((item) => TTL_ATTRIBUTE in item)) throw new RetentionError(`${TTL_ATTRIBUTE} is set by the repository from the purpose's retention`);
    const expiry = this.expiryFor(retainFrom);
    const stored = items.map((item) => ({ ...item, [TTL_ATTRIBUTE]: expiry }));
    // Settled, not Promise.all: no batch is left retrying behind a failed call's back.
    const batches = await Promise.allSettled(chunksOf(stored, BATCH_WRITE_LIMIT).map((chunk) => this.writeBatch(chunk, { maxAttempts, baseDelayMs, sleep })));
    const failed = batches.flatMap((b) => (b.status === 'rejected' ? [b.reason as Error] : []));
    const other = failed.find((e) => !(e instanceof UnprocessedWritesError));
    if (other) throw other;
    if (failed.length > 0) throw new UnprocessedWritesError(failed.reduce((sum, e) => sum + (e as UnprocessedWritesError).unprocessed, 0));
    return batches.reduce((sum, b) => sum + (b.status === 'fulfilled' ? b.value : 0), 0);
  }

  private async writeBatch(items: Item[], { maxAttempts, baseDelayMs, sleep }: Required<Omit<PutBatchOptions, 'retainFrom'>>): Promise<number> {
    let pending: NonNullable<BatchWriteCommandInput['RequestItems']>[string] = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 1; ; attempt++) {
      const { UnprocessedItems } = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
      pending = UnprocessedItems?.[this.tableName] ?? [];
      if (pending.length === 0) return attempt;
      if (attempt >= maxAttempts) throw new UnprocessedWritesError(pending.length);
      // Full jitter (AWS's advice for contended writes): a random wait up to the doubled ceiling.
      await sleep(Math.random() * Math.min(1000, baseDelayMs * 2 ** attempt));
    }
  }

  /**
   * Several conditional updates, all or none (TransactWriteItems), each stamped with its
   * expiry (renewed from `retainFrom`, e.g. a decision restarts the retention period). Throws TransactionCancelledError with a reason per write.
   */
  async transact(updates: TransactUpdate[], checks: TransactCheck[] = []): Promise<void> {
    const conditionChecks = checks.map((c) => ({
      ConditionCheck: {
        TableName: this.tableName,
        Key: c.key,
        ConditionExpression: c.check.expression,
        ...(c.check.names ? { ExpressionAttributeNames: c.check.names } : {}),
        ...(c.check.values ? { ExpressionAttributeValues: c.check.values } : {}),
      },
    }));
    const items = updates.map((u, n) => ({ Update: this.updateInput(u, n) }));
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: [...items, ...conditionChecks] }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        throw new TransactionCancelledError(
          (error.CancellationReasons ?? []).map((r) => r.Code ?? 'Unknown'),
          { cause: error },
        );
      }
      throw error;
    }
  }

  /**
   * One unconditional UpdateItem, the item created if missing, its expiry set from
   * `retainFrom`: `add` adds to numbers or sets (DynamoDB ADD: atomic, so concurrent callers
   * each count), `set` assigns, `setIfMissing` assigns only what the item does not hold yet.
   * For counters (refusal aggregates) and markers, where a read-modify-write would race.
   */
  async update(
    key: Item,
    { add = {}, set = {}, setIfMissing = {} }: { add?: Item; set?: Item; setIfMissing?: Item },
    retainFrom: Date = this.clock(),
  ): Promise<void> {
    if ([add, set, setIfMissing].some((fields) => TTL_ATTRIBUTE in fields))
      throw new RetentionError(`${TTL_ATTRIBUTE} is set by the repository from the purpose's retention`);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const clause = (fields: Item, prefix: string, join: (n: string, v: string) => string) =>
      Object.entries(fields).map(([name, value], i) => {
        names[`#${prefix}${i}`] = name;
        values[`:${prefix}${i}`] = value;
        return join(`#${prefix}${i}`, `:${prefix}${i}`);
      });
    const sets = [
      ...clause({ ...set, [TTL_ATTRIBUTE]: this.expiryFor(retainFrom) }, 's', (n, v) => `${n} = ${v}`),
      ...clause(setIfMissing, 'm', (n, v) => `${n} = if_not_exists(${n}, ${v})`),
    ];
    const adds = clause(add, 'a', (n, v) => `${n} ${v}`);
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: `SET ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** One conditional update of one item (UpdateItem), stamped with its expiry as in a transaction. Throws ConditionFailedError when its condition fails. */
  async updateIf(u: TransactUpdate): Promise<void> {
    try {
      await this.doc.send(new UpdateCommand(this.updateInput(u, 0)));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConditionFailedError(`condition failed: ${u.condition.expression}`, { cause: error });
      throw error;
    }
  }

  /** The UpdateItem input of one update (its attribute names and values numbered `n`, unique within a transaction). */
  private updateInput(u: TransactUpdate, n: number) {
    const set = { ...u.set, [TTL_ATTRIBUTE]: this.expiryFor(u.retainFrom) };
    if (u.add && TTL_ATTRIBUTE in u.add) throw new RetentionError(`${TTL_ATTRIBUTE} is set by the repository from the purpose's retention`);
    if (u.set && TTL_ATTRIBUTE in u.set) throw new RetentionError(`${TTL_ATTRIBUTE} is set by the repository from the purpose's retention`);
    const names: Record<string, string> = { ...u.condition.names };
    const values: Record<string, unknown> = { ...u.condition.values };
    const clause = (fields: Item, prefix: string, join: (n: string, v: string) => string) =>
      Object.entries(fields).map(([name, value], i) => {
        names[`#${prefix}${n}_${i}`] = name;
        values[`:${prefix}${n}_${i}`] = value;
        return join(`#${prefix}${n}_${i}`, `:${prefix}${n}_${i}`);
      });
    const sets = clause(set, 's', (a, b) => `${a} = ${b}`);
    const adds = u.add ? clause(u.add, 'a', (a, b) => `${a} ${b}`) : [];
    const removes = (u.remove ?? []).map((name, i) => {
      names[`#r${n}_${i}`] = name;
      return `#r${n}_${i}`;
    });
    return {
      TableName: this.tableName,
      Key: u.key,
      UpdateExpression: `SET ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: u.condition.expression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  /** An item as stored, expired or not, with whether it is past its expiry. */
  async getWithExpiry(key: Item): Promise<{ item: Item; expired: boolean } | undefined> {
    const { Item: item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return item ? { item, expired: !this.isLive(item) } : undefined;
  }

  /** Deletes the item if it is (still) past its expiry: retention is over, whatever it held. */
  async deleteIfExpired(key: Item): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: key,
          ConditionExpression: '#ttl <= :now',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':now': this.nowSeconds() },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async get(key: Item, { consistent = true } = {}): Promise<Item | undefined> {
    const { Item: item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: consistent }));
    return this.isLive(item) ? item : undefined;
  }

  /** A query whose expired items are filtered out by DynamoDB and, belt and braces, here. */
  async query(input: Omit<QueryCommandInput, 'TableName' | 'FilterExpression'>): Promise<Item[]> {
    const items: Item[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      {
        ...input,
        TableName: this.tableName,
        FilterExpression: '#ttl > :now',
        ExpressionAttributeNames: { ...input.ExpressionAttributeNames, '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ...input.ExpressionAttributeValues, ':now': this.nowSeconds() },
      },
    );
    for await (const page of pages) items.push(...(page.Items ?? []).filter((i) => this.isLive(i)));
    return items;
  }

  /**
   * One page of at most `limit` live items of an index query, with an optional filter.
   * DynamoDB applies `Limit` before the filter, so with a filter it reads larger pages, at
   * most `maxReads` of them: the page then ends where the reading stopped (it may hold fewer
   * than `limit` items, even none, with a next page). Otherwise the page ends after its last
   * item (`keyOf` gives the table and index key of an item), so the next starts exactly there.
   */
  async queryPage(
    input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'> & { filter?: string },
    limit: number,
    keyOf: (item: Item) => Item,
    startAfter?: Item,
  ): Promise<QueryPage> {
    const { filter, ...rest } = input;
    const items: Item[] = [];
    let exclusiveStartKey = startAfter;
    const maxReads = filter ? 10 : Number.POSITIVE_INFINITY;
    for (let reads = 1; ; reads++) {
      const page = await this.doc.send(
        new QueryCommand({
          ...rest,
          TableName: this.tableName,
          FilterExpression: filter ? `(${filter}) AND #ttl > :now` : '#ttl > :now',
          ExpressionAttributeNames: { ...rest.ExpressionAttributeNames, '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ...rest.ExpressionAttributeValues, ':now': this.nowSeconds() },
          // One more than asked: whether a next page exists is known without another call.
          Limit: filter ? Math.max(200, limit + 1) : limit + 1 - items.length,
          ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
        }),
      );
      items.push(...(page.Items ?? []).filter((i) => this.isLive(i)));
      exclusiveStartKey = page.LastEvaluatedKey;
      if (items.length > limit || !exclusiveStartKey) break;
      // Out of reading budget: the page ends where the reading stopped.
      if (reads >= maxReads) return { items, lastKey: exclusiveStartKey };
    }
    const returned = items.slice(0, limit);
    const more = items.length > limit || exclusiveStartKey !== undefined;
    return { items: returned, ...(more && returned.length > 0 ? { lastKey: keyOf(returned.at(-1)!) } : {}) };
  }

  /**
   * One Query call of at most `limit` evaluated items (DynamoDB's `Limit`), no filter but
   * the expiry's: what a multi-partition reader (shared/storage/sharded-index.ts) asks of
   * each partition. `scanned` is DynamoDB's ScannedCount (what the call read and is billed
   * for, expired items included); `lastKey`, its LastEvaluatedKey (absent: nothing after).
   */
  async queryChunk(
    input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey' | 'FilterExpression'>,
    limit: number,
    startKey?: Item,
  ): Promise<QueryChunk> {
    const page = await this.doc.send(
      new QueryCommand({
        ...input,
        TableName: this.tableName,
        FilterExpression: '#ttl > :now',
        ExpressionAttributeNames: { ...input.ExpressionAttributeNames, '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ...input.ExpressionAttributeValues, ':now': this.nowSeconds() },
        Limit: limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    return {
      items: (page.Items ?? []).filter((i) => this.isLive(i)),
      scanned: page.ScannedCount ?? 0,
      ...(page.LastEvaluatedKey ? { lastKey: page.LastEvaluatedKey } : {}),
    };
  }
}

export interface QueryChunk {
  items: Item[];
  scanned: number;
  lastKey?: Item;
}

export interface QueryPage {
  items: Item[];
  /** The key of the last item returned, to start the next page after it; absent on the last page. */
  lastKey?: Item;
}

export interface PurgeResult {
  table: string;
  scanned: number;
  deleted: number;
}

/**
 * Deletes the items of a table whose expiry has passed (or that have none, which the
 * repository never writes but a hand-made item could carry). Each delete is conditional
 * on the item still being expired, so an item renewed meanwhile survives.
 */
export const purgeExpired = async (
  doc: DynamoDBDocumentClient,
  table: { name: string; keys: string[]; ttlAttribute?: string },
  clock: Clock = () => new Date(),
): Promise<PurgeResult> => {
  const ttl = table.ttlAttribute ?? TTL_ATTRIBUTE;
  const now = Math.floor(clock().getTime() / 1000);
  let scanned = 0;
  let deleted = 0;
  const pages = paginateScan(
    { client: doc },
    {
      TableName: table.name,
      FilterExpression: 'attribute_not_exists(#ttl) OR #ttl <= :now',
      ExpressionAttributeNames: { '#ttl': ttl },
      ExpressionAttributeValues: { ':now': now },
    },
  );
  for await (const page of pages) {
    scanned += page.ScannedCount ?? 0;
    for (const item of page.Items ?? []) {
      try {
        await doc.send(
          new DeleteCommand({
            TableName: table.name,
            Key: Object.fromEntries(table.keys.map((k) => [k, item[k]])),
            ConditionExpression: 'attribute_not_exists(#ttl) OR #ttl <= :now',
            ExpressionAttributeNames: { '#ttl': ttl },
            ExpressionAttributeValues: { ':now': now },
          }),
        );
        deleted++;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }
  return { table: table.name, scanned, deleted };
};

export interface RetentionReportRow {
  table: string;
  items: number;
  oldestExpiry?: string;
  pastExpiry: number;
  withoutExpiry: number;
}

/** Per table: item count, the oldest expiry, how many are past it or have none. */
export const retentionReport = async (
  doc: DynamoDBDocumentClient,
  table: { name: string; ttlAttribute?: string },
  clock: Clock = () => new Date(),
): Promise<RetentionReportRow> => {
  const ttl = table.ttlAttribute ?? TTL_ATTRIBUTE;
  const now = Math.floor(clock().getTime() / 1000);
  const row: RetentionReportRow = { table: table.name, items: 0, pastExpiry: 0, withoutExpiry: 0 };
  let oldest: number | undefined;
  for await (const page of paginateScan({ client: doc }, { TableName: table.name, ProjectionExpression: '#ttl', ExpressionAttributeNames: { '#ttl': ttl } })) {
    for (const item of page.Items ?? []) {
      row.items++;
      const expiry = item[ttl];
      if (typeof expiry !== 'number') row.withoutExpiry++;
      else {
        if (expiry <= now) row.pastExpiry++;
        oldest = oldest === undefined ? expiry : Math.min(oldest, expiry);
      }
    }
  }
  return oldest === undefined ? row : { ...row, oldestExpiry: new Date(oldest * 1000).toISOString() };
};
