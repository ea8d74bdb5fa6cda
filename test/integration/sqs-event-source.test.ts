import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { type Invoke, SqsEventSource, type SqsEventSourceOptions } from '../../local/sqs-event-source.js';
import { targetClients } from '../support/aws.js';
import { queueHelpers } from '../support/queues.js';

const { sqs, dynamodb } = targetClients();
const logs: string[] = [];
afterAll(() => {
  sqs.destroy();
  dynamodb.destroy();
});

const { queuePair, send, remaining, deadLettered } = queueHelpers(sqs);

const source = (
  queue: { url: string; arn: string },
  invoke: Invoke,
  batchSize = 10,
  batchWindowSeconds = 0,
  idleWaitSeconds = 0,
  overrides: Partial<SqsEventSourceOptions> = {},
) =>
  new SqsEventSource({
    sqs,
    queueUrl: queue.url,
    queueArn: queue.arn,
    region: 'eu-west-1',
    batchSize,
    batchWindowSeconds,
    reportBatchItemFailures: true,
    invoke,
    idleWaitSeconds,
    log: (line) => logs.push(line),
    ...overrides,
  });

/** Polls until a batch arrives (bounded by count, not by a clock assertion). */
const nextBatch = async (consumer: SqsEventSource) => {
  for (let i = 0; i < 10; i++) {
    const outcome = await consumer.pollOnce();
    if (outcome.received > 0) return outcome;
  }
  throw new Error('no batch after 10 polls');
};

describe('SQS event source (local stand-in for the Lambda trigger)', () => {
  it('deletes the records not reported as failed; only the failed one comes back', async () => {
    const queue = await queuePair({ visibility: 2, maxReceiveCount: 5 });
    await send(queue.url, ['ok-1', 'fail', 'ok-2']);
    const deliveries: string[][] = [];
    const consumer = source(
      queue,
      async (event: SQSEvent) => {
        deliveries.push(event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`).sort());
        return { batchItemFailures: event.Records.filter((r) => r.body === 'fail').map((r) => ({ itemIdentifier: r.messageId })) };
      },
      10,
      0,
      1,
    );
    expect(await nextBatch(consumer)).toEqual({ received: 3, deleted: 2, failed: 1 });
    // The next batch comes once the failed message's visibility timeout has passed.
    expect(await nextBatch(consumer)).toEqual({ received: 1, deleted: 0, failed: 1 });
    expect(deliveries).toEqual([['fail#1', 'ok-1#1', 'ok-2#1'], ['fail#2']]);
    expect(logs).toEqual([]);
  });

  it('never puts the same message twice in one batch, even when it reappears during the batching window', async () => {
    const queue = await queuePair({ visibility: 1, maxReceiveCount: 10 });
    await send(queue.url, ['once']);
    const batches: string[][] = [];
    const outcome = await source(queue, async (event) => void batches.push(event.Records.map((r) => r.body)), 10, 2).pollOnce();
    expect(batches).toEqual([['once']]);
    expect(outcome).toEqual({ received: 1, deleted: 1, failed: 0 });
    expect(await remaining(queue.url)).toBe(0);
  });

  it('respects the batch size', async () => {
    const queue = await queuePair();
    await send(queue.url, ['a', 'b', 'c']);
    const sizes: number[] = [];
    const consumer = source(queue, async (event) => void sizes.push(event.Records.length), 2);
    await consumer.pollOnce();
    await consumer.pollOnce();
    expect(sizes[0]).toBeLessThanOrEqual(2);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(3);
    expect(await remaining(queue.url)).toBe(0);
  });

  it('keeps the whole batch when the invocation fails, and the queue dead-letters it after maxReceiveCount', async () => {
    const queue = await queuePair();
    await send(queue.url, ['poison']);
    const receiveCounts: string[] = [];
    const consumer = source(queue, async (event) => {
      receiveCounts.push(...event.Records.map((r) => r.attributes.ApproximateReceiveCount));
      throw new Error('handler crashed');
    });
    consumer.start();
    // Bounded by count, not time: wait until the message has left the source queue.
    for (let i = 0; i < 100 && (await deadLettered(queue.dlqUrl)) === 0; i++) await new Promise((r) => setTimeout(r, 200));
    await consumer.stop();
    expect(await deadLettered(queue.dlqUrl)).toBe(1);
    expect(await remaining(queue.url)).toBe(0);
    expect(receiveCounts.length).toBeGreaterThanOrEqual(1);
    expect(receiveCounts.length).toBeLessThanOrEqual(2);
  });

  it('stops promptly while idle', async () => {
    const queue = await queuePair();
    const consumer = source(queue, async () => undefined);
    consumer.start();
    await consumer.stop();
    expect(await remaining(queue.url)).toBe(0);
  });

  it('a message sent while the source stops is handled, not held invisible for the visibility timeout', async () => {
    // The emulator hands a message to a long poll even after its client gave up on it; a stop
    // that aborted the receive in flight left the message invisible for the whole timeout (30 s here).
    const queue = await queuePair({ visibility: 30, maxReceiveCount: 5 });
    const handled: string[] = [];
    const invoke: Invoke = async (event) => void handled.push(...event.Records.map((r) => r.body));
    // The same client, counting the receives in flight: the stop below comes while one is.
    let receiving = 0;
    const counting = {
      send: async (command: Parameters<typeof sqs.send>[0], options?: Parameters<typeof sqs.send>[1]) => {
        const receive = command instanceof ReceiveMessageCommand;
        if (receive) receiving++;
        try {
          return await sqs.send(command as never, options as never);
        } finally {
          if (receive) receiving--;
        }
      },
    } as unknown as typeof sqs;
    // Its own log: the file's is for the tests that expect it empty.
    const own = (client: typeof sqs) => source(queue, invoke, 10, 0, 2, { sqs: client, log: () => {} });
    const first = own(counting);
    first.start();
    for (let i = 0; i < 200 && receiving === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(receiving).toBe(1);
    // Well inside the two-second wait: the emulator has taken the long poll on.
    await new Promise((r) => setTimeout(r, 300));
    const stopped = first.stop();
    await send(queue.url, ['during-stop']);
    await stopped;
    // Three polls by a new source, two seconds at most each: far shorter than the 30 s a stranded message waits.
    const second = own(sqs);
    for (let i = 0; i < 3 && handled.length === 0; i++) await second.pollOnce();
    expect(handled).toEqual(['during-stop']);
    expect(await remaining(queue.url)).toBe(0);
  });

  it('a stop still ends when the emulator stalls: the receive that outlives its wait is cut', async () => {
    let cut = false;
    const stalling = {
      // A receive that never answers unless its caller gives up.
      send: (_command: unknown, options?: { abortSignal?: AbortSignal }) =>
        new Promise((_resolve, reject) =>
          options?.abortSignal?.addEventListener('abort', () => {
            cut = true;
            reject(new Error('aborted'));
          }),
        ),
    } as unknown as typeof sqs;
    const queue = { url: 'http://127.0.0.1:1/000000000000/stalled', arn: 'arn:aws:sqs:eu-west-1:000000000000:stalled' };
    const consumer = source(queue, async () => undefined, 10, 0, 0, { sqs: stalling, stopGraceMs: 200, log: () => {} });
    consumer.start();
    await consumer.stop();
    expect(cut).toBe(true);
  });
});
