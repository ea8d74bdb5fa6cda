import { describe, expect, it } from 'vitest';
import { httpHandler, type HttpEvent } from '../../shared/http/http-handler.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { SourceUnavailableError } from '../../shared/sources/source-errors.js';
import { eventFile, lambdaContext } from '../support/lambda.js';

const invoke = async (error: Error) => {
  const handler = httpHandler(async () => {
    throw error;
  });
  const context = lambdaContext();
  const response = await handler(await eventFile<HttpEvent>('health.json'), context);
  return { response, body: JSON.parse(response.body!), requestId: context.awsRequestId };
};

describe('problem+json error handling', () => {
  it('shows an HttpProblem as RFC 9457 problem details with a machine code', async () => {
    const { response, body, requestId } = await invoke(new HttpProblem(403, 'NOT_ALLOWED', 'Forbidden', 'not for you'));
    expect(response.statusCode).toBe(403);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(body).toEqual({
      type: 'https://bcss-exchanges.example/problems/not-allowed',
      title: 'Forbidden',
      status: 403,
      detail: 'not for you',
      code: 'NOT_ALLOWED',
      instance: `urn:request:${requestId}`,
    });
  });

  it('maps an unavailable source to 503 with Retry-After', async () => {
    const { response, body } = await invoke(new SourceUnavailableError('onem', 'timeout', 12));
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('12');
    expect(body).toMatchObject({ status: 503, code: 'SOURCE_UNAVAILABLE', source: 'onem' });
  });

  it('never leaks the message or stack of an unexpected error', async () => {
    const { response } = await invoke(new Error('connection string postgres://secret@db'));
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret');
    expect(response.body).not.toContain('at ');
    expect(JSON.parse(response.body!)).toMatchObject({ code: 'INTERNAL_ERROR', status: 500 });
  });
});
