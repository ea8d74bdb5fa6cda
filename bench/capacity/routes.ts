/**
 * The routes of the capacity model, each run through its deployed handler (functions/…, the
 * `handler` export serverless.yml names) in this process, against the local cloud named by
 * the environment (DynamoDB Local, the SQS emulator, the KMS stand-in, the fake sources, the
 * local identity provider): the same code path as in Lambda, with real tokens.
 *
 * `routeDriver(env, idpDir)` sets the environment the functions read (once per process, before
 * their first import) and gives, per route, a function that makes one request for one entity
 * (a citizen, a worker, a check) and checks its answer: a request that did not do its work
 * throws, so a count is never taken from a refusal.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { loadOrCreateSigningKey } from '../../local/identity/keys.js';
import { type Principal, signToken } from '../../local/identity/tokens.js';

/** Routes of the model, by the function that serves them (shared/deployment/functions.ts). */
export const ROUTES = {
  careerBreakPossibilities: { route: 'GET /v1/career-break/possibilities', per: 'request' },
  careerBreakWhatIf: { route: 'POST /v1/career-break/what-if', per: 'request' },
  submitTrainingLeaveClaim: { route: 'POST /v1/training-leave/claims', per: 'request' },
  evaluateTrainingLeaveClaims: { route: 'SQS claim queue → consumer', per: 'claim (one record of a batch)' },
  getTrainingLeaveClaim: { route: 'GET /v1/training-leave/claims/{claimId}', per: 'request (DWSE)' },
  listTrainingLeaveClaims: { route: 'GET /v1/training-leave/claims', per: 'page of 10 claims, 10 workers' },
  checkPremium: { route: 'POST /v1/premium-checks', per: 'request' },
  readAccessLog: { route: 'GET /v1/me/access-log', per: 'page of 5 records' },
} as const;
export type RouteName = keyof typeof ROUTES;

/** Entities of the bundled dataset (local/fake-sources/README.md) each route is run for. */
export const ENTITIES = {
  // Adults with a private or public career: ONEM is called.
  citizens: ['85073003328', '82061119872', '78021511718'],
  // Workers of employer 0403170701 whose claims are approved (the decision and its ledger postings).
  workers: ['85073003328', '81020220295', '89070770731'],
  // One worker registered by Actiris with quality code 001; checks of different months are different checks.
  premiumMonths: ['2024-05', '2024-04', '2024-03'],
} as const;

export const EMPLOYER = '0403170701';
/** The training each worker attends in the dataset (ODB-12345 otherwise). */
const TRAINING_OF: Record<string, string> = { '89070770731': 'ODB-20001' };

const context = (name: string): Context =>
  ({ awsRequestId: randomUUID(), functionName: name, getRemainingTimeInMillis: () => 30_000, memoryLimitInMB: '512' }) as unknown as Context;

const httpEvent = (
  method: 'GET' | 'POST',
  path: string,
  token: string,
  extra: { body?: unknown; query?: Record<string, string>; pathParameters?: Record<string, string>; headers?: Record<string, string> } = {},
) => ({
  version: '2.0',
  routeKey: `${method} ${path}`,
  rawPath: path,
  rawQueryString: new URLSearchParams(extra.query ?? {}).toString(),
  headers: {
    authorization: `Bearer ${token}`,
    'accept-language': 'nl',
    ...(extra.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...extra.headers,
  },
  ...(extra.query ? { queryStringParameters: extra.query } : {}),
  ...(extra.pathParameters ? { pathParameters: extra.pathParameters } : {}),
  requestContext: {
    http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'capacity' },
    requestId: randomUUID(),
    routeKey: `${method} ${path}`,
    stage: '$default',
  },
  isBase64Encoded: false,
  ...(extra.body !== undefined ? { body: JSON.stringify(extra.body) } : {}),
});

type Answer = { statusCode: number; body?: string };
const expectStatus = (answer: Answer, status: number, what: string) => {
  if (answer.statusCode !== status) throw new Error(`${what} answered ${answer.statusCode}, not ${status}: ${answer.body?.slice(0, 300)}`);
  return answer.body ? JSON.parse(answer.body) : undefined;
};

/** An enterprise number no one else uses (valid check digits), for a list of this run's own. */
export const freshEnterprise = (): string => {
  const base = randomInt(2_000_000, 9_999_999);
  return `0${base}${String(97 - (base % 97)).padStart(2, '0')}`;
};

/** A valid NISS of nobody (born 1970-1999), the n-th of this run. */
export const nissFor = (i: number): string => {
  const base = `${String(70 + (i % 30)).padStart(2, '0')}${String(1 + (Math.floor(i / 30) % 12)).padStart(2, '0')}${String(1 + (Math.floor(i / 360) % 28)).padStart(2, '0')}${String(100 + (i % 800)).padStart(3, '0')}`;
  return `${base}${String(97 - Number(BigInt(base) % 97n)).padStart(2, '0')}`;
};

/**
 * Sets the functions' environment (with a claim queue of this run's own, so that no other
 * consumer takes its messages) and imports the handlers. Call once per process, before any
 * other import of functions/.
 */
export const routeDriver = async (env: Record<string, string>, idpDir: string) => {
  const sqs = new SQSClient({ region: 'eu-west-1', endpoint: env.AWS_ENDPOINT_URL_SQS, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `capacity-${randomUUID().slice(0, 8)}` }));
  sqs.destroy();
  Object.assign(process.env, env, {
    CLAIM_QUEUE_URL: QueueUrl!,
    LOCAL_CLOCK: env.LOCAL_CLOCK || '2024-11-15T10:00:00Z',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY ?? 'local',
  });
  const key = await loadOrCreateSigningKey(idpDir);
  const tokens = new Map<string, Promise<string>>();
  const token = (p: Principal) => {
    const id = JSON.stringify(p);
    if (!tokens.has(id)) tokens.set(id, signToken(key, p, { issuer: env.TOKEN_ISSUER! }));
    return tokens.get(id)!;
  };
  const [possibilities, whatIf, submit, evaluate, getClaim, listClaims, premium, accessLog] = await Promise.all([
    import('../../functions/career-break/possibilities.js'),
    import('../../functions/career-break/what-if.js'),
    import('../../functions/training-leave/submit-claim.js'),
    import('../../functions/training-leave/evaluate-claims.js'),
    import('../../functions/training-leave/get-claim.js'),
    import('../../functions/training-leave/list-claims.js'),
    import('../../functions/premium-check/check-premium.js'),
    import('../../functions/me/access-log.js'),
  ]);
  const invoke = async (h: { handler: unknown }, event: unknown, name: string): Promise<Answer> =>
    (await (h.handler as (e: unknown, c: Context) => Promise<Answer>)(event, context(name))) as Answer;

  const claimBody = (worker: string, employer = EMPLOYER) => ({
    employerEnterpriseNumber: employer,
    workerNiss: worker,
    schoolYear: '2024-2025',
    training: { id: TRAINING_OF[worker] ?? 'ODB-12345', startDate: '2024-10-01', endDate: '2025-03-31' },
    hoursByMonth: { '2024-10': 1 },
  });

  const routes = {
    careerBreakPossibilities: async (citizen: string) =>
      expectStatus(
        await invoke(
          possibilities,
          httpEvent('GET', '/v1/career-break/possibilities', await token({ role: 'citizen', niss: citizen })),
          'careerBreakPossibilities',
        ),
        200,
        'the possibilities',
      ),
    careerBreakWhatIf: async (citizen: string) =>
      expectStatus(
        await invoke(
          whatIf,
          httpEvent('POST', '/v1/career-break/what-if', await token({ role: 'citizen', niss: citizen }), {
            body: { reason: 'TRAINING', regime: 'ONE_FIFTH', months: 6, from: '2025-01-01' },
          }),
          'careerBreakWhatIf',
        ),
        200,
        'the what-if',
      ),
    /** One claim of 1 h for `worker` (a new Idempotency-Key each time); answers its id. */
    submitTrainingLeaveClaim: async (worker: string, employer = EMPLOYER): Promise<string> => {
      const body = expectStatus(
        await invoke(
          submit,
          httpEvent('POST', '/v1/training-leave/claims', await token({ role: 'employer', enterpriseNumber: employer }), {
            body: claimBody(worker, employer),
            headers: { 'idempotency-key': randomUUID() },
          }),
          'submitTrainingLeaveClaim',
        ),
        202,
        'the submission',
      );
      return body.claimId as string;
    },
    /** The consumer, given one record naming the claim (as the SQS trigger delivers it). */
    evaluateTrainingLeaveClaims: async (claimId: string) => {
      const event: SQSEvent = {
        Records: [
          {
            messageId: randomUUID(),
            receiptHandle: randomUUID(),
            body: JSON.stringify({ claimId }),
            attributes: {
              ApproximateReceiveCount: '1',
              SentTimestamp: String(Date.now()),
              SenderId: 'capacity',
              ApproximateFirstReceiveTimestamp: String(Date.now()),
            },
            messageAttributes: {},
            md5OfBody: '',
            eventSource: 'aws:sqs',
            eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:capacity',
            awsRegion: 'eu-west-1',
          },
        ],
      };
      const result = (await (evaluate.handler as unknown as (e: SQSEvent, c: Context) => Promise<{ batchItemFailures: unknown[] }>)(
        event,
        context('evaluateTrainingLeaveClaims'),
      )) ?? {
        batchItemFailures: [],
      };
      if (result.batchItemFailures.length > 0) throw new Error(`the consumer failed claim ${claimId}`);
    },
    getTrainingLeaveClaim: async (claimId: string) =>
      expectStatus(
        await invoke(
          getClaim,
          httpEvent('GET', `/v1/training-leave/claims/${claimId}`, await token({ role: 'dwse', team: 'competenties' }), { pathParameters: { claimId } }),
          'getTrainingLeaveClaim',
        ),
        200,
        'the claim',
      ),
    /** The first page of `employer`'s claims, `limit` of them. */
    listTrainingLeaveClaims: async (employer: string, limit = 10) => {
      const body = expectStatus(
        await invoke(
          listClaims,
          httpEvent('GET', '/v1/training-leave/claims', await token({ role: 'employer', enterpriseNumber: employer }), { query: { limit: String(limit) } }),
          'listTrainingLeaveClaims',
        ),
        200,
        'the list',
      );
      if ((body.items as unknown[]).length !== limit) throw new Error(`the list gave ${(body.items as unknown[]).length} claims, not ${limit}`);
      return body;
    },
    /** A check of `month`; `variant` changes the declared salary, so that each call is a new check (the same request the same day is a replay). */
    checkPremium: async (month: string, variant = 0) =>
      expectStatus(
        await invoke(
          premium,
          httpEvent('POST', '/v1/premium-checks', await token({ role: 'actiris' }), {
            body: {
              scheme: 'ACS',
              employerEnterpriseNumber: EMPLOYER,
              workerNiss: '91011715490',
              hiringDate: '2023-01-01',
              month,
              declared: {
                daysWorked: 18,
                assimilatedDays: 2,
                grossSalary: (2500 + variant).toFixed(2),
                grantedMonthlyPremium: '1500.00',
                exemptionClaimed: false,
                regularStaffFte: '10.20',
              },
            },
          }),
          'checkPremium',
        ),
        200,
        'the premium check',
      ),
    /** A page of `citizen`'s access log; `fullPage`: it must hold `limit` records (the measurement's, with records made beforehand). */
    readAccessLog: async (citizen: string, limit = 5, fullPage = true) => {
      const body = expectStatus(
        await invoke(
          accessLog,
          httpEvent('GET', '/v1/me/access-log', await token({ role: 'citizen', niss: citizen }), { query: { limit: String(limit) } }),
          'readAccessLog',
        ),
        200,
        'the access log',
      );
      if (fullPage && (body.items as unknown[]).length !== limit)
        throw new Error(`the access log gave ${(body.items as unknown[]).length} records, not ${limit}`);
      return body;
    },
  };
  return routes;
};

export type RouteDriver = Awaited<ReturnType<typeof routeDriver>>;
