import type { Principal } from '../../auth/principal.js';
import { AuthenticationError, bearerToken } from '../../auth/verify-token.js';
import { type PurposeMiddleware, stateOf } from '../purpose-context.js';
import { problems } from '../problems.js';

export interface AuthenticateOptions {
  verifyToken: (token: string) => Promise<Principal>;
}

/**
 * Bearer token → principal. A bad token is the caller's fault (401); keys that cannot
 * be fetched are not (KeySetUnavailableError passes through and becomes a 503).
 */
export const authenticate = ({ verifyToken }: AuthenticateOptions): PurposeMiddleware => {
  const authenticateBefore: PurposeMiddleware['before'] = async (request) => {
    try {
      stateOf(request).principal = await verifyToken(bearerToken(request.event.headers?.authorization));
    } catch (error) {
      if (error instanceof AuthenticationError) throw problems.unauthorized(error.reason, error.message);
      throw error;
    }
  };
  return { before: authenticateBefore };
};
