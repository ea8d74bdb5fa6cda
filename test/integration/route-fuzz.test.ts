import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HttpEvent, HttpResult } from '../../shared/http/http-handler.js';
import { loadOrCreateSigningKey } from '../../local/identity/keys.js';
import { signToken, type Principal } from '../../local/identity/tokens.js';
import { lambdaContext } from '../support/lambda.js';
import { httpEvent } from '../support/purpose-harness.js';
import { targetEnv, targetValue } from '../support/target.js';

// Property-based fuzzing of every route's body, query, path and headers, on the real
// handlers (in process, against the emulators and fake sources): never a 5xx, never an
// unhandled rejection, and every refusal is problem+json saying what was wrong.
type Handler = (event: HttpEvent, context: ReturnType<typeof lambdaContext>) => Promise<HttpResult>;
const handlers: Record<string, Handler> = {};
const tokens: Record<string, string> = {};

beforeAll(async () => {
  Object.assign(process.env, targetEnv(), { POWERTOOLS_LOG_LEVEL: 'SILENT' });
  handlers.career = (await import('../../functions/career-break/possibilities.js')).handler as unknown as Handler;
  handlers.submit = (await import('../../functions/training-leave/submit-claim.js')).handler as unknown as Handler;
  handlers.read = (await import('../../functions/training-leave/get-claim.js')).handler as unknown as Handler;
  handlers.premium = (await import('../../functions/premium-check/check-premium.js')).handler as unknown as Handler;
  const key = await loadOrCreateSigningKey(targetValue('LOCAL_IDP_DIR'));
  const principals: Record<string, Principal> = {
    citizen: { role: 'citizen', niss: '85073003328' },
    employer: { role: 'employer', enterpriseNumber: '0403170701' },
    dwse: { role: 'dwse', team: 'competenties' },
    actiris: { role: 'actiris' },
  };
  for (const [name, principal] of Object.entries(principals)) tokens[name] = await signToken(key, principal, { issuer: targetValue('TOKEN_ISSUER') });
});

const VALID_CLAIM = {
  employerEnterpriseNumber: '0403170701',
  workerNiss: '85073003328',
  schoolYear: '2024-2025',
  training: { id: 'ODB-12345', startDate: '2024-10-01', endDate: '2025-03-31' },
  hoursByMonth: { '2024-10': 1 },
};
const VALID_PREMIUM = {
  scheme: 'ACS',
  employerEnterpriseNumber: '0403170701',
  workerNiss: '91011715490',
  hiringDate: '2023-01-01',
  month: '2024-05',
  declared: { daysWorked: 18, assimilatedDays: 2, grossSalary: '2500.00', grantedMonthlyPremium: '1500.00', exemptionClaimed: false, regularStaffFte: '10.20' },
};

/** A valid object with one field, at any depth, replaced or removed: the near misses that reach deep validation. */
const nearMiss = (valid: Record<string, unknown>): fc.Arbitrary<unknown> =>
  fc.tuple(fc.constantFrom(...paths(valid)), fc.option(fc.jsonValue(), { nil: undefined })).map(([path, value]) => {
    const copy = structuredClone(valid) as Record<string, any>;
    let node = copy;
    for (const k of path.slice(0, -1)) node = node[k];
    if (value === undefined) delete node[path.at(-1)!];
    else node[path.at(-1)!] = value;
    return copy;
  });
const paths = (value: Record<string, unknown>, prefix: string[] = []): string[][] =>
  Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...(v && typeof v === 'object' ? paths(v as Record<string, unknown>, [...prefix, k]) : [])]);

const body = (valid: Record<string, unknown>) =>
  fc.oneof(
    fc.constant(JSON.stringify(valid)),
    nearMiss(valid).map((v) => JSON.stringify(v)),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string(),
    fc.constant(undefined),
  );
const headers = fc.record(
  {
    'content-type': fc.oneof(
      fc.constant('application/json'),
      fc.constantFrom('application/problem+json', 'text/plain', 'application/json; charset=utf-8', 'application/json; charset=utf-16', ''),
    ),
    'accept-language': fc.string(),
    'idempotency-key': fc.oneof(fc.uuid(), fc.string({ maxLength: 200 })),
  },
  { requiredKeys: ['content-type'] },
);
const authorization = (role: string) =>
  fc.oneof(fc.constant(`Bearer ${tokens[role]}`), fc.constant(`Bearer ${tokens[role]}`), fc.string(), fc.constant('Bearer a.b.c'));

const ROUTES: [string, string, string, string, fc.Arbitrary<unknown>, unknown][] = [
  ['GET /v1/career-break/possibilities', 'career', 'GET', 'citizen', fc.constant(undefined), undefined],
  ['POST /v1/training-leave/claims', 'submit', 'POST', 'employer', body(VALID_CLAIM), VALID_CLAIM],
  ['GET /v1/training-leave/claims/{claimId}', 'read', 'GET', 'dwse', fc.constant(undefined), undefined],
  ['POST /v1/premium-checks', 'premium', 'POST', 'actiris', body(VALID_PREMIUM), VALID_PREMIUM],
];

describe('fuzzing every route', () => {
  it.each(ROUTES)(
    '%s',
    async (_name, handlerName, method, role, bodies, valid) => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(
          bodies,
          fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
          headers,
          authorization(role),
          fc.oneof(fc.uuid(), fc.string()),
          async (rawBody, query, extraHeaders, auth, claimId) => {
            const event = httpEvent({ method, path: '/', headers: { ...(extraHeaders as Record<string, string>), authorization: auth } });
            if (rawBody !== undefined) event.body = rawBody as string;
            if (Object.keys(query).length > 0) event.queryStringParameters = query;
            if (handlerName === 'read') event.pathParameters = { claimId };
            const response = await handlers[handlerName]!(event, lambdaContext());
            statuses.set(response.statusCode!, (statuses.get(response.statusCode!) ?? 0) + 1);
            expect(response.statusCode, response.body).toBeLessThan(500);
            if (response.statusCode! >= 400) {
              expect(response.headers?.['content-type']).toBe('application/problem+json');
              const problem = JSON.parse(response.body!);
              expect(problem).toMatchObject({ status: response.statusCode, code: expect.any(String), title: expect.any(String) });
              expect(problem.detail.length).toBeGreaterThan(10);
            }
          },
        ),
        {
          numRuns: 120,
          // Besides the random runs, one well-formed request, so the answer path is always exercised.
          examples: [
            [
              valid === undefined ? undefined : JSON.stringify(valid),
              {},
              { 'content-type': 'application/json' },
              `Bearer ${tokens[role]}`,
              '4b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a79',
            ],
          ],
        },
      );
      // The runs reached both refusals and answers.
      expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
      expect([...statuses.keys()].some((s) => s < 400 || (handlerName === 'read' && s === 404))).toBe(true);
    },
    120_000,
  );
});
