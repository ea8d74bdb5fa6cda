import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Dataset, loadDataset } from '../../local/fake-sources/dataset.js';
import { type FakeSources, sourcesClock, startFakeSources } from '../../local/fake-sources/server.js';
import type { OnemCounters } from '../../shared/domain/career-break/present.js';

const NISS = '85073003328';

/** The bundled dataset, with one child who turns 8 on 2024-11-16 for this worker (time credit for a child under 8 ends). */
const datasetWithBirthday = async (): Promise<Dataset> => {
  const dataset = await loadDataset();
  return {
    ...dataset,
    careerBreakHistories: dataset.careerBreakHistories.map((h) => (h.niss === NISS ? { ...h, children: [{ birthDate: '2016-11-16' }] } : h)),
  };
};

const running: FakeSources[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const sources of running.splice(0)) await sources.close();
});

const countersOn = async (clock?: () => Date): Promise<OnemCounters> => {
  const sources = await startFakeSources(await datasetWithBirthday(), clock ? { clock } : {});
  running.push(sources);
  return (await (await fetch(`${sources.url}/onem/counters/${NISS}`)).json()) as OnemCounters;
};
const childUnder8Closed = (answer: OnemCounters) => answer.closures.some((c) => c.reason === 'CHILD_UNDER_8');

describe('the fake ONEM counts on the scenario clock, as the functions do', () => {
  it('answers on the LOCAL_CLOCK day: the child is 7 on 2024-11-15, 8 the next day', async () => {
    expect(childUnder8Closed(await countersOn(sourcesClock('2024-11-15T10:00:00Z')))).toBe(false);
    expect(await countersOn(sourcesClock('2024-11-16T10:00:00Z'))).toMatchObject({
      closures: expect.arrayContaining([{ reason: 'CHILD_UNDER_8', code: 'CHILD_TOO_OLD' }]),
    });
  });

  it('counts the day in Belgium: 23:30 UTC on 15 November is already the 16th in Brussels', async () => {
    expect(childUnder8Closed(await countersOn(sourcesClock('2024-11-15T23:30:00Z')))).toBe(true);
  });

  it('follows the wall clock when no LOCAL_CLOCK is set (the clock is faked here)', async () => {
    vi.useFakeTimers({ now: new Date('2024-11-15T10:00:00Z'), toFake: ['Date'] });
    expect(sourcesClock()().toISOString()).toBe('2024-11-15T10:00:00.000Z');
    expect(childUnder8Closed(await countersOn())).toBe(false);
    vi.setSystemTime(new Date('2025-03-01T10:00:00Z'));
    expect(childUnder8Closed(await countersOn())).toBe(true);
  });

  it('refuses a LOCAL_CLOCK that is not an instant at once, not on the first request', () => {
    expect(() => sourcesClock('15/11/2024')).toThrow('LOCAL_CLOCK is not an ISO instant');
  });
});
