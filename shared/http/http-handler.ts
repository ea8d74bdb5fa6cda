import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { allowedOrigins } from '../config/env.js';
import { logger } from '../observability/logger.js';
import { headerKey } from './headers.js';
import { problemErrorHandler } from './problem-error-handler.js';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;
export type HttpHandlerFn = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/**
 * States the route's throttle on every answer, errors included: `RateLimit-Policy`, as the
 * deployment catalogue gives it to the function (RATE_LIMIT_POLICY; none in unit tests).
 */
const rateLimitPolicy = (): middy.MiddlewareObj<HttpEvent, HttpResult> => {
  const state = (request: middy.Request<HttpEvent, HttpResult>) => {
    const policy = process.env.RATE_LIMIT_POLICY;
    if (policy && request.response) request.response.headers = { ...request.response.headers, 'ratelimit-policy': policy };
  };
  return { after: state, onError: state };
};

/**
 * An answer whose language was negotiated (it says Content-Language: problems on every
 * route, the texts of the routes in several languages) varies with Accept-Language: said in
 * Vary, so no cache gives one reader's language to another. Registered after CORS, so its
 * `after` runs first and CORS adds Origin to the same header.
 */
const varyOnLanguage = (): middy.MiddlewareObj<HttpEvent, HttpResult> => {
  const state = (request: middy.Request<HttpEvent, HttpResult>) => {
    const headers = request.response?.headers;
    if (!headers || headerKey(headers, 'content-language') === undefined) return;
    const vary = headerKey(headers, 'vary');
    if (!vary) headers.vary = 'Accept-Language';
    else if (!/accept-language/i.test(String(headers[vary]))) headers[vary] = `${headers[vary]}, Accept-Language`;
  };
  return { after: state, onError: state };
};

/**
 * The outer layers every HTTP function shares: masked structured logging with the
 * request id, lower-case headers, security headers and CORS on every answer (errors
 * included, since they are registered before the error handler).
 */
export const edgeMiddlewares = (security: Parameters<typeof httpSecurityHeaders>[0] = {}): middy.MiddlewareObj<HttpEvent, HttpResult>[] => [
  injectLambdaContext(logger, { clearState: true }),
  httpHeaderNormalizer(),
  httpSecurityHeaders(security),
  httpCors({ origins: allowedOrigins(), vary: 'Origin' }),
  rateLimitPolicy(),
  varyOnLanguage(),
];

/**
 * The stack of an HTTP function that touches no personal data (health). Use-case
 * functions use `purposeHandler` instead. Order matters: middy runs `before` hooks
 * top-down and `onError` bottom-up, so the error handler is last.
 */
export const httpHandler = (fn: HttpHandlerFn, security: Parameters<typeof httpSecurityHeaders>[0] = {}) =>
  middy<HttpEvent, HttpResult>({ timeoutEarlyInMillis: 0 }).use(edgeMiddlewares(security)).use(problemErrorHandler({ logger })).handler(fn);
