import { describe, expect, it } from 'vitest';
import { acceptJsonBody, isJsonUtf8 } from '../../../shared/http/middleware/accept-json-body.js';
import type { HttpProblem } from '../../../shared/http/problem.js';

// The one check of a body's media type, on a bare request: JSON in UTF-8, or 415 before
// anything reads the body.
const passes = (headers: Record<string, string>) =>
  acceptJsonBody().before!({ event: { headers, body: '{"a":1}' }, context: {}, response: undefined, error: undefined, internal: {} } as never);

const refusal = async (headers: Record<string, string>): Promise<HttpProblem> => {
  try {
    await passes(headers);
  } catch (error) {
    return error as HttpProblem;
  }
  throw new Error('expected a refusal');
};

describe('acceptJsonBody', () => {
  it.each([
    'application/json',
    'Application/JSON',
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'application/json; charset="UTF-8"',
    'application/json; CHARSET=Utf-8',
  ])('accepts %s', async (contentType) => {
    expect(await passes({ 'content-type': contentType })).toBeUndefined();
  });

  it.each([
    'application/json; charset=utf-16',
    'application/json; charset="utf-16le"',
    'application/json; charset=iso-8859-1',
    'application/json; foo=bar; charset=UTF-32',
    'application/merge-patch+json',
    'application/problem+json',
    'application/jsonx',
    'text/json',
    'text/plain',
    '',
  ])('refuses %j with 415 UNSUPPORTED_MEDIA_TYPE', async (contentType) => {
    const problem = await refusal({ 'content-type': contentType });
    expect([problem.status, problem.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });

  it('refuses a body with no content type at all, whichever the header case', async () => {
    expect((await refusal({})).status).toBe(415);
    expect(await passes({ 'Content-Type': 'application/json' })).toBeUndefined();
  });

  it('reads only the charset parameters, whatever else the type carries', () => {
    expect(isJsonUtf8('application/json; profile=x')).toBe(true);
    expect(isJsonUtf8('application/json; charset=utf-8; charset=utf-16')).toBe(false);
    expect(isJsonUtf8(undefined)).toBe(false);
  });
});
