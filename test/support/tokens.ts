import { loadOrCreateSigningKey } from '../../local/identity/keys.js';
import { signToken, type Principal } from '../../local/identity/tokens.js';
import { targetValue } from './target.js';

/** A token from the target's identity provider (locally: the key the local IdP serves). */
export const tokenFor = async (principal: Principal, options: { expiresIn?: string } = {}): Promise<string> =>
  signToken(await loadOrCreateSigningKey(targetValue('LOCAL_IDP_DIR')), principal, {
    issuer: targetValue('TOKEN_ISSUER'),
    ...options,
  });

/** fetch against the target's HTTP API. */
export const api = (path: string, init: RequestInit & { token?: string } = {}): Promise<Response> => {
  const { token, headers, ...rest } = init;
  return fetch(`${targetValue('API_URL')}${path}`, {
    ...rest,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(headers as Record<string, string> | undefined) },
    signal: AbortSignal.timeout(30_000),
  });
};
