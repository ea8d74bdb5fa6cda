/**
 * `npm run capacity`: prints the capacity model (bench/capacity/model.ts, from docs/capacity.json
 * and bench/capacity/assumptions.ts), then runs a short mixed load against the local cloud
 * (the emulators in a child process, as the benchmarks start them; the handlers in this process)
 * and reports, per table and index, the share of its writes that landed on its busiest
 * partition key value, counted from the code's own calls (bench/capacity/counting.ts).
 *
 * Done when no table or index takes more than a third of its writes on one key value, unless
 * that key is one claim's, one person's or one employer's by nature (marked). Fails (exit 1)
 * when the load completed no work. `--check` also measures every route again and compares
 * with docs/capacity.json. CAPACITY_REQUESTS (default 300) sets the size of the load.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallCounter, withScope } from './capacity/counting.js';
import { ENTITY_MARKS, maskKey, measureRoutes, SDK_CLIENTS } from './capacity/measure.js';
import { costTable, model, modelTable, readFigures } from './capacity/model.js';
import { ENTITIES, freshEnterprise, nissFor, routeDriver } from './capacity/routes.js';
import { startEmulators } from './emulators.js';

const REQUESTS = Number(process.env.CAPACITY_REQUESTS ?? 300);
const CONCURRENCY = 10;
const THRESHOLD = 1 / 3;

const m = model();
console.log(`# Capacity model (${m.deployment.region}, ${m.deployment.memoryMb} MB arm64; shards: ${m.shards.from.join(', ')})\n`);
console.log(modelTable(m));
console.log('\nCost per million requests, USD, list prices of 2026-12:\n');
console.log(costTable(m));

process.env.LOCAL_CLOCK ??= '2024-11-15T10:00:00Z';
const idpDir = await mkdtemp(join(tmpdir(), 'capacity-idp-'));
const cloud = await startEmulators(['--idp-dir', idpDir]);
let failed = false;
try {
  if (process.argv.includes('--check')) {
    const measured = await measureRoutes(cloud.env, idpDir);
    const same = JSON.stringify(measured.routes) === JSON.stringify(readFigures().routes);
    console.log(
      `\nFigures measured again: ${same ? 'the same as docs/capacity.json' : 'DIFFERENT from docs/capacity.json (regenerate it: see docs/capacity.md)'}`,
    );
    if (!same) failed = true;
  }
  const counter = new CallCounter(cloud.env.AWS_ENDPOINT_URL_DYNAMODB);
  const uninstall = counter.install(SDK_CLIENTS);
  const driver = await routeDriver(cloud.env, idpDir);
  // The mix: lookups and simulations by citizens, claims from several employers (the dataset's,
  // whose claims are evaluated and read, and employers of this run's own), premium checks,
  // lists and access logs. Shares of REQUESTS.
  const employers = [freshEnterprise(), freshEnterprise(), freshEnterprise(), freshEnterprise()];
  const decided: string[] = [];
  let worker = 0;
  const kinds: [string, number, (i: number) => Promise<unknown>][] = [
    ['possibilities', 0.3, (i) => driver.careerBreakPossibilities(ENTITIES.citizens[i % ENTITIES.citizens.length]!)],
    ['what-if', 0.1, (i) => driver.careerBreakWhatIf(ENTITIES.citizens[i % ENTITIES.citizens.length]!)],
    ['claim (other employers)', 0.2, (i) => driver.submitTrainingLeaveClaim(nissFor(worker++), employers[i % employers.length]!)],
    [
      'claim, evaluated and read',
      0.15,
      async (i) => {
        const id = await driver.submitTrainingLeaveClaim(ENTITIES.workers[i % ENTITIES.workers.length]!);
        await driver.evaluateTrainingLeaveClaims(id);
        await driver.getTrainingLeaveClaim(id);
        decided.push(id);
      },
    ],
    ['premium check', 0.2, (i) => driver.checkPremium(ENTITIES.premiumMonths[i % ENTITIES.premiumMonths.length]!, 1000 + i)],
    ['access log', 0.05, (i) => driver.readAccessLog(ENTITIES.citizens[i % ENTITIES.citizens.length]!, 5, false)],
  ];
  // Interleaved: the n-th request of every kind, then the (n+1)-th, so every kind runs alongside the others.
  const plan = kinds
    .flatMap(([name, share, run]) => Array.from({ length: Math.max(1, Math.round(REQUESTS * share)) }, (_, i) => ({ name, i, run: () => run(i) })))
    .sort((a, b) => a.i - b.i);
  const done: Record<string, number> = {};
  const errors: Record<string, string> = {};
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < plan.length) {
        const job = plan[next++]!;
        try {
          await withScope('load', job.run);
          done[job.name] = (done[job.name] ?? 0) + 1;
        } catch (error) {
          errors[job.name] ??= (error as Error).message.slice(0, 200);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  uninstall();
  const completed = Object.values(done).reduce((a, b) => a + b, 0);
  console.log(`\n# Mixed load: ${completed} of ${plan.length} requests done in ${seconds.toFixed(1)} s (${CONCURRENCY} at a time)\n`);
  for (const [name, n] of Object.entries(done)) console.log(`- ${name}: ${n}`);
  for (const [name, e] of Object.entries(errors)) console.log(`- ${name}: FAILED at least once: ${e}`);

  // Per table and index: writes per partition key value, from the calls of the load.
  const byResource = new Map<string, Map<string, number>>();
  const names: Record<string, string> = {
    [cloud.env.CLAIMS_TABLE!]: 'ClaimsTable',
    [cloud.env.PREMIUM_CHECKS_TABLE!]: 'PremiumChecksTable',
    [cloud.env.AUDIT_TABLE!]: 'AuditTable',
  };
  for (const call of counter.of('load'))
    for (const p of call.partitions) {
      const resource = `${names[p.table] ?? p.table}${p.index ? `/index/${p.index}` : ''}`;
      const values = byResource.get(resource) ?? new Map<string, number>();
      values.set(p.key, (values.get(p.key) ?? 0) + 1);
      byResource.set(resource, values);
    }
  console.log('\n# Writes on the busiest partition key value, per table and index\n');
  console.log('| Table / index | Writes | Key values | Busiest value | Its writes | Share | Whose key | Check |');
  console.log('|---|---:|---:|---|---:|---:|---|---|');
  let over = 0;
  for (const [resource, values] of [...byResource.entries()].sort()) {
    const total = [...values.values()].reduce((a, b) => a + b, 0);
    const [value, n] = [...values.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const masked = maskKey(value);
    const entity = ENTITY_MARKS.find(([mark]) => masked.includes(mark))?.[1];
    const share = n / total;
    const check = share <= THRESHOLD ? 'ok' : entity ? `ok (${entity}'s by nature)` : 'OVER 1/3';
    if (check === 'OVER 1/3') over++;
    console.log(`| ${resource} | ${total} | ${values.size} | \`${masked}\` | ${n} | ${(share * 100).toFixed(1)} % | ${entity ?? 'shared'} | ${check} |`);
  }
  console.log(
    `\nDone when no table or index takes more than a third of its writes on one key value (keys of one claim, person or employer excepted): ${
      over === 0 ? 'MET' : `NOT MET (${over} table(s) or index(es) over a third)`
    }`,
  );
  if (completed === 0 || byResource.size === 0) {
    console.error('the load completed no work');
    failed = true;
  }
} finally {
  await cloud.stop();
}
process.exit(failed ? 1 : 0);
