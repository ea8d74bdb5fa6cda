import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { logger } from '../observability/logger.js';
import { problemErrorHandler } from './problem-error-handler.js';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;
export type HttpHandlerFn = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/**
 * The middleware stack every HTTP function goes through. Order matters: middy runs
 * `before` hooks top-down and `onError` bottom-up, so the error handler is last.
 */
export const httpHandler = (fn: HttpHandlerFn) =>
  middy<HttpEvent, HttpResult>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(httpHeaderNormalizer())
    .use(problemErrorHandler({ logger }))
    .handler(fn);
