import type middy from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { KeySetUnavailableError } from '../auth/verify-token.js';
import { InvalidCursorError } from '../domain/pagination.js';
import { ClaimBusyError } from '../domain/training-leave/ports.js';
import { CipherUnavailableError } from '../privacy/field-cipher.js';
import { MacUnavailableError } from '../privacy/pseudonymiser.js';
import { SourceContractError, SourceUnavailableError } from '../sources/source-errors.js';
import { acceptLanguageOf, HttpProblem, problemLanguage, problemResponse } from './problem.js';
import { problems } from './problems.js';

/**
 * Turns every failure into application/problem+json. Written here rather than using
 * @middy/http-error-handler because that one answers with the bare message and
 * no RFC 9457 fields. Stack traces and messages of unexpected errors never leave.
 */
const JSON_PARSER = '@middy/http-json-body-parser';

export const toProblem = (error: unknown): HttpProblem => {
  if (error instanceof HttpProblem) return error;
  if (error instanceof SourceUnavailableError) return problems.sourceUnavailable(error.source, error.retryAfterSeconds);
  // The source's answer is not shown: only which source misbehaved.
  if (error instanceof SourceContractError) return problems.sourceContractViolation(error.source);
  if (error instanceof KeySetUnavailableError) return problems.keySetUnavailable();
  if (error instanceof MacUnavailableError) return problems.pseudonymisationUnavailable();
  // Never the ciphertext, never a half-written claim: the caller tries again.
  if (error instanceof CipherUnavailableError) return problems.encryptionUnavailable();
  // Any list's cursor it did not give: the field is named, as for any invalid input.
  if (error instanceof InvalidCursorError) return problems.validationFailed([{ path: 'query.cursor', message: error.message }]);
  if (error instanceof ClaimBusyError) return problems.claimBusy();
  // middy's JSON body parser: JSON it cannot parse (the media type is checked before it, by acceptJsonBody).
  const middyError = error as { cause?: { package?: string } } | undefined;
  if (middyError?.cause?.package === JSON_PARSER) return problems.invalidJson();
  return problems.internal();
};

/**
 * The problem is said in the reader's language (Accept-Language among nl, fr, de, en), else in
 * the route's default language (`languages[0]` of its binding), else in English.
 */
export const problemErrorHandler = ({
  logger,
  languages,
}: {
  logger: Pick<Logger, 'error' | 'warn'>;
  /** The route's languages, default first, when it declares any. */
  languages?: readonly string[];
}): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> => ({
  onError: async (request) => {
    const error = request.error;
    const problem = toProblem(error);
    if (problem.status >= 500) logger.error('request failed', { code: problem.code, errorName: error?.name, errorMessage: error?.message });
    else logger.warn('request refused', { code: problem.code, status: problem.status });
    const language = problemLanguage(acceptLanguageOf(request.event?.headers), languages?.[0]);
    request.response = problemResponse(problem, request.context?.awsRequestId, language);
  },
});
