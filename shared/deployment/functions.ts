import { parseAllowedOrigins } from '../config/env.js';
import type { Binding } from '../purposes/purpose.js';
import {
  careerBreakPossibilities,
  careerBreakWhatIf,
  checkPremium,
  evaluateTrainingLeaveClaim,
  listTrainingLeaveClaims,
  readTrainingLeaveClaim,
  submitTrainingLeaveClaim,
  withdrawTrainingLeaveClaim,
  readAccessLog,
} from '../purposes/catalogue.js';

/**
 * Every function of the service: its handler, what triggers it (its binding's route or
 * queue, or a schedule) and what its code does on which resource. serverless.yml takes
 * its `functions` and each function's IAM role from here (serverless/catalogue.cjs), so a
 * route, a trigger or a grant is written once. Resources are named by their logical id in
 * serverless.yml; a grant on an index is written `Table/index/Name`.
 */
export type Action = `dynamodb:${string}` | `sqs:${string}` | `kms:${string}` | `secretsmanager:${string}`;

/**
 * The KMS keys of the subject hash (serverless.yml), every accepted version: a function that
 * hashes may call GenerateMac on each, and on nothing else of KMS. A rotation adds the new
 * key's logical id here (docs/secrets.md).
 */
export const SUBJECT_HASH_KEYS = ['SubjectHashKeyV1'] as const;

/**
 * The KMS key that seals claims' worker NISS (serverless.yml), every accepted version: the
 * submission may only ask it for data keys (GenerateDataKey), the readers only unwrap them
 * (Decrypt). A rotation adds the new key's logical id here (docs/secrets.md).
 */
export const NISS_ENCRYPTION_KEYS = ['NissEncryptionKeyV1'] as const;
/**
 * Conditions on a grant, by resource: a NISS key may be used only with the encryption context
 * the cipher sends (shared/aws/envelope-cipher.ts), so KMS itself refuses any other use of it.
 */
export const GRANT_CONDITIONS: Readonly<Record<string, Record<string, Record<string, string>>>> = Object.fromEntries(
  NISS_ENCRYPTION_KEYS.map((key) => [
    key,
    { StringEquals: { 'kms:EncryptionContext:purpose': 'TRAINING_LEAVE_REIMBURSEMENT', 'kms:EncryptionContext:field': 'workerNiss' } },
  ]),
);
const sealsNiss = Object.fromEntries(NISS_ENCRYPTION_KEYS.slice(0, 1).map((key) => [key, ['kms:GenerateDataKey'] as const]));
const opensNiss = Object.fromEntries(NISS_ENCRYPTION_KEYS.map((key) => [key, ['kms:Decrypt'] as const]));

/** The secret holding the sources' client certificate (serverless.yml). */
export const SOURCES_CERTIFICATE_SECRET = 'SourcesClientCertificate';

/**
 * A route's throttle: API Gateway's token bucket, refilled at `ratePerSecond` and holding at
 * most `burst` requests. Counted per route over all callers (HTTP APIs have no per-client
 * throttle), so it protects the sources and the stores behind the route, not one caller's
 * share. serverless.yml's stage takes them from here (serverless/catalogue.cjs), the OpenAPI
 * document states them, and any other runtime is to read them from here too.
 */
export interface Throttle {
  ratePerSecond: number;
  burst: number;
}

/** The stage's default, for a route the catalogue would give none (every route here has its own). */
export const DEFAULT_THROTTLE: Throttle = { ratePerSecond: 10, burst: 20 };

export interface FunctionDeclaration {
  handler: string;
  /** The purpose binding it serves; its route or queue becomes the function's event. */
  binding?: Binding;
  /** Routes that serve no purpose (no personal data, no token): the health check, the API contract and its reference page. */
  routes?: readonly { method: 'GET' | 'POST'; path: string }[];
  /** Serves the gateway's `$default` route: whatever no other route matches. */
  defaultRoute?: true;
  schedule?: string;
  timeout?: number;
  /** SQS trigger settings, for a queue binding. */
  batch?: { batchSize: number; maximumBatchingWindow: number };
  /** What the code does, on which resource, besides writing its audit records. */
  grants: Record<string, readonly Action[]>;
  /** The throttle of each of its routes (DEFAULT_THROTTLE otherwise). */
  throttle?: Throttle;
}

export const FUNCTIONS = {
  health: {
    handler: 'functions/health/handler.handler',
    // For monitors: a few a second; each call probes every dependency.
    throttle: { ratePerSecond: 5, burst: 10 },
    routes: [{ method: 'GET', path: '/v1/health' }],
    timeout: 6,
    grants: {
      ClaimsTable: ['dynamodb:DescribeTable'],
      PremiumChecksTable: ['dynamodb:DescribeTable'],
      AuditTable: ['dynamodb:DescribeTable'],
      ClaimQueue: ['sqs:GetQueueAttributes'],
      ClaimDeadLetterQueue: ['sqs:GetQueueAttributes'],
      // It probes the sources, with the client certificate they require.
      [SOURCES_CERTIFICATE_SECRET]: ['secretsmanager:GetSecretValue'],
    },
  },
  openApiDocument: {
    handler: 'functions/contract/openapi.handler',
    // Read once by a client generator or the reference page.
    throttle: { ratePerSecond: 10, burst: 20 },
    routes: [{ method: 'GET', path: '/v1/openapi.json' }],
    grants: {},
  },
  apiReference: {
    handler: 'functions/contract/reference.handler',
    // A page load fetches the page and its three files.
    throttle: { ratePerSecond: 20, burst: 40 },
    routes: [
      { method: 'GET', path: '/docs' },
      { method: 'GET', path: '/docs/{asset}' },
    ],
    grants: {},
  },
  // Unknown routes (and methods a path does not have) get a problem+json 404 from the
  // service instead of the gateway's bare one; it touches nothing, so it needs no grant.
  notFound: {
    handler: 'functions/edge/not-found.handler',
    defaultRoute: true,
    grants: {},
  },
  careerBreakPossibilities: {
    handler: 'functions/career-break/possibilities.handler',
    // MyCareer’s busiest call; one ONEM call each.
    throttle: { ratePerSecond: 50, burst: 100 },
    binding: careerBreakPossibilities,
    // Nothing of ONEM's answer is stored: the only write is the audit trail.
    grants: {},
  },
  careerBreakWhatIf: {
    handler: 'functions/career-break/what-if.handler',
    // A simulation after a lookup: fewer than the lookups; one ONEM call each.
    throttle: { ratePerSecond: 20, burst: 40 },
    binding: careerBreakWhatIf,
    // Like the possibilities: nothing of ONEM's answer or of the plan is stored; the only write is the audit trail.
    grants: {},
  },
  submitTrainingLeaveClaim: {
    handler: 'functions/training-leave/submit-claim.handler',
    // Employers’ (or their payroll offices’) submissions, in batches at times.
    throttle: { ratePerSecond: 20, burst: 50 },
    binding: submitTrainingLeaveClaim,
    // The claim record is its own idempotency record (conditional put, then a read on a replay).
    // The worker's NISS is sealed before the put: a data key from the current NISS key.
    grants: { ClaimsTable: ['dynamodb:PutItem', 'dynamodb:GetItem'], ClaimQueue: ['sqs:SendMessage'], ...sealsNiss },
  },
  getTrainingLeaveClaim: {
    handler: 'functions/training-leave/get-claim.handler',
    // The pages read a claim again until it is decided.
    throttle: { ratePerSecond: 50, burst: 100 },
    binding: readTrainingLeaveClaim,
    // Decrypt: the worker's NISS is opened for DWSE, whose answer includes it.
    grants: { ClaimsTable: ['dynamodb:GetItem'], ...opensNiss },
  },
  listTrainingLeaveClaims: {
    handler: 'functions/training-leave/list-claims.handler',
    // A page of up to 100 claims per call.
    throttle: { ratePerSecond: 20, burst: 40 },
    binding: listTrainingLeaveClaims,
    // Queries of the six list indexes only (one per filter, shared/storage/claims.ts): never a scan of the table.
    grants: {
      ...Object.fromEntries(
        ['claimsByTime', 'claimsByStatus', 'claimsByYear', 'claimsByYearStatus', 'claimsByEmployer', 'claimsByEmployerYear'].map((index) => [
          `ClaimsTable/index/${index}`,
          ['dynamodb:Query'],
        ]),
      ),
      ...opensNiss,
    },
  },
  withdrawTrainingLeaveClaim: {
    handler: 'functions/training-leave/withdraw-claim.handler',
    // Rare: a claim taken back.
    throttle: { ratePerSecond: 10, burst: 20 },
    binding: withdrawTrainingLeaveClaim,
    // Reads the claim (owner check) and, for a provisional decision, its ledger items (deleting
    // one past its retention); then one transaction of conditional updates and condition checks.
    // Decrypt: the NISS keys the ledger items a provisional decision's release moves.
    grants: { ClaimsTable: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'], ...opensNiss },
  },
  evaluateTrainingLeaveClaims: {
    handler: 'functions/training-leave/evaluate-claims.handler',
    binding: evaluateTrainingLeaveClaim,
    timeout: 30,
    batch: { batchSize: 10, maximumBatchingWindow: 1 },
    grants: {
      // Lambda's SQS trigger polls with the function's role.
      ClaimQueue: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'],
      // A decision and its ledger postings are one TransactWriteItems of conditional updates
      // (authorised as UpdateItem); GetItem reads the claim and the ledger items; DeleteItem
      // removes a ledger item past its retention (conditional on its expiry).
      // ConditionCheckItem: the ledger items under other key versions, checked in the same transaction.
      ClaimsTable: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'],
      // The claim's NISS is opened to ask the sources about the worker.
      ...opensNiss,
    },
  },
  checkPremium: {
    handler: 'functions/premium-check/check-premium.handler',
    // Actiris’s checks, in batches; each reads the reference directory and DMFA.
    throttle: { ratePerSecond: 20, burst: 50 },
    binding: checkPremium,
    // A check is stored once: a conditional put under an id derived from the request; a
    // replay reads the stored check back to answer it.
    grants: { PremiumChecksTable: ['dynamodb:PutItem', 'dynamodb:GetItem'] },
  },
  readAccessLog: {
    handler: 'functions/me/access-log.handler',
    // A citizen reading who consulted their data.
    throttle: { ratePerSecond: 20, burst: 40 },
    binding: readAccessLog,
    // The audit records of one subject hash, through their index: never a scan of the trail.
    grants: { 'AuditTable/index/auditBySubject': ['dynamodb:Query'] },
  },
  sweepWaitingClaims: {
    handler: 'functions/training-leave/sweep-waiting-claims.handler',
    schedule: 'rate(5 minutes)',
    timeout: 60,
    // The ids of the claims still waiting, and of those to settle (an index of each), sent to the queue.
    grants: {
      'ClaimsTable/index/claimsWaiting': ['dynamodb:Query'],
      'ClaimsTable/index/claimsToSettle': ['dynamodb:Query'],
      ClaimQueue: ['sqs:SendMessage'],
    },
  },
  purgeExpired: {
    handler: 'functions/maintenance/purge-expired.handler',
    schedule: 'rate(1 day)',
    timeout: 300,
    grants: Object.fromEntries(
      ['ClaimsTable', 'PremiumChecksTable', 'AuditTable'].map((t) => [
        t,
        ['dynamodb:DescribeTable', 'dynamodb:DescribeTimeToLive', 'dynamodb:Scan', 'dynamodb:DeleteItem'] as const,
      ]),
    ),
  },
} as const satisfies Record<string, FunctionDeclaration>;

export type FunctionKey = keyof typeof FUNCTIONS;

/**
 * The grants of a function, with what serving a purpose implies: writing audit records,
 * hashing their subject (KMS GenerateMac on the subject-hash keys) and, when the purpose
 * reads sources, their client certificate.
 */
export const grantsOf = (fn: FunctionDeclaration): Record<string, Action[]> => {
  const grants: Record<string, Action[]> = Object.fromEntries(Object.entries(fn.grants).map(([r, a]) => [r, [...a]]));
  const add = (resource: string, action: Action) => {
    grants[resource] = [...new Set([...(grants[resource] ?? []), action])];
  };
  if (fn.binding) {
    // Records are put (a list's in batches, PutItem's grant), refusals before authentication
    // counted (UpdateItem ADD), and a day's shard counts read and recorded (GetItem, UpdateItem).
    add('AuditTable', 'dynamodb:PutItem');
    add('AuditTable', 'dynamodb:BatchWriteItem');
    add('AuditTable', 'dynamodb:UpdateItem');
    add('AuditTable', 'dynamodb:GetItem');
    for (const key of SUBJECT_HASH_KEYS) add(key, 'kms:GenerateMac');
    if (Object.keys(fn.binding.purpose.sources).length > 0) add(SOURCES_CERTIFICATE_SECRET, 'secretsmanager:GetSecretValue');
  }
  return grants;
};

/** The HTTP routes a function serves: its binding's, or its plain routes. */
export const routesOf = (fn: FunctionDeclaration): { method: 'GET' | 'POST'; path: string }[] => {
  if (fn.binding?.kind === 'http') return [{ method: fn.binding.route.method, path: fn.binding.route.path }];
  return [...(fn.routes ?? [])];
};

/** The throttle of one route (`GET /v1/health`), as the catalogue gives it. */
export const throttleOf = (method: string, path: string): Throttle => {
  const fn = Object.values<FunctionDeclaration>(FUNCTIONS).find((f) => routesOf(f).some((r) => r.method === method && r.path === path));
  return fn?.throttle ?? DEFAULT_THROTTLE;
};

/**
 * The `RateLimit-Policy` header (draft-ietf-httpapi-ratelimit-headers) of a function's
 * answers: its steady rate as a quota per one-second window, named after the function; the
 * burst is in the OpenAPI operation. Its functions get it as RATE_LIMIT_POLICY
 * (serverless/catalogue.cjs) and send it with every answer.
 */
export const rateLimitPolicyOf = (key: string, fn: FunctionDeclaration): string | undefined =>
  routesOf(fn).length > 0 ? `"${key}";q=${(fn.throttle ?? DEFAULT_THROTTLE).ratePerSecond};w=1` : undefined;

/** Every route's throttle, keyed by API Gateway's route key (`GET /v1/health`). */
export const routeThrottles = (): Record<string, Throttle> =>
  Object.fromEntries(
    Object.values<FunctionDeclaration>(FUNCTIONS).flatMap((fn) => routesOf(fn).map((r) => [`${r.method} ${r.path}`, fn.throttle ?? DEFAULT_THROTTLE])),
  );

/** The trigger of a function, in serverless.yml's terms. */
export const eventsOf = (fn: FunctionDeclaration): Record<string, unknown>[] => {
  if (fn.binding?.kind === 'queue') {
    return [{ sqs: { arn: { 'Fn::GetAtt': [fn.binding.queue, 'Arn'] }, ...fn.batch, functionResponseType: 'ReportBatchItemFailures' } }];
  }
  if (fn.defaultRoute) return [{ httpApi: '*' }];
  const routes = routesOf(fn);
  if (routes.length > 0) return routes.map((route) => ({ httpApi: route }));
  if (fn.schedule) return [{ schedule: fn.schedule }];
  return [];
};

/**
 * The origins the gateway's CORS admits (provider.httpApi.cors in serverless.yml, through
 * serverless/catalogue.cjs): the `allowedOrigins` parameter, the same list the functions'
 * own CORS middleware gets as ALLOWED_ORIGINS. A wildcard fails the package.
 */
export const gatewayAllowedOrigins = (value: string): string[] => parseAllowedOrigins(value);
