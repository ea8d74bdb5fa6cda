/**
 * Cold start per function, as Lambda would run it: the bundle (built with serverless.yml's
 * esbuild options) imported in a fresh Node process, then its first invocation with the
 * function's sample event from events/ (real tokens, against the local cloud running in
 * another process), with the deployed NODE_OPTIONS (none). Baseline: a bundle that imports
 * the DynamoDB client and makes one GetItem. Each function is also built with a source map
 * and run with --enable-source-maps, interleaved in the same rounds, for the decision on
 * source maps. Zip sizes are estimated by deflating the files.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadOrCreateSigningKey } from '../local/identity/keys.js';
import { type Principal, signToken } from '../local/identity/tokens.js';
import { bundle, functionEntries, projectDir } from './bundles.js';
import { startEmulators } from './emulators.js';
import { median, round, writeResult } from './support.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);

/** The sample event of each function, who calls it, and what its first answer must be (so that it did the work). */
const FIRST_CALL: Record<string, { event: string; principal?: Principal; expect: (out: any) => boolean }> = {
  baseline: { event: '', expect: (out) => out?.statusCode === 200 },
  health: { event: 'health.json', expect: (out) => out?.statusCode === 200 },
  openApiDocument: { event: 'openapi-document.json', expect: (out) => out?.statusCode === 200 && JSON.parse(out.body).openapi === '3.1.1' },
  notFound: { event: 'not-found.json', expect: (out) => out?.statusCode === 404 },
  apiReference: { event: 'api-reference.json', expect: (out) => out?.statusCode === 200 && String(out.headers?.['content-type']).startsWith('text/html') },
  careerBreakPossibilities: {
    event: 'career-break-possibilities.json',
    principal: { role: 'citizen', niss: '85073003328' },
    expect: (out) => out?.statusCode === 200,
  },
  careerBreakWhatIf: {
    event: 'career-break-what-if.json',
    principal: { role: 'citizen', niss: '85073003328' },
    expect: (out) => out?.statusCode === 200 && JSON.parse(out.body).plan?.fits === true,
  },
  submitTrainingLeaveClaim: {
    event: 'submit-training-leave-claim.json',
    principal: { role: 'employer', enterpriseNumber: '0403170701' },
    expect: (out) => out?.statusCode === 202,
  },
  getTrainingLeaveClaim: {
    event: 'get-training-leave-claim.json',
    principal: { role: 'dwse', team: 'competenties' },
    expect: (out) => out?.statusCode === 404,
  },
  // The sample names a claim that is not stored: read, audited, and reported as a failed record.
  listTrainingLeaveClaims: {
    event: 'list-training-leave-claims.json',
    principal: { role: 'dwse', team: 'inspectie' },
    expect: (out) => out?.statusCode === 200,
  },
  // The sample names a claim that is not stored: 404, after the owner lookup.
  withdrawTrainingLeaveClaim: {
    event: 'withdraw-training-leave-claim.json',
    principal: { role: 'employer', enterpriseNumber: '0403170701' },
    expect: (out) => out?.statusCode === 404,
  },
  readAccessLog: { event: 'read-access-log.json', principal: { role: 'citizen', niss: '85073003328' }, expect: (out) => out?.statusCode === 200 },
  evaluateTrainingLeaveClaims: { event: 'claim-queue-batch.json', expect: (out) => out?.batchItemFailures?.length === 1 },
  checkPremium: { event: 'check-premium.json', principal: { role: 'actiris' }, expect: (out) => out?.statusCode === 200 },
  purgeExpired: { event: '', expect: (out) => Array.isArray(out?.purged) },
  sweepWaitingClaims: { event: 'sweep-waiting-claims.json', expect: (out) => typeof out?.requeued === 'number' },
};

// Runs in the fresh process: import, then one invocation; prints the two times and the answer.
const PROBE = `
const [file, eventFile] = process.argv.slice(-2);
const { readFileSync } = await import('node:fs');
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const context = { awsRequestId: 'cold-start', functionName: 'cold-start', functionVersion: '$LATEST', memoryLimitInMB: '1024',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:cold-start', getRemainingTimeInMillis: () => 30000 };
const t0 = performance.now();
const mod = await import(file);
const t1 = performance.now();
const out = await mod.handler(event, context);
const t2 = performance.now();
process.stdout.write(JSON.stringify({ initMs: t1 - t0, firstInvocationMs: t2 - t1, out }));
`;

export const coldStart = async () => {
  const work = await mkdtemp(join(tmpdir(), 'bench-cold-start-'));
  const entries: Record<string, string> = { baseline: join(projectDir, 'bench/baseline-handler.ts'), ...functionEntries() };
  const unknown = Object.keys(entries).filter((name) => !FIRST_CALL[name]);
  if (unknown.length > 0) throw new Error(`no first call declared for ${unknown.join(', ')}`);

  const bundles: Record<string, { file: string; bytes: number; zipBytes: number; mapped: string; mappedZipBytes: number }> = {};
  const zipped = async (...files: string[]) => (await Promise.all(files.map(async (f) => gzipSync(await readFile(f)).length))).reduce((a, b) => a + b, 0);
  for (const [name, entry] of Object.entries(entries)) {
    const file = await bundle(entry, join(work, `${name}.mjs`));
    const mapped = await bundle(entry, join(work, 'mapped', `${name}.mjs`), { sourcemap: true });
    bundles[name] = { file, bytes: (await stat(file)).size, zipBytes: await zipped(file), mapped, mappedZipBytes: await zipped(mapped, `${mapped}.map`) };
  }

  const idpDir = await mkdtemp(join(tmpdir(), 'bench-idp-'));
  const cloud = await startEmulators(['--idp-dir', idpDir]);
  try {
    const key = await loadOrCreateSigningKey(idpDir);
    const probe = join(work, 'probe.mjs');
    await writeFile(probe, PROBE);
    const eventFile = async (name: string, round: number) => {
      const call = FIRST_CALL[name]!;
      const event = call.event
        ? JSON.parse(await readFile(join(projectDir, 'events', call.event), 'utf8'))
        : { source: 'aws.events', 'detail-type': 'Scheduled Event' };
      if (call.principal) event.headers.authorization = `Bearer ${await signToken(key, call.principal, { issuer: cloud.env.TOKEN_ISSUER! })}`;
      // A new claim each round: the same key again would be answered from the stored claim.
      if (event.headers?.['idempotency-key']) event.headers['idempotency-key'] = `cold-start-${round}`;
      const path = join(work, `${name}-${round}.json`);
      await writeFile(path, JSON.stringify(event));
      return path;
    };
    const run = (file: string, event: string, nodeOptions: string) => {
      const output = execFileSync(process.execPath, [probe, file, event], {
        encoding: 'utf8',
        env: { ...process.env, ...cloud.env, LOCAL_CLOCK: '2024-11-15T10:00:00Z', POWERTOOLS_LOG_LEVEL: 'SILENT', NODE_OPTIONS: nodeOptions },
      });
      return JSON.parse(output) as { initMs: number; firstInvocationMs: number; out: unknown };
    };

    type Sample = { initMs: number; totalMs: number };
    const samples: Record<string, { plain: Sample[]; mapped: Sample[] }> = Object.fromEntries(Object.keys(bundles).map((n) => [n, { plain: [], mapped: [] }]));
    // Interleaved rounds: each round starts one fresh process per bundle and variant, in turn.
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, { file, mapped }] of Object.entries(bundles)) {
        for (const [variant, bundleFile, nodeOptions] of [
          ['plain', file, ''],
          ['mapped', mapped, '--enable-source-maps'],
        ] as const) {
          const { initMs, firstInvocationMs, out } = run(bundleFile, await eventFile(name, r * 2 + (variant === 'plain' ? 0 : 1)), nodeOptions);
          if (!FIRST_CALL[name]!.expect(out)) throw new Error(`${name}: the first invocation did not do its work: ${JSON.stringify(out).slice(0, 300)}`);
          samples[name]![variant].push({ initMs, totalMs: initMs + firstInvocationMs });
        }
      }
    }
    const med = (name: string, variant: 'plain' | 'mapped', key: keyof Sample) => median(samples[name]![variant].map((s) => s[key]));
    const baseline = { initMs: med('baseline', 'plain', 'initMs'), totalMs: med('baseline', 'plain', 'totalMs') };
    const functions = Object.fromEntries(
      Object.entries(bundles)
        .filter(([name]) => name !== 'baseline')
        .map(([name, { bytes, zipBytes, mappedZipBytes }]) => {
          const totalMs = med(name, 'plain', 'totalMs');
          const initMs = med(name, 'plain', 'initMs');
          const mappedTotal = med(name, 'mapped', 'totalMs');
          return [
            name,
            {
              bytes,
              zipBytes,
              initMedianMs: round(initMs),
              firstInvocationMedianMs: round(totalMs - initMs),
              coldStartMedianMs: round(totalMs),
              ratioToBaseline: round(totalMs / baseline.totalMs, 2),
              initRatioToBaselineInit: round(initMs / baseline.initMs, 2),
              withSourceMaps: { zipBytes: mappedZipBytes, coldStartMedianMs: round(mappedTotal), ratioToWithout: round(mappedTotal / totalMs, 2) },
              withinTargets: totalMs / baseline.totalMs <= 1.5 && zipBytes < 1_000_000,
            },
          ];
        }),
    );
    const result = {
      rounds: ROUNDS,
      nodeOptions: '(none, as deployed)',
      targets: { coldStartRatioMax: 1.5, zipBytesMax: 1_000_000 },
      baseline: { bytes: bundles.baseline!.bytes, initMedianMs: round(baseline.initMs), coldStartMedianMs: round(baseline.totalMs) },
      functions,
    };
    return { file: await writeResult('cold-start', result), result };
  } finally {
    await cloud.stop();
  }
};
