import { describe, expect, it } from 'vitest';
import { goalsOf, goalsTable } from '../../bench/goals.js';

const met = (name: string, goals: ReturnType<typeof goalsOf>) => goals.find((g) => g.goal.startsWith(name))?.met;

describe("issue 28's goals, read from one bench run", () => {
  it('a cold start is met only when every function is within 1.5 × the baseline', () => {
    const cold = (ratios: number[]) => goalsOf({ 'cold-start': { functions: Object.fromEntries(ratios.map((r, i) => [`f${i}`, { ratioToBaseline: r }])) } });
    expect(met('cold start', cold([0.7, 1.5]))).toBe(true);
    const missed = cold([0.7, 1.51, 1.2]);
    expect(met('cold start', missed)).toBe(false);
    expect(missed[0]!.measured).toContain('worst 1.51 (f1); 2 of 3 within');
  });

  it('the pipeline needs the ratio and nothing lost, nothing twice, the hours the rules give', () => {
    const pipeline = (over: Record<string, unknown>) =>
      goalsOf({
        pipeline: {
          spreadToStorageOnly: 0.85,
          lost: 0,
          decidedTwice: 0,
          spread: { approvedHours: 10, expectedApprovedHours: 10 },
          oneWorker: { approvedHours: 120, expectedApprovedHours: 120 },
          ...over,
        },
      });
    expect([met('claim pipeline ÷', pipeline({})), met('claim pipeline:', pipeline({}))]).toEqual([true, true]);
    expect(met('claim pipeline ÷', pipeline({ spreadToStorageOnly: 0.79 }))).toBe(false);
    expect(met('claim pipeline:', pipeline({ lost: 1 }))).toBe(false);
    expect(met('claim pipeline:', pipeline({ oneWorker: { approvedHours: 125, expectedApprovedHours: 120 } }))).toBe(false);
  });

  it('the local API needs both its ratio and its tail, without errors', () => {
    const api = (ratio: number, tail: number, errors = 0) => goalsOf({ 'local-api': { apiToInProcess: ratio, api: { p99ToP50: tail, errors } } });
    expect([met('local API requests', api(0.9, 2)), met('local API p99', api(0.9, 2))]).toEqual([true, true]);
    expect(met('local API requests', api(0.89, 1.5))).toBe(false);
    expect(met('local API p99', api(0.95, 2.01))).toBe(false);
    expect(met('local API p99', api(0.95, 1.5, 3))).toBe(false);
  });

  it('the local cloud stays within 1 GiB under the local API’s load, not only at start-up; no sample or a failed load is not measured', () => {
    const under = (peak?: number, errors = 0) =>
      goalsOf({ 'local-api': { apiToInProcess: 0.9, api: { p99ToP50: 2, errors }, localCloudPeakResidentGiB: peak } });
    expect(met('local cloud', under(0.93))).toBe(true);
    expect(met('local cloud', under(1.01))).toBe(false);
    expect(under(1.01).find((g) => g.goal.startsWith('local cloud'))!.measured).toBe('1.010 GiB');
    expect(met('local cloud', under(undefined))).toBe('not measured');
    expect(met('local cloud', under(0))).toBe('not measured');
    expect(met('local cloud', under(0.5, 9000))).toBe('not measured');
  });

  it('a benchmark that did not run is "not measured", never met', () => {
    const goals = goalsOf({});
    expect(goals.map((g) => g.met)).toEqual(Array(goals.length).fill('not measured'));
    expect(goalsTable(goals)).toContain('not measured');
    expect(goalsTable(goals)).not.toMatch(/\| met \|/);
  });
});
