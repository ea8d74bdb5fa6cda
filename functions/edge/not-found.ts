import { httpHandler } from '../../shared/http/http-handler.js';
import { problems } from '../../shared/http/problems.js';

/**
 * The gateway's default route (`$default`): every method and path no other route serves,
 * an unknown path as well as a method a known path does not have (DELETE /v1/training-leave/claims).
 * Both are 404 NOT_FOUND, in the service's problem format: the gateway routes on method and
 * path together, so "no such operation" is the one answer it can give without a second
 * list of routes here (a 405 would need one, to name the methods allowed).
 */
export const handler = httpHandler(async () => {
  throw problems.noSuchOperation();
});
