/**
 * Every problem code the service answers, with its status: one table, so a code always comes with
 * the same status and the OpenAPI document (shared/contract/openapi.ts) can list, per route,
 * exactly the codes it may answer.
 */
export const PROBLEM_CODES = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  DUPLICATE_KEY: 400,
  TOKEN_MISSING: 401,
  TOKEN_MALFORMED: 401,
  TOKEN_INVALID: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_CLAIMS: 401,
  ROLE_NOT_ALLOWED: 403,
  TEAM_NOT_ALLOWED: 403,
  NOT_OWN_DATA: 403,
  NOT_OWN_ENTERPRISE: 403,
  NOT_REGISTERED_AS_JOB_SEEKER: 403,
  NOT_FOUND: 404,
  UNKNOWN_TO_ONEM: 404,
  CLAIM_ALREADY_DECIDED: 409,
  CLAIM_WITHDRAWN: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  // Declared on every route: API Gateway's throttle answers it (docs/interfaces.md: not as problem+json).
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SOURCE_CONTRACT_VIOLATION: 502,
  CLAIM_BUSY: 503,
  IDENTITY_PROVIDER_UNAVAILABLE: 503,
  PSEUDONYMISATION_UNAVAILABLE: 503,
  ENCRYPTION_UNAVAILABLE: 503,
  AUDIT_UNAVAILABLE: 503,
  SOURCE_UNAVAILABLE: 503,
} as const satisfies Record<string, 400 | 401 | 403 | 404 | 406 | 409 | 413 | 415 | 422 | 429 | 500 | 502 | 503>;
export type ProblemCode = keyof typeof PROBLEM_CODES;

/** The bounds of a problem's texts, which shared/http/problems.ts cuts to and the OpenAPI document states. */
export const PROBLEM_LIMITS = { detail: 2_000, errors: 50, path: 300, message: 500 } as const;
