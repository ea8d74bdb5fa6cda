import { HttpProblem } from './problem.js';

/**
 * The one catalogue of problems the service answers. Each has a stable `code`; its title
 * follows from the status, so the same failure always reads the same.
 */
const TITLES: Record<number, string> = {
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
};

export const problem = (status: number, code: string, detail: string, extensions: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  new HttpProblem(status, code, TITLES[status] ?? 'Error', detail, extensions, headers);

export interface FieldError {
  path: string;
  message: string;
}

export const problems = {
  validationFailed: (errors: FieldError[]) => problem(400, 'VALIDATION_FAILED', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors }),
  invalidJson: () => problem(400, 'INVALID_JSON', 'The request body is not valid JSON.'),
  duplicateKey: (path: string) =>
    problem(400, 'DUPLICATE_KEY', `The request body names ${path} twice; a field may appear once.`, { errors: [{ path, message: 'duplicate key' }] }),
  payloadTooLarge: (maxBytes: number) =>
    problem(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes; no request of this route needs more.`),
  unknownToOnem: () => problem(404, 'UNKNOWN_TO_ONEM', 'ONEM holds no career-break record for you; contact ONEM if you think it should.'),
  unsupportedMediaType: () => problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'The request body must be JSON (Content-Type: application/json).'),
  unauthorized: (reason: string, message: string) =>
    problem(401, `TOKEN_${reason.toUpperCase()}`, message, {}, { 'www-authenticate': `Bearer error="invalid_token", error_description="${message}"` }),
  forbidden: (code: string, detail: string) => problem(403, code, detail),
  notFound: () => problem(404, 'NOT_FOUND', 'No such resource.'),
  claimBusy: () => problem(503, 'CLAIM_BUSY', 'Other decisions for this worker are being recorded; try again in a moment.', {}, { 'retry-after': '2' }),
  claimAlreadyDecided: () => problem(409, 'CLAIM_ALREADY_DECIDED', 'This claim is decided; a decided claim cannot be withdrawn.'),
  idempotencyKeyReused: () =>
    problem(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request; use a new key for a new one.'),
  keySetUnavailable: () =>
    problem(503, 'IDENTITY_PROVIDER_UNAVAILABLE', 'The keys that verify tokens could not be fetched; try again later.', {}, { 'retry-after': '5' }),
  pseudonymisationUnavailable: () =>
    problem(
      503,
      'PSEUDONYMISATION_UNAVAILABLE',
      'The subject of the request could not be pseudonymised for the audit trail; try again later.',
      {},
      { 'retry-after': '5' },
    ),
  auditUnavailable: () => problem(503, 'AUDIT_UNAVAILABLE', 'The access could not be recorded; try again later.', {}, { 'retry-after': '5' }),
  sourceUnavailable: (source: string, retryAfterSeconds: number) =>
    problem(
      503,
      'SOURCE_UNAVAILABLE',
      `The ${source} service did not answer in time; try again later.`,
      { source },
      { 'retry-after': String(retryAfterSeconds) },
    ),
  sourceContractViolation: (source: string) =>
    problem(502, 'SOURCE_CONTRACT_VIOLATION', `The ${source} service answered something unexpected; try again later.`, { source }),
  internal: () => problem(500, 'INTERNAL_ERROR', 'The request could not be completed; it has been logged with its request id.'),
};
