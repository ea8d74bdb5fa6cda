import * as z from 'zod';
import type { Role } from '../auth/principal.js';
import { FUNCTIONS } from '../deployment/functions.js';
import { PROBLEM_CODES, type ProblemCode } from '../purposes/problem-codes.js';
import { compileFields, type FieldTree } from '../privacy/project.js';
import { HTTP_BINDINGS } from '../purposes/catalogue.js';
import { instantField } from '../schemas/fields.js';
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

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  return json;
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
  return [...new Set(codes)];
};

const problemSchema: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details, with a stable machine-readable `code`.',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', enum: Object.keys(PROBLEM_CODES) },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      description: 'On VALIDATION_FAILED and DUPLICATE_KEY: each field refused, and why.',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
    source: { type: 'string', description: 'On SOURCE_UNAVAILABLE and SOURCE_CONTRACT_VIOLATION: which source.' },
  },
};

const problemResponses = (codes: readonly ProblemCode[]): Record<string, unknown> => {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes) byStatus.set(PROBLEM_CODES[code], [...(byStatus.get(PROBLEM_CODES[code]) ?? []), code]);
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, list]) => [
        String(status),
        {
          description: list.join(', '),
          content: {
            'application/problem+json': {
              schema: { allOf: [{ $ref: '#/components/schemas/Problem' }, { properties: { status: { const: status }, code: { enum: list } } }] },
            },
          },
        },
      ]),
  );
};

const parametersOf = (binding: AnyHttpBinding): unknown[] => {
  const params: unknown[] = [];
  const add = (where: 'query' | 'path' | 'header', schema: z.ZodType | undefined) => {
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
      schema: { type: 'string' },
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
    ]
      .filter(Boolean)
      .join('\n\n'),
    tags: [purpose.deliberation],
    'x-purpose': purpose.id,
    'x-deliberation': purpose.deliberation,
    'x-roles': binding.actors.map((a) => a.role),
    security: [{ bearer: [] }],
    parameters: parametersOf(binding),
    ...(binding.input.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(binding.input.body, 'input') } } } } : {}),
    responses: {
      [String(binding.route.successStatus)]: {
        description: roles.length > 1 ? `The answer, as each role may see it (${roles.join(', ')}).` : 'The answer.',
        content: { 'application/json': { schema: refs.length === 1 ? refs[0] : { anyOf: refs } } },
      },
      ...problemResponses(problemsOf(binding)),
    },
  };
};

export interface OpenApiOptions {
  version: string;
  /** The API's base URL, when known (a deployed stage); relative to the document otherwise. */
  serverUrl?: string;
}

export const buildOpenApiDocument = ({ version, serverUrl = '/' }: OpenApiOptions) => {
  const components: Record<string, JsonSchema> = { Problem: problemSchema };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const binding of HTTP_BINDINGS as readonly AnyHttpBinding[]) {
    paths[binding.route.path] = { ...paths[binding.route.path], [binding.route.method.toLowerCase()]: operationOf(binding, components) };
  }
  paths['/v1/health'] = {
    get: {
      operationId: 'health',
      summary: 'Whether the service and its dependencies answer (no personal data; no token).',
      tags: ['service'],
      security: [],
      responses: {
        '200': { description: 'Every dependency answers.', content: { 'application/json': { schema: toSchema(healthAnswer, 'output') } } },
        '503': { description: 'A dependency does not answer.', content: { 'application/json': { schema: toSchema(healthAnswer, 'output') } } },
      },
    },
  };
  paths[OPENAPI_PATH] = {
    get: {
      operationId: 'openApiDocument',
      summary: 'This document (no token).',
      tags: ['service'],
      security: [],
      responses: { '200': { description: 'The OpenAPI 3.1 document.', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  };
  paths['/docs'] = {
    get: {
      operationId: 'apiReference',
      summary: 'This document, rendered as a reference page (no token).',
      tags: ['service'],
      security: [],
      responses: { '200': { description: 'The reference page.', content: { 'text/html': { schema: { type: 'string' } } } } },
    },
  };
  paths['/docs/{asset}'] = {
    get: {
      operationId: 'apiReferenceAsset',
      summary: 'A file of the reference page: its script and style sheet (no token).',
      tags: ['service'],
      security: [],
      parameters: [{ name: 'asset', in: 'path', required: true, schema: { type: 'string', enum: ['init.js', 'swagger-ui-bundle.js', 'swagger-ui.css'] } }],
      responses: {
        '200': { description: 'The file.', content: { 'text/javascript': { schema: { type: 'string' } }, 'text/css': { schema: { type: 'string' } } } },
        ...problemResponses(['NOT_FOUND']),
      },
    },
  };
  return {
    openapi: '3.1.1',
    info: {
      title: 'BCSS exchanges',
      version,
      summary: 'Three Belgian social-security data exchanges, each bound to its deliberation.',
      description:
        'Career-break possibilities on MyCareer (deliberation 24/012), Flemish training-leave claims (19/038), ACS/PTP premium checks for Actiris (05/012), and a citizen’s own access log (GDPR art. 15). Every answer other than a success is `application/problem+json` with a stable `code`.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: serverUrl }],
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
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A token of the identity provider, naming the caller’s role.' },
      },
    },
  };
};

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
