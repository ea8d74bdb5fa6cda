/**
 * Per route, what one request costs in calls to AWS and to the sources, counted from the
 * code's own calls (counting.ts) while the deployed handlers run in process (routes.ts):
 * the figures the capacity model (model.ts) is computed from. `docs/capacity.json` keeps them;
 * test/integration/capacity.test.ts measures them again and fails when the code and the file
 * disagree, so the model cannot drift from the code.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type Call, CallCounter, withScope } from './counting.js';
import { ENTITIES, freshEnterprise, nissFor, ROUTES, type RouteDriver, type RouteName, routeDriver } from './routes.js';

export const SDK_CLIENTS = [DynamoDBClient, DynamoDBDocumentClient, KMSClient, SQSClient, SecretsManagerClient];

/**
 * Whose a written key is, read from its value once identifiers are masked: one that names a
 * claim, a check, a worker or subject (their hash) or an employer is that one's by nature (a
 * limit on that one, never on the route); any other value (a constant, a purpose and a day,
 * a shard of one) is `shared` by every request of the route that writes there.
 */
export const ENTITY_MARKS = [
  ['<id>', 'one claim or check'],
  ['<subject hash>', 'one person'],
  ['<hash>', 'one person'],
  ['<enterprise>', 'one employer'],
] as const;

/** Where one route's writes to a table or index land. */
export interface KeySpread {
  /** Items written to this table or index per request. */
  writesPerRequest: number;
  /** `shared`: every request of the route writes one value (or one of its shards); `own`: a value per claim, person or employer. */
  key: 'shared' | 'own';
  /** Whose key it is, for `own`. */
  entity?: string;
  /** The busiest value seen, identifiers masked (`<id>`, `<subject hash>`, `<enterprise>`, `<date>`, `<shard>`). */
  example: string;
}

export interface RouteFigures {
  function: RouteName;
  route: string;
  per: string;
  /** Requests measured (after one warm-up request, whose extra calls are `cold`). */
  requests: number;
  /** Calls per request: `<service> <operation> <resource>` (e.g. `dynamodb PutItem AuditTable`, `kms GenerateMac`, `sources onem`). */
  calls: Record<string, number>;
  /** Items per request: `<read|write> <resource>`. */
  items: Record<string, number>;
  /** Capacity units per request as DynamoDB reports them: `<read|write> <resource>` (transactions count double, index writes apart). */
  capacityUnits: Record<string, number>;
  /** Per written table or index (`Table` or `Table/index/name`). */
  writeKeys: Record<string, KeySpread>;
  /** Calls the first request of a container makes beyond a warm one (key caches, secrets). */
  cold: Record<string, number>;
}

export interface MeasuredFigures {
  measuredAt: string;
  note: string;
  routes: RouteFigures[];
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** Logical ids of serverless.yml for the configured names. */
const logicalNames = (env: Record<string, string>) => {
  const names: Record<string, string> = {
    [env.CLAIMS_TABLE!]: 'ClaimsTable',
    [env.PREMIUM_CHECKS_TABLE!]: 'PremiumChecksTable',
    [env.AUDIT_TABLE!]: 'AuditTable',
  };
  return (table: string | undefined, index?: string) => {
    const base = table === undefined ? '?' : (names[table] ?? table);
    return index ? `${base}/index/${index}` : base;
  };
};

/** Identifiers out of a key value: ids, hashes, dates, enterprise numbers. */
export const maskKey = (value: string): string =>
  value
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/v\d+:[0-9a-f]{16,}/gi, '<subject hash>')
    .replace(/[0-9a-f]{24,}/gi, '<hash>')
    .replace(/\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?/g, '<date>')
    .replace(/\b[01]\d{9}\b/g, '<enterprise>')
    // A shard suffix (`…#7`), the same whichever shard the request took.
    .replace(/#\d{1,4}$/, '#<shard>');

type Tally = { calls: Record<string, number>; items: Record<string, number>; capacity: Record<string, number>; writes: { resource: string; key: string }[] };

const tally = (calls: readonly Call[], name: ReturnType<typeof logicalNames>): Tally => {
  const t: Tally = { calls: {}, items: {}, capacity: {}, writes: [] };
  const add = (rec: Record<string, number>, key: string, n: number) => {
    if (n) rec[key] = round((rec[key] ?? 0) + n);
  };
  for (const c of calls) {
    const resource = c.service === 'dynamodb' ? name(c.table, c.index) : c.service === 'sqs' ? 'ClaimQueue' : c.table;
    add(t.calls, `${c.service} ${c.operation}${resource ? ` ${resource}` : ''}${c.failed ? ` (failed: ${c.failed})` : ''}`, 1);
    if (c.service !== 'dynamodb' || c.failed) continue;
    const kind = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems'].includes(c.operation) ? 'write' : 'read';
    add(t.items, `${kind} ${name(c.table, c.index)}`, c.items);
    for (const [resource, units] of Object.entries(c.capacity))
      add(t.capacity, `${kind} ${resource === 'Table' ? name(c.table) : name(c.table, resource)}`, units);
    for (const p of c.partitions) t.writes.push({ resource: name(p.table, p.index), key: p.key });
  }
  return t;
};

/** `a − b` per key, keeping what grew. */
const extra = (a: Record<string, number>, b: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(a)
      .map(([k, v]) => [k, round(v - (b[k] ?? 0))] as const)
      .filter(([, v]) => v > 0),
  );

const sameRecord = (a: Record<string, number>, b: Record<string, number>, varying: readonly string[] = []) => {
  const fixed = (r: Record<string, number>) => Object.entries(r).filter(([k]) => !varying.includes(k));
  return JSON.stringify(fixed(a).sort()) === JSON.stringify(fixed(b).sort());
};

/**
 * Calls a route may make in one request and not in the next, by design, counted at their most
 * (a request that finds nothing shared makes them): the consumer shares a training's
 * definition between the claims that name it for 30 s (shared/sources/training-leave.ts).
 */
const SHARED_READS: Partial<Record<RouteName, readonly string[]>> = {
  evaluateTrainingLeaveClaims: ['sources GET training-database'],
};

/**
 * Runs `request` once to warm up, then once per entity × `rounds`, each in its own scope, and
 * gives the route's figures. Every measured request must make the same calls and write the
 * same items: a route whose requests differ (a cache warming, a branch) fails, naming the
 * difference. Capacity units follow the items' sizes (a premium check's findings, a list's
 * reasons), so the figure is the largest any measured request used.
 */
const measureRoute = async (
  counter: CallCounter,
  name: ReturnType<typeof logicalNames>,
  fn: RouteName,
  entities: readonly string[],
  request: (entity: string, n: number) => Promise<unknown>,
  rounds = 2,
): Promise<RouteFigures> => {
  const label = (n: number | 'cold') => `${fn}:${n}`;
  await withScope(label('cold'), () => request(entities[0]!, -1));
  const runs: { entity: string; tally: Tally }[] = [];
  let n = 0;
  for (let round = 0; round < rounds; round++)
    for (const entity of entities) {
      const at = n++;
      await withScope(label(at), () => request(entity, at));
      runs.push({ entity, tally: tally(counter.of(label(at)), name) });
    }
  const first = runs[0]!.tally;
  const varying = SHARED_READS[fn] ?? [];
  for (const [i, run] of runs.entries()) {
    for (const key of varying) if (run.tally.calls[key] !== undefined) first.calls[key] = Math.max(first.calls[key] ?? 0, run.tally.calls[key]);
    for (const part of ['calls', 'items'] as const)
      if (!sameRecord(run.tally[part], first[part], varying))
        throw new Error(
          `${fn}: request ${i} (${run.entity}) made other ${part} than request 0: ${JSON.stringify(run.tally[part])} against ${JSON.stringify(first[part])}`,
        );
    for (const [unit, used] of Object.entries(run.tally.capacity)) first.capacity[unit] = Math.max(first.capacity[unit] ?? 0, used);
  }
  const cold = tally(counter.of(label('cold')), name);
  // Per written resource: the busiest value, and whose key it is by nature.
  const writeKeys: Record<string, KeySpread> = {};
  const resources = [...new Set(runs.flatMap((r) => r.tally.writes.map((w) => w.resource)))].sort();
  for (const resource of resources) {
    const counts = new Map<string, number>();
    for (const run of runs) for (const w of run.tally.writes.filter((x) => x.resource === resource)) counts.set(w.key, (counts.get(w.key) ?? 0) + 1);
    const busiest = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const example = maskKey(busiest[0]);
    const entity = ENTITY_MARKS.find(([mark]) => example.includes(mark))?.[1];
    writeKeys[resource] = {
      writesPerRequest: round(first.writes.filter((w) => w.resource === resource).length),
      key: entity ? 'own' : 'shared',
      ...(entity ? { entity } : {}),
      example,
    };
  }
  const route = ROUTES[fn];
  return {
    function: fn,
    route: route.route,
    per: route.per,
    requests: runs.length,
    calls: first.calls,
    items: first.items,
    capacityUnits: first.capacity,
    writeKeys,
    cold: extra(cold.calls, first.calls),
  };
};

/**
 * Measures every route of the model against the local cloud named by `env` (its identity
 * provider's key in `idpDir`). Installs the counter on the SDK clients and on fetch for the
 * duration, and takes both out again.
 */
export const measureRoutes = async (env: Record<string, string>, idpDir: string, only?: readonly RouteName[]): Promise<MeasuredFigures> => {
  const counter = new CallCounter(env.AWS_ENDPOINT_URL_DYNAMODB);
  const uninstall = counter.install(SDK_CLIENTS);
  const unfetch = counter.installSources(env.SOURCES_BASE_URL!);
  try {
    const driver: RouteDriver = await routeDriver(env, idpDir);
    const name = logicalNames(env);
    const want = (r: RouteName) => !only || only.includes(r);
    const figures: RouteFigures[] = [];
    const setup = <T>(fn: () => Promise<T>) => withScope('setup', fn);

    if (want('careerBreakPossibilities'))
      figures.push(await measureRoute(counter, name, 'careerBreakPossibilities', ENTITIES.citizens, (c) => driver.careerBreakPossibilities(c)));
    if (want('careerBreakWhatIf')) figures.push(await measureRoute(counter, name, 'careerBreakWhatIf', ENTITIES.citizens, (c) => driver.careerBreakWhatIf(c)));

    // Claims: submitted, then each evaluated once, then read by DWSE; in the order of their entities.
    const submitted: string[] = [];
    let coldClaim = '';
    figures.push(
      await measureRoute(counter, name, 'submitTrainingLeaveClaim', ENTITIES.workers, async (w, n) => {
        const id = await driver.submitTrainingLeaveClaim(w);
        if (n >= 0) submitted.push(id);
        else coldClaim = id;
      }),
    );
    const byWorker = new Map<string, string[]>();
    for (const [i, w] of ENTITIES.workers.entries())
      byWorker.set(
        w,
        submitted.filter((_, k) => k % ENTITIES.workers.length === i),
      );
    const take = (w: string, n: number) => (n < 0 ? coldClaim : byWorker.get(w)![Math.floor(n / ENTITIES.workers.length)]!);
    if (want('evaluateTrainingLeaveClaims'))
      figures.push(
        await measureRoute(counter, name, 'evaluateTrainingLeaveClaims', ENTITIES.workers, (w, n) => driver.evaluateTrainingLeaveClaims(take(w, n))),
      );
    if (want('getTrainingLeaveClaim'))
      figures.push(await measureRoute(counter, name, 'getTrainingLeaveClaim', ENTITIES.workers, (w, n) => driver.getTrainingLeaveClaim(take(w, n))));

    if (want('listTrainingLeaveClaims')) {
      // Employers of this run's own, each with 10 claims for 10 workers: a full page each.
      const employers = [freshEnterprise(), freshEnterprise(), freshEnterprise()];
      let worker = 0;
      for (const e of employers) for (let i = 0; i < 10; i++) await setup(() => driver.submitTrainingLeaveClaim(nissFor(worker++), e));
      figures.push(await measureRoute(counter, name, 'listTrainingLeaveClaims', employers, (e) => driver.listTrainingLeaveClaims(e)));
    }
    if (want('checkPremium')) figures.push(await measureRoute(counter, name, 'checkPremium', ENTITIES.premiumMonths, (m, n) => driver.checkPremium(m, n + 1)));
    if (want('readAccessLog')) {
      // At least a page of records for each citizen, so that every read returns a full page.
      for (const c of ENTITIES.citizens) for (let i = 0; i < 6; i++) await setup(() => driver.careerBreakPossibilities(c));
      figures.push(await measureRoute(counter, name, 'readAccessLog', ENTITIES.citizens, (c) => driver.readAccessLog(c)));
    }
    return {
      measuredAt: new Date().toISOString(),
      note: 'Counted by bench/capacity/counting.ts from the calls of the deployed handlers run in process against the local cloud; per request after one warm-up request; regenerate with CAPACITY_WRITE=1 (see docs/capacity.md).',
      routes: figures,
    };
  } finally {
    unfetch();
    uninstall();
  }
};
