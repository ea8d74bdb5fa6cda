import type middy from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { HttpProblem, internalError, problemResponse } from './problem.js';
import { SourceContractError, SourceUnavailableError } from '../sources/source-errors.js';

/**
 * Turns every failure into application/problem+json. Written here rather than using
 * @middy/http-error-handler because that one answers with the bare message and
 * no RFC 9457 fields. Stack traces and messages of unexpected errors never leave.
 */
export const problemErrorHandler = ({ logger }: { logger: Pick<Logger, 'error' | 'warn'> }): middy.MiddlewareObj<
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2
> => ({
  onError: async (request) => {
    const requestId = request.context?.awsRequestId;
    const error = request.error;
    let problem: HttpProblem;
    if (error instanceof HttpProblem) {
      problem = error;
    } else if (error instanceof SourceUnavailableError) {
      problem = new HttpProblem(
        503,
        'SOURCE_UNAVAILABLE',
        'Source unavailable',
        `The ${error.source} service did not answer in time; try again later.`,
        { source: error.source },
        { 'retry-after': String(error.retryAfterSeconds) },
      );
    } else if (error instanceof SourceContractError) {
      // The source's answer is not shown: only which source misbehaved.
      problem = new HttpProblem(502, 'SOURCE_CONTRACT_VIOLATION', 'Bad gateway', `The ${error.source} service answered something unexpected; try again later.`, {
        source: error.source,
      });
    } else {
      problem = internalError();
    }
    if (problem.status >= 500) logger.error('request failed', { code: problem.code, errorName: error?.name, errorMessage: error?.message });
    else logger.warn('request refused', { code: problem.code, status: problem.status });
    request.response = problemResponse(problem, requestId);
  },
});
