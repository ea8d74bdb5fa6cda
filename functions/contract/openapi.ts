import pkg from '../../package.json' with { type: 'json' };
import { buildOpenApiDocument } from '../../shared/contract/openapi.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { jsonResponse } from '../../shared/http/problem.js';

/**
 * GET /v1/openapi.json (no token): the OpenAPI 3.1 document, generated from the purpose
 * catalogue once per container. It holds no personal data and no secret, so it may be cached.
 */
let document: string | undefined;

export const handler = httpHandler(async () => {
  document ??= JSON.stringify(buildOpenApiDocument({ version: pkg.version }));
  return { ...jsonResponse(200, null, { 'cache-control': 'public, max-age=300' }), body: document };
});
