/**
 * `npm run lint` (after biome): lints the generated OpenAPI document with Redocly's
 * recommended-strict rules and with Spectral (`spectral:oas` and the OWASP API Security
 * ruleset 2.0.1). Exits 1 on any Redocly problem or any Spectral error or warning, naming the
 * rule and where; a Spectral finding is waived only by an override below, each with its reason.
 */
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Spectral, type ISpectralDiagnostic } from '@stoplight/spectral-core';
import owasp from '@stoplight/spectral-owasp-ruleset';
import { oas } from '@stoplight/spectral-rulesets';
import pkg from '../package.json' with { type: 'json' };
import { buildOpenApiDocument } from '../shared/contract/openapi.js';

type Json = Record<string, any>;
type Path = readonly (string | number)[];

const lintRedocly = async (source: string): Promise<string[]> => {
  const config = await createConfig({
    extends: ['recommended-strict'],
    // The health route and the document itself take no input and no token: they have no 4XX answer.
    rules: { 'operation-4xx-response': 'off' },
  } as never);
  const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
  return problems.map((p) => `redocly ${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer ?? '?'}`);
};

/** The operation a finding on `paths/<path>/<method>/…` belongs to. */
const operationAt = (document: Json, path: Path): Json | undefined =>
  path[0] === 'paths' ? document.paths?.[path[1] as string]?.[path[2] as string] : undefined;

/** A service route (health, the document, its reference page): public, no token, no personal data. */
const isServiceRoute = (document: Json, path: Path) => {
  const security = operationAt(document, path)?.security;
  return Array.isArray(security) && security.length === 0;
};

/** Text the service writes in natural language, in answers only (never in a request). */
const FREE_TEXT = new Set(['label', 'title', 'detail', 'reason', 'rulesConfidence', 'message']);
const isAnswer = (path: Path) => path[0] === 'components' || path.includes('responses');
const isAnswerText = (path: Path) =>
  isAnswer(path) && (FREE_TEXT.has(String(path.at(-1))) || (path.at(-1) === 'schema' && /^text\//.test(String(path.at(-2)))));

interface Override {
  rule: string;
  applies: (document: Json, path: Path) => boolean;
  why: string;
}

/** The only findings waived, each where the rule does not fit. */
export const SPECTRAL_OVERRIDES: readonly Override[] = [
  {
    rule: 'owasp:api4:2023-string-restricted',
    applies: (_d, path) => isAnswerText(path),
    why: 'answer-only natural-language text (labels, explanations, a problem’s detail) and the reference page’s files: no format or pattern describes them; each has a maxLength',
  },
  {
    rule: 'owasp:api2:2023-read-restricted',
    applies: isServiceRoute,
    why: 'health, the document and its reference page are public by design: no token, no personal data',
  },
  {
    rule: 'owasp:api8:2023-define-error-responses-401',
    applies: isServiceRoute,
    why: 'a service route reads no token, so it refuses none: it never answers 401',
  },
  {
    rule: 'owasp:api8:2023-define-error-validation',
    applies: isServiceRoute,
    why: 'a service route takes no input but a reference-page file name, an unknown one being a 404: it never answers 400',
  },
];

const SEVERITY = ['error', 'warn', 'info', 'hint'] as const;

export const waived = (document: Json, finding: Pick<ISpectralDiagnostic, 'code' | 'path'>) =>
  SPECTRAL_OVERRIDES.some((o) => o.rule === finding.code && o.applies(document, finding.path));

/** Spectral's errors and warnings (information and hints are not findings), overrides not applied. */
export const spectralFindings = async (document: Json): Promise<ISpectralDiagnostic[]> => {
  const spectral = new Spectral();
  spectral.setRuleset({ extends: [oas, owasp] } as never);
  return (await spectral.run(JSON.stringify(document))).filter((r) => r.severity <= 1);
};

/** Spectral's findings, less the overrides. */
export const lintSpectral = async (document: Json): Promise<string[]> => {
  const results = await spectralFindings(document);
  return results.filter((r) => !waived(document, r)).map((r) => `spectral ${SEVERITY[r.severity]} ${r.code}: ${r.message} at ${r.path.join('/')}`);
};

export const lintOpenApi = async (): Promise<string[]> => {
  const document = buildOpenApiDocument({ version: pkg.version }) as Json;
  const [redocly, spectral] = await Promise.all([lintRedocly(JSON.stringify(document)), lintSpectral(document)]);
  // One line per rule and place: Spectral reports a schema once per reference to it.
  return [...new Set([...redocly, ...spectral])];
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = await lintOpenApi();
  for (const line of problems) console.error(line);
  console.log(
    problems.length === 0
      ? 'OpenAPI document: no problem (Redocly recommended-strict; Spectral spectral:oas and OWASP API Security)'
      : `OpenAPI document: ${problems.length} problem(s)`,
  );
  process.exit(problems.length === 0 ? 0 : 1);
}
