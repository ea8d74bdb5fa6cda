/**
 * `npm run lint` (after biome): lints the generated OpenAPI document with Redocly's
 * recommended-strict rules. Exits 1 on any problem, naming the rule and where.
 */
import { createConfig, lintFromString } from '@redocly/openapi-core';
import pkg from '../package.json' with { type: 'json' };
import { buildOpenApiDocument } from '../shared/contract/openapi.js';

export const lintOpenApi = async () => {
  const config = await createConfig({
    extends: ['recommended-strict'],
    // The health route and the document itself take no input and no token: they have no 4XX answer.
    rules: { 'operation-4xx-response': 'off' },
  } as never);
  const problems = await lintFromString({
    source: JSON.stringify(buildOpenApiDocument({ version: pkg.version })),
    absoluteRef: 'openapi.json',
    config,
  });
  return problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer ?? '?'}`);
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = await lintOpenApi();
  for (const line of problems) console.error(line);
  console.log(problems.length === 0 ? 'OpenAPI document: no problem (Redocly recommended-strict)' : `OpenAPI document: ${problems.length} problem(s)`);
  process.exit(problems.length === 0 ? 0 : 1);
}
