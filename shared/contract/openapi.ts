import * as z from 'zod/mini';
import '../schemas/locale.js';
import type { Role } from '../auth/principal.js';
import { DEFAULT_THROTTLE, FUNCTIONS, type FunctionDeclaration, rateLimitPolicyOf, routesOf, type Throttle } from '../deployment/functions.js';
import { PROBLEM_CODES, PROBLEM_LIMITS, type ProblemCode } from '../purposes/problem-codes.js';
import { compileFields, type FieldTree } from '../privacy/project.js';
import { HTTP_BINDINGS } from '../purposes/catalogue.js';
import { acceptLanguageField, instantField } from '../schemas/fields.js';
import type { ActorRule, AnyHttpBinding } from '../purposes/purpose.js';

/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the purpose catalogue and never
 * written by hand: each binding gives its route, the roles it admits and how, its strict
 * input schemas (zod 4's own JSON Schema output, draft 2020-12, which OpenAPI 3.1 uses), its
 * answer narrowed to each role's output fields, and the problems its middlewares and its
 * function may answer. zod's native output was chosen over @asteasolutions/zod-to-openapi
 * and zod-openapi after trying: it needs no extension of the schemas, and the few OpenAPI
 * parts around it (parameters, responses) are plain objects.
 */
type JsonSchema = Record<string, unknown>;

export const OPENAPI_PATH = '/v1/openapi.json';

/** The health route: served without a token, touches no personal data (functions/health). */
const healthAnswer = z.object({ status: z.enum(['up', 'down']), checkedAt: instantField });

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

/**
 * zod writes an integer's bounds but no OpenAPI `format`: an integer bounded within 32 bits
 * is `int32`, any other `int64` (zod's own `z.int()` stops at 2^53).
 */
const withIntegerFormats = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(withIntegerFormats);
  if (!node || typeof node !== 'object') return node;
  const json = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, withIntegerFormats(v)])) as JsonSchema;
  if (json.type === 'integer' && json.format === undefined) {
    const fits = typeof json.minimum === 'number' && typeof json.maximum === 'number' && json.minimum >= INT32.min && json.maximum <= INT32.max;
    json.format = fits ? 'int32' : 'int64';
  }
  return json;
};

const toSchema = (schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  return withIntegerFormats(json) as JsonSchema;
};

/**
 * Narrows a JSON Schema to a field list, as shared/privacy/project.ts narrows a value: a
 * property not listed is removed, and the objects that remain admit no other property, so an
 * answer carrying a field its role may not see does not match the document.
 */
export const narrowSchema = (schema: JsonSchema, tree: FieldTree | true): JsonSchema => {
  if (tree === true) return schema;
  for (const combinator of ['anyOf', 'oneOf'] as const) {
    const branches = schema[combinator] as JsonSchema[] | undefined;
    if (branches) return { ...schema, [combinator]: branches.map((b) => narrowSchema(b, tree)) };
  }
  if (schema.type === 'null') return schema;
  if (schema.type === 'array') {
    const element = tree['[]'];
    return element ? { ...schema, items: narrowSchema(schema.items as JsonSchema, element) } : { ...schema, maxItems: 0 };
  }
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const kept = Object.fromEntries(
    Object.entries(properties).flatMap(([key, sub]) => {
      const subtree = tree[key];
      return subtree ? [[key, narrowSchema(sub, subtree)]] : [];
    }),
  );
  const required = ((schema.required ?? []) as string[]).filter((key) => key in kept);
  const { required: _r, ...rest } = schema;
  return { ...rest, type: 'object', properties: kept, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
};

/** API Gateway's own throttle answer (not a problem: no function runs). */
const gatewayThrottled: JsonSchema = {
  type: 'object',
  description: 'API Gateway’s answer when a route’s throttle refuses a request: no function ran, so it is not a problem document.',
  required: ['message'],
  properties: { message: { type: 'string', const: 'Too Many Requests' } },
};

const functionOf = (operationId: string): FunctionDeclaration => {
  const fn = (FUNCTIONS as Record<string, FunctionDeclaration>)[operationId];
  if (!fn) throw new Error(`${operationId}: no function in shared/deployment/functions.ts`);
  return fn;
};

/** The operation's throttle, as the stage applies it (`x-throttle`), and the policy its answers state. */
const throttleOf = (operationId: string): { 'x-throttle': Throttle & { policy: string } } => {
  const fn = functionOf(operationId);
  const policy = rateLimitPolicyOf(operationId, fn);
  if (!policy || routesOf(fn).length === 0) throw new Error(`${operationId}: the function serves no route`);
  return { 'x-throttle': { ...(fn.throttle ?? DEFAULT_THROTTLE), policy } };
};

const throttleSentence = (operationId: string): string => {
  const { ratePerSecond, burst } = throttleOf(operationId)['x-throttle'];
  return `Throttled to ${ratePerSecond} requests a second over all callers, bursts of ${burst} (429 beyond).`;
};

/** A success or service answer: its description, headers and content. */
const answer = (status: number, description: string, content: Record<string, unknown>) => ({
  [String(status)]: { description, headers: answerHeaders(status), content },
});

const operationIdOf = (binding: AnyHttpBinding): string => {
  const entry = Object.entries(FUNCTIONS).find(([, fn]) => 'binding' in fn && fn.binding === binding);
  if (!entry) throw new Error(`${binding.route.path}: no function in shared/deployment/functions.ts serves this binding`);
  return entry[0];
};

const describeActor = (actor: ActorRule): string => {
  switch (actor.binding) {
    case 'own-niss':
      return 'citizen: their own data only (the NISS in the token)';
    case 'own-enterprise':
      return 'employer: for the enterprise number in its token only';
    case 'team':
      return `dwse: the teams ${actor.teams.join(', ')}`;
    case 'reference-directory':
      return `actiris: persons ${actor.registeredBy} registered in the BCSS reference directory with quality code ${actor.qualityCodes.join(' or ')}`;
  }
};

/** Every problem a route may answer: those its middlewares imply from the binding, and those its function declares. */
export const problemsOf = (binding: AnyHttpBinding): ProblemCode[] => {
  const codes: ProblemCode[] = ['VALIDATION_FAILED', 'TOKEN_MISSING', 'TOKEN_MALFORMED', 'TOKEN_INVALID', 'TOKEN_EXPIRED', 'TOKEN_CLAIMS', 'ROLE_NOT_ALLOWED'];
  for (const actor of binding.actors) {
    if (actor.binding === 'team') codes.push('TEAM_NOT_ALLOWED');
    if (actor.binding === 'own-niss' && binding.subject.niss) codes.push('NOT_OWN_DATA');
    if (actor.binding === 'own-enterprise' && binding.subject.enterpriseNumber) codes.push('NOT_OWN_ENTERPRISE');
    if (actor.binding === 'reference-directory') codes.push('NOT_REGISTERED_AS_JOB_SEEKER');
  }
  if (binding.input.body) codes.push('INVALID_JSON', 'DUPLICATE_KEY', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  if (binding.resource) codes.push('NOT_FOUND');
  // Every purpose route hashes its subject for the audit trail and records the access.
  codes.push('INTERNAL_ERROR', 'IDENTITY_PROVIDER_UNAVAILABLE', 'PSEUDONYMISATION_UNAVAILABLE', 'AUDIT_UNAVAILABLE');
  if (Object.keys(binding.purpose.sources).length > 0) codes.push('SOURCE_UNAVAILABLE', 'SOURCE_CONTRACT_VIOLATION');
  codes.push(...(binding.problems ?? []));
  // Every route is throttled (shared/deployment/functions.ts).
  codes.push('RATE_LIMITED');
  return [...new Set(codes)];
};

const problemSchema: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details, with a stable machine-readable `code`.',
  required: ['type', 'title', 'status', 'detail', 'code'],
  // The texts' bounds are those shared/http/problems.ts cuts to (PROBLEM_LIMITS).
  properties: {
    type: { type: 'string', format: 'uri', maxLength: 200 },
    // Said in the reader's language (Content-Language): nl, fr, de or en.
    title: { type: 'string', maxLength: 100, description: 'The status in words, in the language of Content-Language.' },
    status: { type: 'integer', format: 'int32', minimum: 400, maximum: 599 },
    detail: {
      type: 'string',
      maxLength: PROBLEM_LIMITS.detail,
      description: 'What went wrong, in the language of Content-Language (Accept-Language among nl, fr, de, en; else the route’s default language; else en).',
    },
    code: { type: 'string', enum: Object.keys(PROBLEM_CODES) },
    instance: { type: 'string', maxLength: 100, pattern: '^urn:request:' },
    errors: {
      type: 'array',
      description: `On VALIDATION_FAILED and DUPLICATE_KEY: each field refused, and why (the first ${PROBLEM_LIMITS.errors}).`,
      maxItems: PROBLEM_LIMITS.errors,
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: {
          path: { type: 'string', maxLength: PROBLEM_LIMITS.path, pattern: '^(body|query|path|headers)\\b' },
          message: { type: 'string', maxLength: PROBLEM_LIMITS.message },
        },
      },
    },
    source: { type: 'string', maxLength: 50, pattern: '^[A-Za-z]+$', description: 'On SOURCE_UNAVAILABLE and SOURCE_CONTRACT_VIOLATION: which source.' },
  },
};

/**
 * Headers, once each. `RateLimit-Policy` is sent with every answer of a function (the
 * deployment catalogue's throttle); `RateLimit` (what is left) is not: API Gateway does not
 * say. Access-Control-Allow-Origin answers an allowed origin only.
 */
const HEADERS: Record<string, JsonSchema> = {
  RateLimitPolicy: {
    description:
      'The route’s throttle (draft-ietf-httpapi-ratelimit-headers): `"<operation>";q=<requests>;w=1`, the steady rate per second of the route’s token bucket over all callers; `x-throttle` of the operation gives its burst.',
    required: false,
    schema: { type: 'string', maxLength: 100, pattern: '^"[A-Za-z]+";q=\\d+;w=1$' },
  },
  RateLimit: {
    description:
      'What is left of the quota (draft-ietf-httpapi-ratelimit-headers). Not sent by this deployment: API Gateway’s throttle does not tell what is left. Declared so that a client reads it if a front that counts sends it.',
    required: false,
    schema: { type: 'string', maxLength: 100, pattern: '^"[A-Za-z]+";r=\\d+(;t=\\d+)?$' },
  },
  RetryAfter: {
    description: 'Seconds to wait before asking again (RFC 9110 §10.2.3).',
    required: false,
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 86_400 },
  },
  ContentLanguage: {
    description:
      'The language of a problem’s title and detail: the best of Accept-Language among nl, fr, de and en, else the route’s default language, else en.',
    required: false,
    schema: { type: 'string', enum: ['nl', 'fr', 'de', 'en'] },
  },
  AccessControlAllowOrigin: {
    description: 'On a request from an allowed origin (CORS), that origin.',
    required: false,
    schema: { type: 'string', maxLength: 200, pattern: '^(\\*|https?://[^\\s/]+)$' },
  },
};
// Written out in each answer: a `components.headers` map would itself read as a headers object to linters.
const header = (name: keyof typeof HEADERS) => HEADERS[name];

/** The headers of any answer; a 429 or 503 also says when to come back. */
const answerHeaders = (status: number) => ({
  'RateLimit-Policy': header('RateLimitPolicy'),
  RateLimit: header('RateLimit'),
  'Access-Control-Allow-Origin': header('AccessControlAllowOrigin'),
  ...(status === 429 || status === 503 ? { 'Retry-After': header('RetryAfter') } : {}),
});

const problemResponses = (codes: readonly ProblemCode[]): Record<string, unknown> => {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes) byStatus.set(PROBLEM_CODES[code], [...(byStatus.get(PROBLEM_CODES[code]) ?? []), code]);
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, list]) => [
        String(status),
        {
          description:
            status === 429
              ? `${list.join(', ')}. API Gateway's throttle answers it before any function, as \`{"message":"Too Many Requests"}\` in application/json, not as a problem.`
              : list.join(', '),
          headers: { ...answerHeaders(status), 'Content-Language': header('ContentLanguage') },
          content: {
            'application/problem+json': {
              schema: { allOf: [{ $ref: '#/components/schemas/Problem' }, { properties: { status: { const: status }, code: { enum: list } } }] },
            },
            ...(status === 429 ? { 'application/json': { schema: { $ref: '#/components/schemas/GatewayThrottled' } } } : {}),
          },
        },
      ]),
  );
};

const parametersOf = (binding: AnyHttpBinding): unknown[] => {
  const params: unknown[] = [];
  const add = (where: 'query' | 'path' | 'header', schema: z.ZodMiniType | undefined) => {
    if (!schema) return;
    const json = toSchema(schema, 'input');
    const required = new Set((json.required ?? []) as string[]);
    for (const [name, sub] of Object.entries((json.properties ?? {}) as Record<string, JsonSchema>)) {
      const { description, ...rest } = sub;
      params.push({ name, in: where, required: where === 'path' || required.has(name), schema: rest, ...(description ? { description } : {}) });
    }
  };
  add('path', binding.input.path);
  add('query', binding.input.query);
  add('header', binding.input.headers);
  if (binding.languages) {
    params.push({
      name: 'Accept-Language',
      in: 'header',
      required: false,
      description: `The language of the labels: ${binding.languages.join(', ')} (default ${binding.languages[0]}).`,
      schema: toSchema(acceptLanguageField, 'input'),
    });
  }
  return params;
};

/** The success answer's component name for one role: `<operationId>.<role>`. */
export const answerComponent = (operationId: string, role: Role): string => `${operationId}.${role}`;

const operationOf = (binding: AnyHttpBinding, components: Record<string, JsonSchema>) => {
  const operationId = operationIdOf(binding);
  const full = toSchema(binding.answer, 'output');
  const roles = Object.keys(binding.output) as Role[];
  for (const role of roles) {
    components[answerComponent(operationId, role)] = {
      ...narrowSchema(full, compileFields(binding.output[role] ?? [])),
      title: `${operationId} as ${role}`,
      'x-role': role,
    };
  }
  const refs = roles.map((role) => ({ $ref: `#/components/schemas/${answerComponent(operationId, role)}` }));
  const { purpose } = binding;
  return {
    operationId,
    summary: binding.summary,
    description: [
      `${purpose.description} Purpose ${purpose.id}, deliberation ${purpose.deliberation}.`,
      `Who may ask: ${binding.actors.map(describeActor).join('; ')}.`,
      `Retention: ${purpose.retention.kind === 'none' ? 'nothing is kept' : `${purpose.retention.years} years from ${purpose.retention.from}`} (${purpose.retention.source}).`,
      roles.length > 1 ? 'The answer depends on the role: each sees only its own fields (one schema per role).' : '',
      throttleSentence(operationId),
    ]
      .filter(Boolean)
      .join('\n\n'),
    tags: [purpose.deliberation],
    'x-purpose': purpose.id,
    'x-deliberation': purpose.deliberation,
    'x-roles': binding.actors.map((a) => a.role),
    ...throttleOf(operationId),
    security: [{ bearer: [] }],
    parameters: parametersOf(binding),
    ...(binding.input.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(binding.input.body, 'input') } } } } : {}),
    responses: {
      ...answer(binding.route.successStatus, roles.length > 1 ? `The answer, as each role may see it (${roles.join(', ')}).` : 'The answer.', {
        'application/json': { schema: refs.length === 1 ? refs[0] : { anyOf: refs } },
      }),
      ...problemResponses(problemsOf(binding)),
    },
  };
};

export interface OpenApiOptions {
  version: string;
  /** The API's base URL, when known (a deployed stage); relative to the document otherwise. */
  serverUrl?: string;
}

/** A text answer (page, script, style sheet): at most what a Lambda function may answer, 6 MB. */
const textAnswer: JsonSchema = { type: 'string', maxLength: 6 * 1024 * 1024 };

interface ServiceOperation {
  summary: string;
  description: string;
  parameters?: unknown[];
  responses: Record<string, unknown>;
  /** Problems besides an internal error and the throttle. */
  problems?: ProblemCode[];
}

/** A route that serves no purpose: no token, no personal data; an internal error and the throttle like any other. */
const serviceOperation = (operationId: string, functionKey: string, op: ServiceOperation) => ({
  operationId,
  summary: op.summary,
  description: `${op.description}\n\n${throttleSentence(functionKey)}`,
  tags: ['service'],
  ...throttleOf(functionKey),
  security: [],
  ...(op.parameters ? { parameters: op.parameters } : {}),
  responses: { ...op.responses, ...problemResponses([...(op.problems ?? []), 'INTERNAL_ERROR', 'RATE_LIMITED']) },
});

export const buildOpenApiDocument = ({ version, serverUrl = '/' }: OpenApiOptions) => {
  const components: Record<string, JsonSchema> = { Problem: problemSchema, GatewayThrottled: gatewayThrottled };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const binding of HTTP_BINDINGS as readonly AnyHttpBinding[]) {
    paths[binding.route.path] = { ...paths[binding.route.path], [binding.route.method.toLowerCase()]: operationOf(binding, components) };
  }
  const health = toSchema(healthAnswer, 'output');
  paths['/v1/health'] = {
    get: serviceOperation('health', 'health', {
      summary: 'Whether the service and its dependencies answer (no personal data; no token).',
      description: 'Probes the tables, the queues and the sources; for monitors.',
      responses: {
        ...answer(200, 'Every dependency answers.', { 'application/json': { schema: health } }),
        ...answer(503, 'A dependency does not answer.', { 'application/json': { schema: health } }),
      },
    }),
  };
  paths[OPENAPI_PATH] = {
    get: serviceOperation('openApiDocument', 'openApiDocument', {
      summary: 'This document (no token).',
      description: 'Generated from the purpose catalogue; the same for every caller, so it may be cached.',
      responses: answer(200, 'The OpenAPI 3.1 document.', { 'application/json': { schema: { type: 'object' } } }),
    }),
  };
  paths['/docs'] = {
    get: serviceOperation('apiReference', 'apiReference', {
      summary: 'This document, rendered as a reference page (no token).',
      description: 'Swagger UI, served with its files from this API (nothing from another origin).',
      responses: answer(200, 'The reference page.', { 'text/html': { schema: textAnswer } }),
    }),
  };
  paths['/docs/{asset}'] = {
    get: serviceOperation('apiReferenceAsset', 'apiReference', {
      summary: 'A file of the reference page: its script and style sheet (no token).',
      description: 'One of the reference page’s files, by name; any other name is a 404.',
      parameters: [{ name: 'asset', in: 'path', required: true, schema: { type: 'string', enum: ['init.js', 'swagger-ui-bundle.js', 'swagger-ui.css'] } }],
      responses: answer(200, 'The file.', { 'text/javascript': { schema: textAnswer }, 'text/css': { schema: textAnswer } }),
      problems: ['NOT_FOUND'],
    }),
  };
  return {
    openapi: '3.1.1',
    info: {
      title: 'BCSS exchanges',
      version,
      summary: 'Three Belgian social-security data exchanges, each bound to its deliberation.',
      description:
        'Career-break possibilities on MyCareer (deliberation 24/012), Flemish training-leave claims (19/038), ACS/PTP premium checks for Actiris (05/012), and a citizen’s own access log (GDPR art. 15). Every answer other than a success is `application/problem+json` with a stable `code`, except API Gateway’s own throttle answer (429, plain JSON). Every route is throttled: its operation’s `x-throttle`.',
      contact: { name: 'BCSS exchanges maintainers', url: 'https://bcss-exchanges.example/contact' },
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    // Not internal: citizens' browsers (MyCareer) reach it, as do the partner institutions.
    servers: [{ url: serverUrl, description: 'This stage of the service (local, localstack or prod): the one serving this document.', 'x-internal': false }],
    tags: [
      { name: '24/012', description: 'ONEM → MyCareer: career-break and time-credit possibilities.' },
      { name: '19/038', description: 'DMFA, DIMONA, BCSS registers → department WSE: Flemish training leave.' },
      { name: '05/012', description: 'DMFA → Actiris: ACS and PTP premiums.' },
      { name: 'GDPR art. 15', description: 'A citizen’s right of access: who consulted their data.' },
      { name: 'service', description: 'Health and this document.' },
    ],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A token of the identity provider, naming the caller’s role, verified as RFC8725 (JSON Web Token Best Current Practices) asks: RS256 only (never `none`, no algorithm taken from the token), issuer, audience and expiry checked, at most one hour old.',
        },
      },
    },
  };
};

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
