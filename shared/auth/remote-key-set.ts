import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { deadline } from '../transport/deadline.js';
import { nodeFetch } from '../transport/node-fetch.js';

/**
 * The identity provider's key set, fetched and cached as jose's `createRemoteJWKSet` does (one
 * fetch at a time, kept `maxAgeMs`, fetched again for an unknown key id at most every
 * `cooldownMs`), but over Node's http (shared/transport/node-fetch.ts): jose's remote set
 * builds a `Headers` and calls the global fetch, and either loads undici, 20–30 ms of a cold
 * start (BENCHMARKS.md, issue 28). jose still checks the keys (`createLocalJWKSet`).
 * `prefetch()` starts the first fetch early (at a function's initialisation), so that it runs
 * while the rest of the first call is still being set up; its failure is the first call's.
 */
export interface RemoteKeySet {
  getKey: JWTVerifyGetKey;
  prefetch(): void;
}

export const remoteKeySet = (
  url: URL,
  {
    timeoutMs = 5_000,
    cooldownMs = 30_000,
    maxAgeMs = 600_000,
    fetchImpl = nodeFetch(),
  }: { timeoutMs?: number; cooldownMs?: number; maxAgeMs?: number; fetchImpl?: typeof fetch } = {},
): RemoteKeySet => {
  let local: JWTVerifyGetKey | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<void> | undefined;

  const load = async (): Promise<void> => {
    // Bounds the fetch and its body. Cleared once the request failed or the body was read; an
    // unused body (not a 200) is left under it while the transport drains it.
    const limit = deadline(timeoutMs);
    let response: Response;
    try {
      response = await fetchImpl(url, { headers: { accept: 'application/json, application/jwk-set+json' }, signal: limit.signal });
    } catch (error) {
      limit.clear();
      throw (error as Error).name === 'TimeoutError' ? new errors.JWKSTimeout(undefined, { cause: error }) : error;
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new errors.JOSEError('Expected 200 OK from the JSON Web Key Set HTTP response');
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch (cause) {
      throw new errors.JOSEError('Failed to parse the JSON Web Key Set HTTP response as JSON', { cause });
    } finally {
      limit.clear();
    }
    // Throws JWKSInvalid for anything that is not a key set.
    local = createLocalJWKSet(json as JSONWebKeySet);
    fetchedAt = Date.now();
  };
  const reload = (): Promise<void> => {
    pending ??= load().finally(() => {
      pending = undefined;
    });
    return pending;
  };
  const fresh = (duration: number) => Date.now() < fetchedAt + duration;

  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (!local || !fresh(maxAgeMs)) await reload();
    try {
      return await local!(header, token);
    } catch (error) {
      // A key id not in the set: the provider may have rotated; asked again at most every cooldown.
      if (error instanceof errors.JWKSNoMatchingKey && !fresh(cooldownMs)) {
        await reload();
        return local!(header, token);
      }
      throw error;
    }
  };
  return {
    getKey,
    prefetch: () => {
      if (!local && !pending) reload().catch(() => {});
    },
  };
};
