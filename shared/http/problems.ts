import type { TokenFailure } from '../auth/verify-token.js';
import { PROBLEM_CODES, PROBLEM_LIMITS, type ProblemCode } from '../purposes/problem-codes.js';
import { HttpProblem } from './problem.js';

type ForbiddenCode = { [C in ProblemCode]: (typeof PROBLEM_CODES)[C] extends 403 ? C : never }[ProblemCode];

/**
 * The one catalogue of problems the service answers. Each has a stable `code`; its title
 * follows from the status, so the same failure always reads the same.
 */
const TITLES = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  406: 'Not acceptable',
  409: 'Conflict',
  413: 'Content too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal error',
  502: 'Bad gateway',
  503: 'Service unavailable',
} as const;

export { PROBLEM_CODES, PROBLEM_LIMITS, type ProblemCode };

/** A request with many bad fields, or a very long field name, gets its first errors, each cut to PROBLEM_LIMITS. */
const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export const problem = (code: ProblemCode, detail: string, extensions: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
  const status = PROBLEM_CODES[code];
  return new HttpProblem(status, code, TITLES[status], cut(detail, PROBLEM_LIMITS.detail), extensions, headers);
};

export interface FieldError {
  path: string;
  message: string;
}

const boundedErrors = (errors: FieldError[]): FieldError[] =>
  errors.slice(0, PROBLEM_LIMITS.errors).map((e) => ({ path: cut(e.path, PROBLEM_LIMITS.path), message: cut(e.message, PROBLEM_LIMITS.message) }));

export const problems = {
  validationFailed: (errors: FieldError[]) => {
    const kept = boundedErrors(errors);
    const more = errors.length - kept.length;
    const detail = kept.map((e) => `${e.path}: ${e.message}`).join('; ') + (more > 0 ? `; and ${more} more` : '');
    return problem('VALIDATION_FAILED', detail, { errors: kept });
  },
  invalidJson: () => problem('INVALID_JSON', 'The request body is not valid JSON.'),
  duplicateKey: (path: string) =>
    problem('DUPLICATE_KEY', `The request body names ${cut(path, PROBLEM_LIMITS.path)} twice; a field may appear once.`, {
      errors: boundedErrors([{ path, message: 'duplicate key' }]),
    }),
  payloadTooLarge: (maxBytes: number) =>
    problem('PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes; no request of this route needs more.`),
  unknownToOnem: () => problem('UNKNOWN_TO_ONEM', 'ONEM holds no career-break record for you; contact ONEM if you think it should.'),
  unsupportedMediaType: () => problem('UNSUPPORTED_MEDIA_TYPE', 'The request body must be JSON in UTF-8 (Content-Type: application/json).'),
  unauthorized: (reason: TokenFailure, message: string) =>
    problem(
      `TOKEN_${reason.toUpperCase() as Uppercase<TokenFailure>}`,
      message,
      {},
      { 'www-authenticate': `Bearer error="invalid_token", error_description="${message}"` },
    ),
  forbidden: (code: ForbiddenCode, detail: string) => problem(code, detail),
  notFound: () => problem('NOT_FOUND', 'No such resource.'),
  noSuchOperation: () => problem('NOT_FOUND', 'The API has no operation for this method and path; its operations are listed in /v1/openapi.json.'),
  claimBusy: () => problem('CLAIM_BUSY', 'Other decisions for this worker are being recorded; try again in a moment.', {}, { 'retry-after': '2' }),
  claimAlreadyDecided: () => problem('CLAIM_ALREADY_DECIDED', 'This claim is decided; a decided claim cannot be withdrawn.'),
  claimWithdrawn: (claimId: string, byKey: boolean) =>
    problem(
      'CLAIM_WITHDRAWN',
      byKey
        ? `This Idempotency-Key names claim ${claimId}, which its employer withdrew; to file the claim anew, send it with a new Idempotency-Key.`
        : `This content names claim ${claimId}, which its employer withdrew; to file the same claim anew, send it with an Idempotency-Key of its own.`,
      { claimId },
      { location: `/v1/training-leave/claims/${claimId}` },
    ),
  idempotencyKeyReused: () => problem('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request; use a new key for a new one.'),
  keySetUnavailable: () =>
    problem('IDENTITY_PROVIDER_UNAVAILABLE', 'The keys that verify tokens could not be fetched; try again later.', {}, { 'retry-after': '5' }),
  pseudonymisationUnavailable: () =>
    problem(
      'PSEUDONYMISATION_UNAVAILABLE',
      'The subject of the request could not be pseudonymised for the audit trail; try again later.',
      {},
      { 'retry-after': '5' },
    ),
  encryptionUnavailable: () =>
    problem('ENCRYPTION_UNAVAILABLE', "The key service that protects the worker's NISS did not answer; try again later.", {}, { 'retry-after': '5' }),
  auditUnavailable: () => problem('AUDIT_UNAVAILABLE', 'The access could not be recorded; try again later.', {}, { 'retry-after': '5' }),
  sourceUnavailable: (source: string, retryAfterSeconds: number) =>
    problem('SOURCE_UNAVAILABLE', `The ${source} service did not answer in time; try again later.`, { source }, { 'retry-after': String(retryAfterSeconds) }),
  sourceContractViolation: (source: string) =>
    problem('SOURCE_CONTRACT_VIOLATION', `The ${source} service answered something unexpected; try again later.`, { source }),
  /** What a front that counts answers (the local cloud's); API Gateway's own throttle answers a plain JSON 429. */
  rateLimited: (retryAfterSeconds: number) =>
    problem('RATE_LIMITED', 'Too many requests on this route; try again after the time in Retry-After.', {}, { 'retry-after': String(retryAfterSeconds) }),
  internal: () => problem('INTERNAL_ERROR', 'The request could not be completed; it has been logged with its request id.'),
};
