import type { Context } from 'aws-lambda';
import type { FunctionKey } from '../shared/deployment/functions.js';

/**
 * Each function's Lambda handler, loaded on its first call (a cold start, as in Lambda).
 * Written as static imports so the image's bundle (esbuild) carries every one; the keys are
 * FUNCTIONS' own (the compiler refuses a missing one) and test/unit/container-routes.test.ts
 * checks each path against the handler FUNCTIONS declares.
 */
// biome-ignore lint/suspicious/noExplicitAny: each handler takes its own trigger's event.
export type LambdaHandler = (event: any, context: Context) => Promise<unknown>;
export type HandlerLoaders = Record<FunctionKey, () => Promise<LambdaHandler>>;

const load = <M extends { handler: unknown }>(imported: Promise<M>) => imported.then((m) => m.handler as LambdaHandler);

export const HANDLERS: HandlerLoaders = {
  health: () => load(import('../functions/health/handler.js')),
  openApiDocument: () => load(import('../functions/contract/openapi.js')),
  apiReference: () => load(import('../functions/contract/reference.js')),
  notFound: () => load(import('../functions/edge/not-found.js')),
  careerBreakPossibilities: () => load(import('../functions/career-break/possibilities.js')),
  careerBreakWhatIf: () => load(import('../functions/career-break/what-if.js')),
  submitTrainingLeaveClaim: () => load(import('../functions/training-leave/submit-claim.js')),
  getTrainingLeaveClaim: () => load(import('../functions/training-leave/get-claim.js')),
  listTrainingLeaveClaims: () => load(import('../functions/training-leave/list-claims.js')),
  withdrawTrainingLeaveClaim: () => load(import('../functions/training-leave/withdraw-claim.js')),
  evaluateTrainingLeaveClaims: () => load(import('../functions/training-leave/evaluate-claims.js')),
  checkPremium: () => load(import('../functions/premium-check/check-premium.js')),
  readAccessLog: () => load(import('../functions/me/access-log.js')),
  sweepWaitingClaims: () => load(import('../functions/training-leave/sweep-waiting-claims.js')),
  purgeExpired: () => load(import('../functions/maintenance/purge-expired.js')),
};

/** Each handler once: concurrent first requests share one import. */
export const cachedLoaders = (loaders: HandlerLoaders): ((key: FunctionKey) => Promise<LambdaHandler>) => {
  const loaded = new Map<FunctionKey, Promise<LambdaHandler>>();
  return (key) => {
    let handler = loaded.get(key);
    if (!handler) {
      handler = loaders[key]();
      loaded.set(key, handler);
      handler.catch(() => loaded.delete(key));
    }
    return handler;
  };
};
