/**
 * Warm overhead of the purpose middleware: the same function with the full stack (JWT
 * verification with cached keys, validation, subject binding, minimisation, logging,
 * audit) against the bare function, in process, thousands of invocations each.
 */
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { verifyToken } from '../shared/auth/verify-token.js';
import type { HttpEvent } from '../shared/http/http-handler.js';
import { jsonResponse } from '../shared/http/problem.js';
import { purposeHandler } from '../shared/http/purpose-handler.js';
import { careerBreakPossibilities } from '../shared/purposes/catalogue.js';
import { PurposeSources } from '../shared/sources/purpose-sources.js';
import { referenceDirectoryGate } from '../shared/sources/reference-directory.js';
import { createSourceClients } from '../shared/sources/source-clients.js';
import { median, percentile, round, writeResult } from './support.js';

const N = Number(process.env.BENCH_INVOCATIONS ?? 5_000);

export const middlewareOverhead = async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256' };
  const keys = createLocalJWKSet({ keys: [jwk] });
  const token = await new SignJWT({ role: 'citizen', niss: '85073003328' })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench' })
    .setIssuer('https://idp.bench')
    .setAudience('bcss-exchanges')
    .setSubject('citizen:bench')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  const audited: unknown[] = [];
  const sources = new PurposeSources(careerBreakPossibilities.purpose, createSourceClients('http://127.0.0.1:9'));
  const deps = {
    verifyToken: (t: string) => verifyToken(t, { keys, issuer: 'https://idp.bench', audience: 'bcss-exchanges' }),
    sources,
    audit: { record: async (entry: unknown) => void audited.push(entry), recordDisclosures: async () => {} },
    clock: () => new Date(),
    gate: referenceDirectoryGate(() => sources),
  };
  const answer = {
    preconditions: { met: true, failed: [] },
    employer: { enterpriseNumber: '0403170701' },
    reasons: [{ reason: 'TRAINING', label: 'Training', available: true, remainingMonths: { FULL_TIME: 33 }, closedBecause: [] }],
    extra: 'dropped',
  };
  const fn = async () => ({ body: answer });
  const full = purposeHandler(careerBreakPossibilities, { deps: () => deps, handle: fn });
  const bare = async () => jsonResponse(200, (await fn()).body);

  const event = {
    version: '2.0',
    routeKey: 'GET /v1/career-break/possibilities',
    rawPath: '/v1/career-break/possibilities',
    rawQueryString: '',
    headers: { authorization: `Bearer ${token}`, 'accept-language': 'nl' },
    requestContext: { http: { method: 'GET', path: '/v1/career-break/possibilities' }, requestId: 'bench' },
    isBase64Encoded: false,
  } as unknown as HttpEvent;
  const context = () => ({ awsRequestId: 'bench', functionName: 'bench', getRemainingTimeInMillis: () => 10_000 }) as never;

  // Warm up both, then alternate blocks so that machine noise hits both alike.
  for (let i = 0; i < 200; i++) {
    await full(event, context());
    await bare();
  }
  const timesFull: number[] = [];
  const timesBare: number[] = [];
  for (let block = 0; block < N / 100; block++) {
    for (let i = 0; i < 100; i++) {
      const t0 = performance.now();
      const response = await full(event, context());
      timesFull.push(performance.now() - t0);
      if (response.statusCode !== 200) throw new Error(`full stack answered ${response.statusCode}`);
    }
    for (let i = 0; i < 100; i++) {
      const t0 = performance.now();
      await bare();
      timesBare.push(performance.now() - t0);
    }
  }
  const addedMs = median(timesFull) - median(timesBare);
  const result = {
    invocations: timesFull.length,
    target: { addedMedianMsMax: 0.5 },
    full: { medianMs: round(median(timesFull), 4), p99Ms: round(percentile(timesFull, 99), 4) },
    bare: { medianMs: round(median(timesBare), 4), p99Ms: round(percentile(timesBare, 99), 4) },
    addedMedianMs: round(addedMs, 4),
    withinTarget: addedMs < 0.5,
    auditRecords: audited.length,
  };
  return { file: await writeResult('middleware-overhead', result), result };
};
