import { describe, expect, it } from 'vitest';
import { deadline } from '../../shared/transport/deadline.js';

const aborted = (signal: AbortSignal) => new Promise<unknown>((resolve) => signal.addEventListener('abort', () => resolve(signal.reason), { once: true }));

describe('deadline (an attempt’s time-out)', () => {
  it('aborts with a TimeoutError once its time is up, as AbortSignal.timeout does', async () => {
    const { signal } = deadline(5);
    const reason = await aborted(signal);
    expect(signal.aborted).toBe(true);
    expect(reason).toBeInstanceOf(DOMException);
    expect((reason as DOMException).name).toBe('TimeoutError');
  });

  it('never fires once cleared: an answered call leaves no timer behind', async () => {
    const limit = deadline(5);
    limit.clear();
    // A later deadline's expiry proves the first one's moment has passed.
    await aborted(deadline(30).signal);
    expect(limit.signal.aborted).toBe(false);
  });
});
