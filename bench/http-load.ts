/**
 * HTTP load on the local cloud (serverless-offline) with autocannon, per route: requests
 * per second, p50/p99 latency, and the count of answers other than the expected status.
 * Bounded: BENCH_HTTP_SECONDS per route (default 5), BENCH_HTTP_CONNECTIONS connections (default 10).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startLocalCloud } from '../local/cloud.js';
import { loadOrCreateSigningKey } from '../local/identity/keys.js';
import { signToken, type Principal } from '../local/identity/tokens.js';
import { round, writeResult } from './support.js';

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 10);

export const httpLoad = async () => {
  const idpDir = await mkdtemp(join(tmpdir(), 'bench-idp-'));
  process.env.LOCAL_CLOCK = '2024-11-15T10:00:00Z';
  const cloud = await startLocalCloud({ withApi: true, idpDir, ports: { http: 0, lambda: 0, dynamodb: 0, sqs: 0, sources: 0, idp: 0, kms: 0, web: 0 } });
  try {
    const key = await loadOrCreateSigningKey(idpDir);
    const token = (p: Principal) => signToken(key, p, { issuer: cloud.env.TOKEN_ISSUER! });
    const json = { 'content-type': 'application/json' };
    const routes: { name: string; method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string; expected: number }[] = [
      { name: 'GET /v1/health', method: 'GET', path: '/v1/health', headers: {}, expected: 200 },
      {
        name: 'GET /v1/career-break/possibilities',
        method: 'GET',
        path: '/v1/career-break/possibilities',
        headers: { authorization: `Bearer ${await token({ role: 'citizen', niss: '85073003328' })}` },
        expected: 200,
      },
      { name: 'GET /v1/career-break/possibilities (no token)', method: 'GET', path: '/v1/career-break/possibilities', headers: {}, expected: 401 },
      {
        name: 'POST /v1/training-leave/claims (same claim, idempotent)',
        method: 'POST',
        path: '/v1/training-leave/claims',
        headers: { ...json, authorization: `Bearer ${await token({ role: 'employer', enterpriseNumber: '0403170701' })}` },
        body: JSON.stringify({
          employerEnterpriseNumber: '0403170701',
          workerNiss: '85073003328',
          schoolYear: '2024-2025',
          training: { id: 'ODB-12345', startDate: '2024-10-01', endDate: '2025-03-31' },
          hoursByMonth: { '2024-10': 1 },
        }),
        expected: 202,
      },
      {
        name: 'GET /v1/training-leave/claims/{claimId} (unknown)',
        method: 'GET',
        path: '/v1/training-leave/claims/0b1d2a3c-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        headers: { authorization: `Bearer ${await token({ role: 'dwse', team: 'competenties' })}` },
        expected: 404,
      },
      {
        name: 'POST /v1/premium-checks',
        method: 'POST',
        path: '/v1/premium-checks',
        headers: { ...json, authorization: `Bearer ${await token({ role: 'actiris' })}` },
        body: JSON.stringify({
          scheme: 'PTP',
          employerEnterpriseNumber: '0403170701',
          workerNiss: '84050550577',
          hiringDate: '2023-06-01',
          month: '2024-05',
          declared: {
            daysWorked: 20,
            assimilatedDays: 3,
            grossSalary: '2500.00',
            amountClaimed: '1168.75',
            regularStaffFte: '10.20',
          },
        }),
        expected: 200,
      },
    ];
    const results: Record<string, unknown> = {};
    const failures: string[] = [];
    for (const route of routes) {
      // Warm-up: the first requests load the handler; they are not measured.
      await autocannon({
        url: `${cloud.apiUrl}${route.path}`,
        method: route.method,
        headers: route.headers,
        ...(route.body ? { body: route.body } : {}),
        connections: 2,
        amount: 20,
        timeout: 30,
      } as autocannon.Options);
      let unexpected = 0;
      const run = await autocannon({
        url: `${cloud.apiUrl}${route.path}`,
        method: route.method,
        headers: route.headers,
        ...(route.body ? { body: route.body } : {}),
        connections: CONNECTIONS,
        duration: SECONDS,
        timeout: 30,
        setupClient: (client: any) => client.on('response', (status: number) => void (status !== route.expected && unexpected++)),
      } as autocannon.Options);
      results[route.name] = {
        expectedStatus: route.expected,
        requests: run.requests.total,
        requestsPerSecond: round(run.requests.average, 1),
        latencyP50Ms: run.latency.p50,
        latencyP99Ms: run.latency.p99,
        unexpectedAnswers: unexpected,
        errors: run.errors + run.timeouts,
      };
      // A route that completed nothing measured nothing: the run fails rather than pass.
      if (run.requests.total === 0) failures.push(`${route.name}: no request completed`);
      if (unexpected > 0 || run.errors + run.timeouts > 0)
        failures.push(`${route.name}: ${unexpected} unexpected answers, ${run.errors + run.timeouts} errors`);
    }
    const result = {
      seconds: SECONDS,
      connections: CONNECTIONS,
      warmUpRequestsPerRoute: 20,
      target: { unexpectedAnswers: 0, errors: 0, completedPerRoute: '> 0' },
      routes: results,
      withinTarget: failures.length === 0,
    };
    const file = await writeResult('http-load', result);
    if (failures.length > 0) throw new Error(`HTTP benchmark failed (results in ${file}): ${failures.join('; ')}`);
    return { file, result };
  } finally {
    await cloud.stop();
  }
};
