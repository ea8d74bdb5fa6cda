import swaggerUiBundle from 'swagger-ui-dist/swagger-ui-bundle.js' with { type: 'text' };
import swaggerUiCss from 'swagger-ui-dist/swagger-ui.css' with { type: 'text' };
import { OPENAPI_PATH } from '../../shared/contract/openapi.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { acceptLanguageOf, problemLanguage, problemResponse } from '../../shared/http/problem.js';
import { problems } from '../../shared/http/problems.js';

/**
 * GET /docs and GET /docs/{asset} (no token): the API reference, Swagger UI rendering
 * /v1/openapi.json. Swagger UI's files come from the npm package, bundled into this function
 * (nothing is loaded from a CDN), and are served with a policy that admits only this origin.
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>BCSS exchanges — API reference</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<main id="reference"></main>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({ url: ${JSON.stringify(OPENAPI_PATH)}, dom_id: '#reference', deepLinking: true, tryItOutEnabled: false });\n`;

const ASSETS: Record<string, { type: string; body: string }> = {
  '': { type: 'text/html; charset=utf-8', body: PAGE },
  'init.js': { type: 'text/javascript; charset=utf-8', body: INIT },
  'swagger-ui-bundle.js': { type: 'text/javascript; charset=utf-8', body: swaggerUiBundle },
  'swagger-ui.css': { type: 'text/css; charset=utf-8', body: swaggerUiCss },
};

/** Swagger UI styles with inline style attributes and shows images from data: URLs; nothing else is relaxed. */
const REFERENCE_POLICY = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self' 'unsafe-inline'",
  'img-src': "'self' data:",
  'connect-src': "'self'",
  // Turned off (undefined): middy's defaults would sandbox the page and refuse Swagger UI's DOM writes.
  'require-trusted-types-for': undefined,
  sandbox: undefined,
  'upgrade-insecure-requests': undefined,
  'report-to': undefined,
} as unknown as Record<string, string>;

export const handler = httpHandler(
  async (event) => {
    const name = event.pathParameters?.asset ?? '';
    // Own keys only: /docs/constructor is not an asset.
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) return problemResponse(problems.notFound(), undefined, problemLanguage(acceptLanguageOf(event.headers)));
    return { statusCode: 200, headers: { 'content-type': asset.type, 'cache-control': 'public, max-age=300' }, body: asset.body };
  },
  { contentSecurityPolicy: REFERENCE_POLICY },
);
