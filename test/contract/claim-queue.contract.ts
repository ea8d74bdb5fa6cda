import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ClaimQueueWithBatch } from '../../shared/composition/storage.js';

/**
 * The claim queue's contract, for every implementation (SQS, pg-boss, the in-memory fake):
 * only the claim id travels, each id queued is delivered, a batch is queued whole, and an
 * empty batch queues nothing. `received()` reads back every message queued so far (raw
 * bodies, as the consumer would get them), draining the queue.
 */
export interface QueueUnderTest {
  queue: ClaimQueueWithBatch;
  received(): Promise<unknown[]>;
}

export const claimQueueContract = (name: string, make: () => Promise<QueueUnderTest>) => {
  describe(`claim queue contract: ${name}`, () => {
    it('carries the claim id only: the message is exactly { claimId }', async () => {
      const { queue, received } = await make();
      const claimId = randomUUID();
      await queue.enqueue(claimId);
      expect(await received()).toEqual([{ claimId }]);
    });

    it('delivers every id of a batch once, above one request’s size (25)', async () => {
      const { queue, received } = await make();
      const ids = Array.from({ length: 25 }, () => randomUUID());
      await queue.enqueueAll(ids);
      const got = (await received()) as { claimId: string }[];
      expect(got.map((m) => m.claimId).sort()).toEqual([...ids].sort());
      expect(got.every((m) => Object.keys(m).length === 1)).toBe(true);
    });

    it('queues nothing for an empty batch, and the same id twice as two messages (the consumer decides once)', async () => {
      const { queue, received } = await make();
      await queue.enqueueAll([]);
      expect(await received()).toEqual([]);
      const claimId = randomUUID();
      await queue.enqueue(claimId);
      await queue.enqueue(claimId);
      expect(await received()).toEqual([{ claimId }, { claimId }]);
    });
  });
};
