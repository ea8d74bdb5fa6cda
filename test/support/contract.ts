import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { decodeJwt } from 'jose';
import pkg from '../../package.json' with { type: 'json' };
import { answerComponent, buildOpenApiDocument } from '../../shared/contract/openapi.js';

/**
 * The contract check of every answer the end-to-end suites receive: the route and method
 * must be in the OpenAPI document, the status declared for them, the content type the one
 * declared, and the body valid against the declared schema — for a success, the schema of
 * the caller's role (read from the token), so a field the role may not see fails it.
 */
const DOCUMENT = buildOpenApiDocument({ version: pkg.version });
type Json = Record<string, any>;

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** An ajv (draft 2020-12, formats) holding `document` as `openapi`: any part is `openapi#/<pointer>`. */
export const documentValidator = (document: object): Ajv2020 => {
  const validator = addFormats(new Ajv2020({ strict: false, allErrors: true }));
  validator.addSchema(document as Json, 'openapi');
  return validator;
};
const ajv = documentValidator(DOCUMENT);

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
const validators = new Map<string, ReturnType<typeof ajv.compile>>();
const validator = (ref: string) => {
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: `openapi#/${ref}` });
    validators.set(ref, validate);
  }
  return validate;
};

const ROUTES = Object.keys(DOCUMENT.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

/** The role the token names (read, not verified: the API verifies it). */
const roleOf = (authorization: string | null): string | undefined => {
  const token = authorization?.replace(/^Bearer /i, '');
  if (!token) return undefined;
  try {
    const { role } = decodeJwt(token);
    return typeof role === 'string' ? role : undefined;
  } catch {
    return undefined;
  }
};

export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

/**
 * A method and path the document does not have: the default route's answer, a problem+json 404
 * NOT_FOUND (functions/edge/not-found.ts), and nothing else — not the emulator's route
 * listing, not a bare 404, not a success.
 */
const checkNoSuchOperation = async (where: string, response: Response): Promise<void> => {
  if (response.status !== 404) throw new ContractViolation(`${where}: no such operation in the OpenAPI document, yet not a 404`);
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim();
  if (contentType !== 'application/problem+json')
    throw new ContractViolation(`${where}: a 404 for an unknown operation must be application/problem+json, not ${contentType || '(none)'}`);
  const text = await response.clone().text();
  let body: Json;
  try {
    body = JSON.parse(text) as Json;
  } catch {
    throw new ContractViolation(`${where}: the body is not JSON`);
  }
  const validate = validator(pointer('components', 'schemas', 'Problem'));
  if (!validate(body) || body.code !== 'NOT_FOUND' || body.status !== 404)
    throw new ContractViolation(`${where}: not a NOT_FOUND problem: ${ajv.errorsText(validate.errors)}\n${text.slice(0, 600)}`);
};

/** Each declared header the answer carries must match its schema (a number header read as a number). */
const checkHeaders = (where: string, declared: Json, response: Response) => {
  for (const [name, spec] of Object.entries((declared.headers ?? {}) as Json)) {
    const value = response.headers.get(name);
    if (value === null) {
      if (spec.required) throw new ContractViolation(`${where}: header ${name} is required`);
      continue;
    }
    const validate = ajv.compile(spec.schema);
    if (!validate(spec.schema.type === 'integer' ? Number(value) : value)) {
      throw new ContractViolation(`${where}: header ${name}: ${JSON.stringify(value)} ${ajv.errorsText(validate.errors)}`);
    }
  }
};

/**
 * Throws a ContractViolation naming what does not match; returns what was checked. A 429 is
 * checked like any other declared answer: API Gateway's throttle (plain JSON) or a problem.
 */
export const checkAnswer = async (request: Request, response: Response): Promise<{ operation: string; status: number }> => {
  const path = new URL(request.url).pathname;
  const method = request.method.toLowerCase();
  const where = `${request.method} ${path} → ${response.status}`;
  const route = ROUTES.find((r) => r.pattern.test(path));
  const operation = route ? (DOCUMENT.paths as Json)[route.template]?.[method] : undefined;
  // A CORS preflight is answered by the gateway itself (provider.httpApi.cors), never by an operation.
  if (method === 'options' && request.headers.has('access-control-request-method')) return { operation: 'preflight', status: response.status };
  if (!route || !operation) {
    await checkNoSuchOperation(where, response);
    return { operation: 'notFound', status: 404 };
  }
  const declared = operation.responses[String(response.status)];
  if (!declared) throw new ContractViolation(`${where}: status not declared (declared: ${Object.keys(operation.responses).join(', ')})`);
  checkHeaders(where, declared, response);
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  const media = declared.content?.[contentType];
  if (!media) throw new ContractViolation(`${where}: content type ${contentType || '(none)'} not declared (${Object.keys(declared.content ?? {}).join(', ')})`);
  const text = await response.clone().text();
  if (!/json$/.test(contentType)) {
    if (text.length === 0) throw new ContractViolation(`${where}: empty ${contentType} body`);
    return { operation: operation.operationId, status: response.status };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ContractViolation(`${where}: the body is not JSON`);
  }
  const role = roleOf(request.headers.get('authorization'));
  // A success for a role the operation does not admit is a breach, whatever its body.
  if (response.ok && operation['x-roles'] && !operation['x-roles'].includes(role))
    throw new ContractViolation(
      `${where}: a success answered to ${role ?? 'no token'}, which the operation does not admit (${operation['x-roles'].join(', ')})`,
    );
  const roleComponent = role ? answerComponent(operation.operationId, role as never) : undefined;
  const ref =
    response.ok && roleComponent && roleComponent in DOCUMENT.components.schemas
      ? pointer('components', 'schemas', roleComponent)
      : pointer('paths', route.template, method, 'responses', String(response.status), 'content', contentType, 'schema');
  const validate = validator(ref);
  if (!validate(body)) {
    throw new ContractViolation(`${where}: the body does not match ${ref}: ${ajv.errorsText(validate.errors)}\n${text.slice(0, 600)}`);
  }
  return { operation: operation.operationId, status: response.status };
};

/** fetch, with every answer checked against the contract. */
export const checkedFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const response = await fetch(request.clone());
  await checkAnswer(request, response);
  return response;
};
