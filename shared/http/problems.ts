import type { TokenFailure } from '../auth/verify-token.js';
import { PROBLEM_CODES, type ProblemCode } from '../purposes/problem-codes.js';
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
  500: 'Internal error',
  502: 'Bad gateway',
  503: 'Service unavailable',
} as const;

export { PROBLEM_CODES, type ProblemCode };

export const problem = (code: ProblemCode, detail: string, extensions: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
  const status = PROBLEM_CODES[code];
  return new HttpProblem(status, code, TITLES[status], detail, extensions, headers);
};

export interface FieldError {
  path: string;
  message: string;
}

export const problems = {
  validationFailed: (errors: FieldError[]) => problem('VALIDATION_FAILED', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors }),
  invalidJson: () => problem('INVALID_JSON', 'The request body is not valid JSON.'),
  duplicateKey: (path: string) =>
    problem('DUPLICATE_KEY', `The request body names ${path} twice; a field may appear once.`, { errors: [{ path, message: 'duplicate key' }] }),
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
  claimWithdrawn: (claimId: string) =>
    problem(
      'CLAIM_WITHDRAWN',
      `This Idempotency-Key names claim ${claimId}, which its employer withdrew; to file the claim anew, send it with a new Idempotency-Key.`,
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
  internal: () => problem('INTERNAL_ERROR', 'The request could not be completed; it has been logged with its request id.'),
};
