import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';

/**
 * A small stand-in for Lambda's SQS event source mapping, for the local cloud.
 * Written here because serverless-offline-sqs deletes whole batches and ignores
 * `batchItemFailures`. Behaviour copied from Lambda:
 * - gathers up to `batchSize` messages, waiting at most `batchWindowSeconds` once the first arrives;
 * - on success deletes the batch; with ReportBatchItemFailures deletes all but the reported ids;
 *   a report naming an id not in the batch, or an empty id, fails the whole batch;
 * - a failed message is not deleted, so it becomes visible again after the queue's visibility
 *   timeout, and the queue's own redrive policy moves it to the DLQ after `maxReceiveCount`.
 */
export type Invoke = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

export interface SqsEventSourceOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  batchSize: number;
  batchWindowSeconds: number;
  reportBatchItemFailures: boolean;
  invoke: Invoke;
  /**
   * Long-poll wait of an idle receive (default 1 s). Kept short: local-aws-sqs holds a
   * long poll open for the whole wait unless the batch is full, and re-receives
   * messages whose visibility timeout ends meanwhile.
   */
  idleWaitSeconds?: number;
  /**
   * With `idleWaitSeconds: 0` (the test suites), the pause between two receives that found
   * nothing (default 100 ms): a message is picked up within it, without a long poll the
   * emulator would hold open, and without receiving in a tight loop.
   */
  idlePauseMs?: number;
  /** How long past its longest wait a receive may run once the source stops (default 5 000 ms). */
  stopGraceMs?: number;
  log?: (message: string) => void;
}

export interface BatchOutcome {
  received: number;
  deleted: number;
  failed: number;
  invocationError?: string;
}

const toLambdaAttributes = (attributes: Record<string, MessageAttributeValue> = {}): SQSMessageAttributes =>
  Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      {
        dataType: value.DataType!,
        ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
        ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
        stringListValues: value.StringListValues ?? [],
        binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
      },
    ]),
  );

export const toSqsRecord = (message: Message, queueArn: string, region: string): SQSRecord => {
  const a = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
      SentTimestamp: a.SentTimestamp ?? String(Date.now()),
      SenderId: a.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      ...(a.MessageGroupId ? { MessageGroupId: a.MessageGroupId } : {}),
      ...(a.MessageDeduplicationId ? { MessageDeduplicationId: a.MessageDeduplicationId } : {}),
      ...(a.SequenceNumber ? { SequenceNumber: a.SequenceNumber } : {}),
    },
    messageAttributes: toLambdaAttributes(message.MessageAttributes),
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
};

/** Ids to keep (not delete) after an invocation, following Lambda's rules. */
export const failedMessageIds = (batch: SQSRecord[], response: SQSBatchResponse | undefined, reportBatchItemFailures: boolean): Set<string> => {
  const all = new Set(batch.map((r) => r.messageId));
  if (!reportBatchItemFailures || !response || !Array.isArray(response.batchItemFailures)) return new Set();
  const reported = response.batchItemFailures.map((f) => f?.itemIdentifier);
  if (reported.some((id) => typeof id !== 'string' || id === '' || !all.has(id))) return all;
  return new Set(reported);
};

export class SqsEventSource {
  private running = false;
  private stopping = false;
  private loop: Promise<void> | undefined;
  /** Cuts short the pause between two empty receives; never a receive in flight (see stop). */
  private idle = new AbortController();
  /** Cuts a receive that outlives a stop's bound (a stalled emulator), and only then. */
  private stalled = new AbortController();

  constructor(private readonly options: SqsEventSourceOptions) {}

  private async receive(max: number, waitSeconds: number): Promise<Message[]> {
    const { Messages = [] } = await this.options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.options.queueUrl,
        MaxNumberOfMessages: Math.min(10, max),
        WaitTimeSeconds: waitSeconds,
        // The emulator ignores MessageSystemAttributeNames and still honours the older AttributeNames.
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: this.stalled.signal },
    );
    return Messages;
  }

  /** Gathers one batch, invokes the function once, deletes what succeeded. */
  async pollOnce(): Promise<BatchOutcome> {
    return this.process(await this.gather());
  }

  /** Receives up to `batchSize` messages, waiting at most `batchWindowSeconds` once the first arrives. */
  private async gather(): Promise<SQSRecord[]> {
    const { batchSize, batchWindowSeconds, queueArn, region } = this.options;
    // Keyed by message id: a message whose visibility timeout is shorter than the
    // batching window comes back during the gathering; the newest receipt handle wins.
    const messages = new Map<string, Message>();
    const add = (received: Message[]) => {
      for (const m of received) messages.set(m.MessageId!, m);
    };
    add(await this.receive(batchSize, this.options.idleWaitSeconds ?? 1));
    if (messages.size === 0) return [];
    const deadline = Date.now() + batchWindowSeconds * 1000;
    // Once stopping, the batch in hand is processed without waiting out the window.
    while (!this.stopping && messages.size < batchSize && Date.now() < deadline) {
      const wait = Math.min(20, Math.max(0, Math.floor((deadline - Date.now()) / 1000)));
      const more = await this.receive(batchSize - messages.size, wait);
      if (more.length === 0 && wait === 0) break;
      add(more);
    }

    return [...messages.values()].map((m) => toSqsRecord(m, queueArn, region));
  }

  /** Invokes the function with one batch and deletes what succeeded (in batches of 10). */
  private async process(records: SQSRecord[]): Promise<BatchOutcome> {
    if (records.length === 0) return { received: 0, deleted: 0, failed: 0 };
    const { reportBatchItemFailures } = this.options;
    let failed: Set<string>;
    let invocationError: string | undefined;
    try {
      const response = await this.options.invoke({ Records: records });
      failed = failedMessageIds(records, response, reportBatchItemFailures);
    } catch (error) {
      invocationError = (error as Error).message;
      failed = new Set(records.map((r) => r.messageId));
    }

    const toDelete = records.filter((r) => !failed.has(r.messageId));
    let deleted = 0;
    for (let i = 0; i < toDelete.length; i += 10) {
      const { Failed = [] } = await this.options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: toDelete.slice(i, i + 10).map((r, j) => ({ Id: String(j), ReceiptHandle: r.receiptHandle })),
        }),
      );
      // A failed delete (e.g. a receipt handle outdated by a redelivery) means the
      // message will come back: at-least-once, as with the real trigger.
      for (const f of Failed) this.options.log?.(`delete failed for ${toDelete[i + Number(f.Id)]?.messageId}: ${f.Code} ${f.Message ?? ''}`);
      deleted += Math.min(10, toDelete.length - i) - Failed.length;
    }
    return { received: records.length, deleted, failed: failed.size, ...(invocationError ? { invocationError } : {}) };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.idle = new AbortController();
    this.stalled = new AbortController();
    const report = (outcome: BatchOutcome) => {
      if (outcome.received === 0) return;
      this.options.log?.(
        `batch of ${outcome.received}: ${outcome.deleted} done, ${outcome.failed} left for retry` +
          (outcome.invocationError ? ` (invocation failed: ${outcome.invocationError})` : ''),
      );
    };
    const failedTo = (what: string) => (error: unknown) => this.options.log?.(`${what} failed: ${(error as Error).message}`);
    // One batch at a time: receiving the next batch while the current one runs was tried and
    // measured (BENCHMARKS.md: no gain), and it held received messages behind a running
    // invocation while their visibility timeout ran (5 s locally), so they came back twice.
    this.loop = (async () => {
      while (this.running) {
        try {
          const outcome = await this.pollOnce();
          report(outcome);
          if (outcome.received === 0 && this.options.idleWaitSeconds === 0)
            await sleep(this.options.idlePauseMs ?? 100, undefined, { signal: this.idle.signal }).catch(() => {});
        } catch (error) {
          if (!this.running) break;
          failedTo('poll')(error);
          await sleep(1_000);
        }
      }
    })();
  }

  /**
   * Stops after the receive in flight (at most `idleWaitSeconds`) and its batch. Aborting that
   * receive was wrong: local-aws-sqs still hands the next message sent to the aborted long poll,
   * which then stays invisible for the whole visibility timeout (10 s stalls in the benchmark).
   * A receive still running well past its wait (an emulator that stalled) is aborted after all.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    this.idle.abort();
    // The longest a receive waits by design: the idle wait, or a receive of the batching window.
    const longestWait = Math.max(this.options.idleWaitSeconds ?? 1, Math.min(20, this.options.batchWindowSeconds));
    const bound = setTimeout(() => this.stalled.abort(), longestWait * 1000 + (this.options.stopGraceMs ?? 5_000));
    try {
      await this.loop;
    } finally {
      clearTimeout(bound);
      this.stopping = false;
    }
  }
}

/** Invokes a function through serverless-offline's Lambda API (the same call the AWS SDK would make). */
export const invokeOffline = async (lambdaEndpoint: string, functionName: string, event: unknown): Promise<unknown> => {
  const response = await fetch(`${lambdaEndpoint}/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'RequestResponse' },
    body: JSON.stringify(event),
  });
  const text = await response.text();
  const payload = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok || response.headers.get('x-amz-function-error')) {
    const message = (payload as { errorMessage?: string; Message?: string } | undefined) ?? {};
    throw new Error(message.errorMessage ?? message.Message ?? `invoke answered ${response.status}`);
  }
  return payload;
};

export const offlineLambdaInvoker =
  (lambdaEndpoint: string, functionName: string): Invoke =>
  async (event) =>
    (await invokeOffline(lambdaEndpoint, functionName, event)) as SQSBatchResponse | undefined;
