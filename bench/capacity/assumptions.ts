/**
 * The figures of the capacity model that are not measured from the code: public volumes with
 * their sources, AWS quotas and list prices with theirs, and the assumptions, each marked as
 * such. docs/capacity.md cites them; model.ts computes with them; nothing else holds a copy.
 */

/** Prices and quotas as read in December 2026 for the region serverless.yml deploys to. */
export const PRICES_AS_OF = '2026-12';

export interface Figure {
  value: number;
  unit: string;
  source: string;
  /** An assumption, not a published figure: why this value. */
  assumption?: string;
}

/** Public volumes (docs/capacity.md, Volumes). */
export const VOLUMES = {
  vovApprovedClaimsPerSchoolYear: {
    value: 90_778,
    unit: 'approved reimbursement claims, school year 2022-2023 (55,793 distinct workers)',
    source:
      'Statistiek Vlaanderen, "Gebruik van Vlaams opleidingsverlof" (published 22 March 2024), https://www.vlaanderen.be/statistiek-vlaanderen/arbeid/gebruik-van-vlaams-opleidingsverlof',
  },
  myCareerVisitsPerYear: {
    value: 1_077_125,
    unit: 'visits of mycareer.be in 2023 (+32.5 % on 2022)',
    source: 'Sigedis, key figures "Loopbaan" 2023, https://kerncijfers.sigedis.be/nl/loopbaan.html (fr: https://chiffres-cles.sigedis.be/fr/carriere.html)',
  },
  acsPositions: {
    value: 10_000,
    unit: 'subsidised ACS positions in Brussels (end 2017; about 6,700 active in 2024)',
    source:
      'Brussels Governance Monitor, "ACS", https://www.governance.brussels/fr/dossiers/acs (9,945 ACS evaluated in 2015: La Libre, https://www.lalibre.be/regions/bruxelles/deux-fois-plus-d-acs-crees-que-supprimes-5621587535700fb92fc591f3)',
  },
} satisfies Record<string, Figure>;

/** Demand at the busiest moment, per route (requests/s), from the volumes and marked assumptions. */
export const PEAK_DEMAND = {
  careerBreakPossibilities: {
    // 1,077,125 visits a year ≈ 2,951 a day; ×5 on a peak day; 15 % of a day in its busiest hour.
    value: ((VOLUMES.myCareerVisitsPerYear.value / 365) * 5 * 0.15) / 3600,
    unit: 'requests/s',
    source: 'mycareer.be visits (above)',
    assumption:
      'every visit opens the career-break tab (an upper bound: it is one tab of many); a peak day brings 5 × an average day (a reform in the news, e.g. the time-credit changes of 1 January 2026); its busiest hour holds 15 % of the day',
  },
  careerBreakWhatIf: {
    value: ((VOLUMES.myCareerVisitsPerYear.value / 365) * 5 * 0.15) / 3600 / 2,
    unit: 'requests/s',
    source: 'mycareer.be visits (above)',
    assumption: 'half the lookups are followed by a simulation (the route throttle expects fewer simulations than lookups)',
  },
  submitTrainingLeaveClaim: {
    // A payroll office's bulk upload of 1,000 claims in a minute, on top of the deadline season.
    value: 1_000 / 60,
    unit: 'claims/s',
    source: 'VOV claims per school year (above)',
    assumption:
      'claims submitted ≈ 100,000 a school year (the 90,778 approved, plus refusals); the deadline is 3 months after the training start, most trainings start in September-October, so 40 % of a year lands in October-December (≈ 0.06 claims/s over working hours); the peak is a social secretariat uploading 1,000 claims (a CSV batch, WSE-loket) in one minute',
  },
  evaluateTrainingLeaveClaims: {
    value: 1_000 / 60,
    unit: 'claims/s',
    source: 'as the submissions',
    assumption: 'the consumer drains the submission peak as it comes (one SQS batch of up to 10 per invocation)',
  },
  getTrainingLeaveClaim: {
    value: (1_000 / 60) * 3,
    unit: 'requests/s',
    source: 'as the submissions',
    assumption: 'each claim of an upload is read back 3 times by the pages until it is decided',
  },
  listTrainingLeaveClaims: {
    value: 2,
    unit: 'pages/s',
    source: 'none found',
    assumption: 'employers and the three DWSE teams page through lists at 2 pages/s in all at the busiest hour',
  },
  checkPremium: {
    // One check per position per month, all in one working morning (4 h) at the start of the month.
    value: (VOLUMES.acsPositions.value * 1.2) / (4 * 3600),
    unit: 'checks/s',
    source: 'ACS positions (above)',
    assumption:
      'one check per ACS or PTP position per month (premiums are paid monthly, 05/012 §3.2); PTP adds 20 % to the ACS positions (no public count of PTP positions was found); Actiris runs the month in one batch over a 4-hour morning',
  },
  readAccessLog: {
    value: 0.5,
    unit: 'pages/s',
    source: 'none found',
    assumption: 'citizens read their access log at 0.5 pages/s at the busiest hour (a fraction of the lookups)',
  },
} satisfies Record<string, Figure>;

/** Limits the model checks each route against. */
export const LIMITS = {
  partitionWriteUnitsPerSecond: {
    value: 1_000,
    unit: 'WCU/s per partition (a table or an index partition)',
    source:
      'Amazon DynamoDB Developer Guide, "Partitions and data distribution" / "Best practices for designing and using partition keys effectively" (each partition: up to 3,000 RCU and 1,000 WCU per second)',
  },
  partitionReadUnitsPerSecond: { value: 3_000, unit: 'RCU/s per partition', source: 'as above' },
  lambdaConcurrency: {
    value: 1_000,
    unit: 'concurrent executions per account and region (shared by all functions; none of ours has reserved concurrency in shared/deployment/functions.ts)',
    source: 'AWS Lambda Developer Guide, "Lambda quotas" (concurrent executions: 1,000 by default, can be increased)',
  },
  kmsSymmetricRequestsPerSecond: {
    value: 100_000,
    unit: 'KMS cryptographic requests/s, shared (Decrypt, Encrypt, GenerateDataKey, GenerateMac, VerifyMac, …) in eu-west-1',
    source:
      'AWS KMS Developer Guide, "Request quotas", https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html (10,000 shared by default; 20,000 in us-east-2, ap-southeast-1/2, ap-northeast-1, eu-central-1, eu-west-2; 100,000 in us-east-1, us-west-2, eu-west-1)',
    assumption:
      'the excerpt found shows the default 10,000 and the 20,000 list; eu-west-1 in the 100,000 tier is read from the page as we know it and from the 2018 announcement that put eu-west-1 in the top tier — check Service Quotas in the account. GenerateMac on the HMAC key is in the shared symmetric quota (the page lists it there)',
  },
  apiGatewayAccountRequestsPerSecond: {
    value: 10_000,
    unit: 'requests/s per account and region for all HTTP APIs (burst 5,000)',
    source:
      'Amazon API Gateway Developer Guide, "Amazon API Gateway quotas" (throttle quota per account, per Region across HTTP APIs, REST APIs, WebSocket APIs)',
  },
} satisfies Record<string, Figure>;

/**
 * The duration of an invocation in AWS: this machine's emulators tell nothing about ONEM's or
 * DMFA's latency, so the model assumes it from the calls the code makes (measured).
 */
export const DURATION = {
  baseMs: {
    value: 20,
    unit: 'ms per invocation (token check with cached keys, validation, answer)',
    source: 'BENCHMARKS.md: the middleware stack adds 0.23 ms warm; rounded up for a 512 MB arm64 function',
    assumption: 'a warm invocation',
  },
  awsCallMs: {
    value: 8,
    unit: 'ms per DynamoDB, KMS or SQS call',
    source: 'none measured in AWS (BENCHMARKS.md measures loopback only)',
    assumption: 'single-digit ms in-region; calls counted as if sequential (an upper bound)',
  },
  sourceCallMs: {
    value: 250,
    unit: 'ms per source call (ONEM, career data, DMFA, DIMONA, registers, training database)',
    source: 'none found',
    assumption: 'SOAP/REST services behind the BCSS network; the ONEM client times out at 3 s',
  },
} satisfies Record<string, Figure>;

/** List prices, eu-west-1 (Europe, Ireland), USD, read 2026-12. */
export const PRICES = {
  region: 'eu-west-1',
  httpApiPerMillion: {
    value: 1.11,
    unit: 'USD per million HTTP API requests (first 300 million a month)',
    source:
      'https://aws.amazon.com/api-gateway/pricing/ (HTTP APIs; us-east-1 $1.00 per million, as in the AWS whitepaper "Best Practices for Designing Amazon API Gateway Private APIs", Cost optimization)',
    assumption: "the eu-west-1 rate is taken from the page's regional table, which the excerpt found did not show",
  },
  lambdaRequestsPerMillion: { value: 0.2, unit: 'USD per million invocations', source: 'https://aws.amazon.com/lambda/pricing/' },
  lambdaArmGbSecond: {
    value: 0.0000133334,
    unit: 'USD per GB-second, arm64 (first 7.5 billion GB-s a month)',
    source:
      "https://aws.amazon.com/lambda/pricing/ (arm64 rate of eu-west-1 as of most regions; also artillery's price table, lib/platform/aws-lambda/prices.js)",
  },
  dynamoWriteRequestUnitPerMillion: {
    value: 0.7068,
    unit: 'USD per million write request units (on-demand, Standard table class)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    assumption:
      'the eu-west-1 rate of $1.4135 before the on-demand price cut of November 2024, halved; us-east-1 is $0.625 after the cut (airbyte.com/data-engineering-resources/dynamodb-pricing)',
  },
  dynamoReadRequestUnitPerMillion: {
    value: 0.1415,
    unit: 'USD per million read request units (on-demand)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    assumption: 'as the write rate: $0.283 before November 2024, halved; us-east-1 is $0.125',
  },
  kmsPerMillion: { value: 3, unit: 'USD per million KMS requests ($0.03 per 10,000)', source: 'https://aws.amazon.com/kms/pricing/' },
  sqsPerMillion: { value: 0.4, unit: 'USD per million SQS requests (standard queue, 64 KB chunks)', source: 'https://aws.amazon.com/sqs/pricing/' },
} as const;

/** The consumer's SQS trigger: batches of this many claims (functions.ts: batchSize 10), one receive and one batched delete each. */
export const SQS_CONSUMER = {
  receivesAndDeletesPerClaim: {
    value: 2 / 10,
    unit: 'SQS requests per claim (a ReceiveMessage and a DeleteMessageBatch per batch of 10)',
    source: 'shared/deployment/functions.ts (batchSize 10)',
    assumption: 'full batches at the peak; empty receives of the poller between peaks are not counted',
  },
} as const;
