import type { PurposeMiddleware } from '../purpose-context.js';
import { problems } from '../problems.js';

/**
 * The one check of a body's media type, before anything reads the body: `application/json`
 * (type and parameters case-insensitive), in UTF-8. A `charset` other than UTF-8 is refused
 * rather than read as UTF-8 (a UTF-16 body would be read as garbage, or worse, as something
 * else). Other `+json` types are refused too: `application/merge-patch+json` means a patch,
 * which no route takes, and the OpenAPI document declares `application/json` only.
 */
const MEDIA_TYPE = /^\s*application\/json\s*(;.*)?$/i;

/** The values of every `charset` parameter (`UTF-8`, `"utf-8"`), lower-cased and unquoted. */
const charsetsOf = (parameters: string): string[] =>
  parameters.split(';').flatMap((parameter) => {
    const at = parameter.indexOf('=');
    if (at < 0 || parameter.slice(0, at).trim().toLowerCase() !== 'charset') return [];
    return [
      parameter
        .slice(at + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase(),
    ];
  });

/** `application/json`, with no charset or only UTF-8 (named twice, each must say so). */
export const isJsonUtf8 = (contentType: string | undefined): boolean => {
  const match = MEDIA_TYPE.exec(contentType ?? '');
  return match !== null && charsetsOf(match[1] ?? '').every((charset) => charset === 'utf-8');
};

export const acceptJsonBody = (): PurposeMiddleware => {
  const acceptJsonBodyBefore: PurposeMiddleware['before'] = (request) => {
    const headers = request.event.headers ?? {};
    if (!isJsonUtf8(headers['content-type'] ?? headers['Content-Type'])) throw problems.unsupportedMediaType();
  };
  return { before: acceptJsonBodyBefore };
};
