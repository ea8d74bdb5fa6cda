import { errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { principalSchema, type Principal } from './principal.js';
import { type RemoteKeySet, remoteKeySet } from './remote-key-set.js';

/**
 * Bearer-token verification with jose. The algorithm allow-list is fixed here and never
 * read from the token (so `alg: none` and HS256-with-the-public-key are refused), and
 * issuer, audience, expiry and not-before are always checked.
 */
export const ALLOWED_ALGORITHMS = ['RS256'];
const CLOCK_TOLERANCE_SECONDS = 30;

/** Why a token was refused: each is a problem code TOKEN_<REASON>. */
export type TokenFailure = 'missing' | 'malformed' | 'invalid' | 'expired' | 'claims';

export class AuthenticationError extends Error {
  override name = 'AuthenticationError';
  constructor(
    readonly reason: TokenFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The keys that verify tokens could not be had (the identity provider is down or slow): not the caller's fault. */
export class KeySetUnavailableError extends Error {
  override name = 'KeySetUnavailableError';
}

/** Tokens older than this (from `iat`) are refused even before `exp`; one issued in the future is refused too. */
export const DEFAULT_MAX_TOKEN_AGE = '1h';

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** Maximum age from `iat` (a jose time span such as "1h"); default 1 hour, the local identity provider's lifetime. */
  maxTokenAge?: string;
  /** Where the keys come from: a JWKS URL (fetched and cached) or a resolver (tests). */
  keys: string | JWTVerifyGetKey;
}

// One remote key set per JWKS URL per container: cached, and fetched again at most every 30 s.
const remoteKeySets = new Map<string, RemoteKeySet>();
const remote = (url: string): RemoteKeySet => {
  let set = remoteKeySets.get(url);
  if (!set) {
    set = remoteKeySet(new URL(url), { timeoutMs: 2_000, cooldownMs: 30_000, maxAgeMs: 600_000 });
    remoteKeySets.set(url, set);
  }
  return set;
};
const keySet = (keys: string | JWTVerifyGetKey): JWTVerifyGetKey => (typeof keys === 'string' ? remote(keys).getKey : keys);

/** Starts fetching the key set of `url` now (a function's initialisation), so the first token check need not wait for it. */
export const prefetchKeySet = (url: string): void => remote(url).prefetch();

export const bearerToken = (authorization: string | undefined): string => {
  if (!authorization) throw new AuthenticationError('missing', 'an Authorization: Bearer <token> header is required');
  const match = /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*\.[A-Za-z0-9\-_]*)$/.exec(authorization.trim());
  if (!match) throw new AuthenticationError('malformed', 'the Authorization header must be "Bearer <JWT>"');
  return match[1]!;
};

export const verifyToken = async (token: string, options: TokenVerifierOptions): Promise<Principal> => {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keySet(options.keys), {
      issuer: options.issuer,
      audience: options.audience,
      algorithms: ALLOWED_ALGORITHMS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'iat', 'sub'],
      maxTokenAge: options.maxTokenAge ?? DEFAULT_MAX_TOKEN_AGE,
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new AuthenticationError('expired', 'the token has expired or is older than its lifetime');
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'iat')
      throw new AuthenticationError('invalid', 'the token was issued in the future');
    // Key-set outages are not the caller's fault: a time-out, a refused connection (not a
    // JOSE error at all), an answer that is not a key set (a generic JOSE error from the fetch).
    if (
      error instanceof errors.JWKSTimeout ||
      error instanceof errors.JWKSInvalid ||
      !(error instanceof errors.JOSEError) ||
      error.code === 'ERR_JOSE_GENERIC'
    ) {
      throw new KeySetUnavailableError('the token keys could not be fetched', { cause: error });
    }
    throw new AuthenticationError('invalid', 'the token could not be verified');
  }
  const principal = principalSchema.safeParse(payload);
  if (!principal.success) throw new AuthenticationError('claims', 'the token does not say who it speaks for');
  return principal.data;
};
