import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { measureRoutes } from '../../bench/capacity/measure.js';
import { FIGURES_FILE, model, readFigures } from '../../bench/capacity/model.js';
import { ROUTES } from '../../bench/capacity/routes.js';
import { isExternalTarget, targetEnv, targetValue } from '../support/target.js';

// The capacity model (docs/capacity.md) computes from docs/capacity.json: per route, the calls
// its deployed handler makes. Counted here again from the code's own calls, against the local
// cloud; a change of the code that changes them fails until the file is regenerated
// (CAPACITY_WRITE=1 npx vitest run --project integration test/integration/capacity.test.ts).
describe.skipIf(isExternalTarget())('the capacity model’s figures', () => {
  it('are the calls each route’s handler makes, per request, as docs/capacity.json states them', async () => {
    const measured = await measureRoutes(targetEnv(), targetValue('LOCAL_IDP_DIR'));
    if (process.env.CAPACITY_WRITE === '1') writeFileSync(FIGURES_FILE, `${JSON.stringify(measured, null, 2)}\n`);
    const recorded = readFigures();
    expect(measured.routes.map((r) => r.function)).toEqual(Object.keys(ROUTES));
    // The warm figures exactly. The first request's extra calls (`cold`: a data key, the day's
    // audit shard count, a premium check already stored by another file) depend on what ran
    // before on the same cloud: recorded for the model's notes, not compared.
    const warm = (routes: typeof measured.routes) => routes.map(({ cold: _cold, ...rest }) => rest);
    expect(warm(measured.routes)).toEqual(warm(recorded.routes));
  }, 240_000);

  it('gives every route a peak rate below each of its limits, and a cost', () => {
    const { rows } = model();
    expect(rows.map((r) => r.function)).toEqual(Object.keys(ROUTES));
    for (const row of rows) {
      expect(row.peakRatePerSecond).toBeGreaterThan(0);
      expect(row.peakRatePerSecond).toBeLessThanOrEqual(
        Math.min(row.hotPartition?.ratePerSecond ?? Number.POSITIVE_INFINITY, row.lambdaRatePerSecond, row.kmsRatePerSecond),
      );
      expect(row.costPerMillion.total).toBeGreaterThan(0);
    }
    // Every route writes its audit record on the trail's shared partition of the day (until it is sharded).
    for (const row of readFigures().routes) expect(row.writeKeys.AuditTable?.key).toBe('shared');
  });
});
