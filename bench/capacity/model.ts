/**
 * The capacity model: per route, from the calls the code makes (measured, docs/capacity.json)
 * and the figures of assumptions.ts, the peak rate it sustains before the busiest single
 * partition, Lambda's concurrency or KMS's request quota is reached, and its cost per million
 * requests at list prices. `npm run capacity` prints it; docs/capacity.md quotes a run.
 */
import { readFileSync } from 'node:fs';
import { FUNCTIONS, type FunctionDeclaration } from '../../shared/deployment/functions.js';
import { readSettings } from '../../shared/config/env.js';
import { DURATION, LIMITS, PEAK_DEMAND, PRICES, SQS_CONSUMER } from './assumptions.js';
import type { MeasuredFigures, RouteFigures } from './measure.js';

export const FIGURES_FILE = new URL('../../docs/capacity.json', import.meta.url);

export const readFigures = (): MeasuredFigures => JSON.parse(readFileSync(FIGURES_FILE, 'utf8')) as MeasuredFigures;

/** What serverless.yml deploys: the region (its default) and the functions' memory. */
export const deployment = () => {
  const yml = readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8');
  const region = /^\s+region: \$\{opt:region, '([a-z0-9-]+)'\}/m.exec(yml)?.[1] ?? 'eu-west-1';
  const memoryMb = Number(/^\s+memorySize: (\d+)/m.exec(yml)?.[1] ?? 1024);
  return { region, memoryMb };
};

/**
 * Write shards per key family, from the configuration when it names any (a setting or a
 * variable whose name says shards: `AUDIT_SHARDS`, `CLAIM_INDEX_SHARDS`, or the like), else 1.
 * A family is the audit trail (AuditTable) or the claim indexes (ClaimsTable/index/…).
 */
export const shardCounts = (env: NodeJS.ProcessEnv = process.env): { audit: number; claimIndexes: number; from: string[] } => {
  const found: Record<string, number> = {};
  const settings = readSettings(env) as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(settings)) if (/shard/i.test(name) && typeof value === 'number') found[name] = value;
  for (const [name, value] of Object.entries(env)) if (/SHARDS?$/i.test(name) && value && Number.isInteger(Number(value))) found[name] = Number(value);
  const pick = (re: RegExp) => Object.entries(found).find(([name]) => re.test(name));
  const audit = pick(/audit/i);
  const claims = pick(/claim/i);
  return {
    audit: audit?.[1] ?? 1,
    claimIndexes: claims?.[1] ?? 1,
    from: [audit ? `${audit[0]}=${audit[1]}` : 'audit: no shard setting (1)', claims ? `${claims[0]}=${claims[1]}` : 'claim indexes: no shard setting (1)'],
  };
};

export interface ModelRow {
  function: string;
  route: string;
  per: string;
  reads: number;
  writes: number;
  readUnits: number;
  writeUnits: number;
  kms: number;
  sqs: number;
  sources: number;
  /** The shared partition that limits the route, its write units per request on it, and the rate it allows. */
  hotPartition?: { resource: string; example: string; unitsPerRequest: number; shards: number; ratePerSecond: number };
  durationMs: number;
  lambdaRatePerSecond: number;
  kmsRatePerSecond: number;
  peakRatePerSecond: number;
  limitedBy: string;
  throttle?: { ratePerSecond: number; burst: number };
  peakDemandPerSecond: number;
  costPerMillion: { total: number; parts: Record<string, number> };
}

const sum = (rec: Record<string, number>, re: RegExp) => Object.entries(rec).reduce((s, [k, v]) => (re.test(k) ? s + v : s), 0);
const r2 = (n: number) => Math.round(n * 100) / 100;

export const modelRow = (f: RouteFigures, shards = shardCounts(), dep = deployment()): ModelRow => {
  const fn = (FUNCTIONS as Record<string, FunctionDeclaration>)[f.function];
  if (!fn) throw new Error(`${f.function} is not a function of shared/deployment/functions.ts`);
  const isConsumer = f.function === 'evaluateTrainingLeaveClaims';
  const reads = sum(f.items, /^read /);
  const writes = sum(f.items, /^write /);
  const readUnits = sum(f.capacityUnits, /^read /);
  const writeUnits = sum(f.capacityUnits, /^write /);
  const kms = sum(f.calls, /^kms /);
  const sqs = sum(f.calls, /^sqs /);
  const sources = sum(f.calls, /^sources /);
  const awsCalls = sum(f.calls, /^(dynamodb|kms|sqs) /);

  // (a) The busiest shared partition: the write units per request on a shared key, spread over its shards.
  let hot: ModelRow['hotPartition'];
  for (const [resource, spread] of Object.entries(f.writeKeys)) {
    if (spread.key !== 'shared') continue;
    const units = f.capacityUnits[`write ${resource}`] ?? spread.writesPerRequest;
    const n =
      resource.startsWith('AuditTable') && !resource.includes('/index/') ? shards.audit : resource.startsWith('ClaimsTable/index/') ? shards.claimIndexes : 1;
    const rate = LIMITS.partitionWriteUnitsPerSecond.value / (units / n);
    if (!hot || rate < hot.ratePerSecond) hot = { resource, example: spread.example, unitsPerRequest: units, shards: n, ratePerSecond: rate };
  }
  // (b) Lambda: the account's concurrency over the assumed duration of one invocation (a consumer invocation takes a batch of 10, in parallel).
  const durationMs = DURATION.baseMs.value + awsCalls * DURATION.awsCallMs.value + sources * DURATION.sourceCallMs.value;
  const perInvocation = isConsumer ? (fn.batch?.batchSize ?? 1) : 1;
  const lambdaRate = (LIMITS.lambdaConcurrency.value / (durationMs / 1000)) * perInvocation;
  // (c) KMS: the shared request quota over the warm calls per request.
  const kmsRate = kms > 0 ? LIMITS.kmsSymmetricRequestsPerSecond.value / kms : Number.POSITIVE_INFINITY;
  const candidates: [string, number][] = [
    [hot ? `partition ${hot.resource}` : 'partition', hot?.ratePerSecond ?? Number.POSITIVE_INFINITY],
    ['Lambda concurrency', lambdaRate],
    ['KMS quota', kmsRate],
  ];
  const [limitedBy, peak] = candidates.reduce((a, b) => (b[1] < a[1] ? b : a));

  // Cost per million requests, USD, list prices of the region.
  const gbSeconds = ((durationMs / 1000) * (dep.memoryMb / 1024)) / perInvocation;
  const parts: Record<string, number> = {
    ...(isConsumer ? {} : { 'API Gateway': PRICES.httpApiPerMillion.value }),
    'Lambda requests': PRICES.lambdaRequestsPerMillion.value / perInvocation,
    'Lambda GB-s': gbSeconds * PRICES.lambdaArmGbSecond.value * 1e6,
    'DynamoDB writes': writeUnits * PRICES.dynamoWriteRequestUnitPerMillion.value,
    'DynamoDB reads': readUnits * PRICES.dynamoReadRequestUnitPerMillion.value,
    KMS: kms * PRICES.kmsPerMillion.value,
    SQS: (sqs + (isConsumer ? SQS_CONSUMER.receivesAndDeletesPerClaim.value : 0)) * PRICES.sqsPerMillion.value,
  };
  const total = Object.values(parts).reduce((a, b) => a + b, 0);
  return {
    function: f.function,
    route: f.route,
    per: f.per,
    reads,
    writes,
    readUnits,
    writeUnits,
    kms,
    sqs,
    sources,
    ...(hot ? { hotPartition: hot } : {}),
    durationMs,
    lambdaRatePerSecond: lambdaRate,
    kmsRatePerSecond: kmsRate,
    peakRatePerSecond: peak,
    limitedBy,
    ...(fn.throttle ? { throttle: fn.throttle } : {}),
    peakDemandPerSecond: (PEAK_DEMAND as Record<string, { value: number }>)[f.function]?.value ?? 0,
    costPerMillion: { total, parts: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, r2(v)])) },
  };
};

export const model = (figures: MeasuredFigures = readFigures()) => {
  const shards = shardCounts();
  const dep = deployment();
  return { shards, deployment: dep, rows: figures.routes.map((f) => modelRow(f, shards, dep)) };
};

const fmt = (n: number) => (Number.isFinite(n) ? (n >= 100 ? Math.round(n).toLocaleString('en-US') : String(r2(n))) : '∞');

/** The model as a Markdown table (what `npm run capacity` prints and docs/capacity.md quotes). */
export const modelTable = (m = model()): string => {
  const head = [
    '| Route | Per | Reads (items / RCU) | Writes (items / WCU) | KMS | SQS | Sources | Busiest shared partition (WCU per request ÷ shards) | Partition limit /s | Lambda limit /s (assumed ms) | KMS limit /s | **Peak /s** | Limited by | Throttle /s | Peak demand /s (assumed) | USD per million |',
    '|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|---:|---:|---:|',
  ];
  const rows = m.rows.map((r) =>
    [
      `\`${r.route}\``,
      r.per,
      `${fmt(r.reads)} / ${fmt(r.readUnits)}`,
      `${fmt(r.writes)} / ${fmt(r.writeUnits)}`,
      fmt(r.kms),
      fmt(r.sqs),
      fmt(r.sources),
      r.hotPartition ? `${r.hotPartition.resource} \`${r.hotPartition.example}\` (${fmt(r.hotPartition.unitsPerRequest)} ÷ ${r.hotPartition.shards})` : 'none',
      fmt(r.hotPartition?.ratePerSecond ?? Number.POSITIVE_INFINITY),
      `${fmt(r.lambdaRatePerSecond)} (${r.durationMs})`,
      fmt(r.kmsRatePerSecond),
      `**${fmt(r.peakRatePerSecond)}**`,
      r.limitedBy,
      r.throttle ? `${r.throttle.ratePerSecond} (burst ${r.throttle.burst})` : '–',
      fmt(r.peakDemandPerSecond),
      r.costPerMillion.total.toFixed(2),
    ].join(' | '),
  );
  return [...head, ...rows.map((r) => `| ${r} |`)].join('\n');
};

/** The cost parts per route, as a second table. */
export const costTable = (m = model()): string => {
  const keys = [...new Set(m.rows.flatMap((r) => Object.keys(r.costPerMillion.parts)))];
  return [
    `| Route | ${keys.join(' | ')} | Total |`,
    `|---|${keys.map(() => '---:').join('|')}|---:|`,
    ...m.rows.map(
      (r) => `| \`${r.route}\` | ${keys.map((k) => (r.costPerMillion.parts[k] ?? 0).toFixed(2)).join(' | ')} | ${r.costPerMillion.total.toFixed(2)} |`,
    ),
  ].join('\n');
};
