import { loadOrCreateSigningKey } from '../../local/identity/keys.js';
import { signToken, type Principal } from '../../local/identity/tokens.js';
import { createApiClient } from '../../shared/client/client.js';
import { checkedFetch } from './contract.js';
import { targetValue } from './target.js';

/** A token from the target's identity provider (locally: the key the local IdP serves). */
export const tokenFor = async (principal: Principal, options: { expiresIn?: string } = {}): Promise<string> =>
  signToken(await loadOrCreateSigningKey(targetValue('LOCAL_IDP_DIR')), principal, {
    issuer: targetValue('TOKEN_ISSUER'),
    ...options,
  });

/**
 * fetch against the target's HTTP API, for what the typed client cannot send (malformed
 * bodies, unknown fields, wrong content types). Every answer is checked against the OpenAPI
 * document (test/support/contract.ts).
 */
export const api = (path: string, init: RequestInit & { token?: string } = {}): Promise<Response> => {
  const { token, headers, ...rest } = init;
  return checkedFetch(`${targetValue('API_URL')}${path}`, {
    ...rest,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(headers as Record<string, string> | undefined) },
    signal: AbortSignal.timeout(30_000),
  });
};

/** The typed client (shared/client), as `principal`, its answers checked against the contract. */
export const clientFor = async (principal: Principal | undefined, options: { language?: string } = {}) =>
  createApiClient({
    baseUrl: targetValue('API_URL'),
    fetch: checkedFetch,
    ...(principal ? { token: await tokenFor(principal) } : {}),
    ...options,
  });
