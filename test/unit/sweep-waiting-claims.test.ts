import { describe, expect, it } from 'vitest';
import { type SweepDeps, sweepWaitingClaims } from '../../functions/training-leave/sweep-waiting-claims.js';

/** Resolves when `resolve` is called: a gate one sweep waits on until the other has started. */
const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
};

describe('the sweeper', () => {
  it('reads the waiting claims and the provisional decisions due at once, and queues each list once', async () => {
    const settleStarted = gate();
    const waitingStarted = gate();
    const queued: string[][] = [];
    const deps: SweepDeps = {
      claims: {
        // Each read waits until the other has started: one after the other, neither would ever answer.
        waiting: async () => {
          waitingStarted.open();
          await settleStarted.opened;
          return ['lost-1', 'lost-2'];
        },
        dueForSettlement: async () => {
          settleStarted.open();
          await waitingStarted.opened;
          return ['provisional-1'];
        },
      },
      queue: { enqueueAll: async (ids) => void queued.push([...ids]) },
    };
    const result = await sweepWaitingClaims(deps, new Date('2026-12-06T10:00:00Z'), 300);
    expect(result).toEqual({ requeued: 2, toSettle: 1 });
    expect(queued.sort()).toEqual([['lost-1', 'lost-2'], ['provisional-1']]);
  });

  it('a failing read fails the run (the schedule runs it again), once the other sweep has queued its claims: nothing left running', async () => {
    const queued: string[] = [];
    const deps: SweepDeps = {
      claims: {
        waiting: async () => {
          // Slower than the failing read: the run must still wait for it.
          await new Promise((resolve) => setImmediate(resolve));
          return ['lost-1'];
        },
        dueForSettlement: async () => {
          throw new Error('DynamoDB down');
        },
      },
      queue: {
        enqueueAll: async (ids) => {
          await new Promise((resolve) => setImmediate(resolve));
          queued.push(...ids);
        },
      },
    };
    await expect(sweepWaitingClaims(deps, new Date('2026-12-06T10:00:00Z'), 300)).rejects.toThrow('DynamoDB down');
    expect(queued).toEqual(['lost-1']);
  });
});
