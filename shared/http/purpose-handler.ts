import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { actorOrganisation, type Principal } from '../auth/principal.js';
import { AuthenticationError, bearerToken } from '../auth/verify-token.js';
import { logger } from '../observability/logger.js';
import { projector } from '../privacy/project.js';
import type { ActorRule, HttpInput, HttpInputSchemas, Purpose } from '../purposes/purpose.js';
import type { PurposeSources } from '../sources/purpose-sources.js';
import { findRegistration } from '../sources/reference-directory.js';
import { edgeMiddlewares, type HttpEvent, type HttpResult } from './http-handler.js';
import { HttpProblem, jsonResponse, problemResponse } from './problem.js';
import { problemErrorHandler } from './problem-error-handler.js';
import { defaultRuntime, type PurposeRuntime } from './purpose-runtime.js';

/**
 * The purpose-bound middleware stack. Every HTTP function of a use case is built with
 * `purposeHandler(purpose, fn)`, so the declaration is enforced before and after `fn`:
 *
 *   logging (Powertools, masked) → CORS and security headers → audit (records the outcome)
 *   → authentication (jose) → authorization (role, team) → validation (strict zod)
 *   → subject binding (own NISS, own enterprise, reference-directory gate)
 *   → fn → minimisation of the response → problem+json error handler (last).
 *
 * Subject binding runs after validation because it needs the validated input (the
 * enterprise number a claim names, the worker an Actiris check is about); it still runs
 * before `fn`, so no source other than the reference directory is called before it passes.
 */

export interface PurposeCall<S extends HttpInputSchemas> {
  principal: Principal;
  input: HttpInput<S>;
  sources: PurposeSources;
  requestId: string;
  now: Date;
  /** The normalised (lower-case) request headers. */
  headers: Record<string, string | undefined>;
  /**
   * For resources read from storage: checks that the caller may see one bound to this
   * enterprise number and subject, and answers 404 otherwise (existence is not revealed).
   */
  authorizeResource(resource: { enterpriseNumber?: string; niss?: string }): void;
}

export interface PurposeResult {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface PurposeState {
  principal?: Principal;
  input?: HttpInput<HttpInputSchemas>;
  subjectNiss?: string;
  audited?: boolean;
  resourceAuthorized?: boolean;
}
type Request = middy.Request<HttpEvent, HttpResult, Error, Context>;
// Keyed by the invocation's context object, which middy hands both to middlewares and to the handler.
const states = new WeakMap<Context, PurposeState>();
const stateFor = (context: Context): PurposeState => {
  let state = states.get(context);
  if (!state) states.set(context, (state = {}));
  return state;
};
const stateOf = (request: Request): PurposeState => stateFor(request.context);

const forbidden = (code: string, detail: string, extensions: Record<string, unknown> = {}) =>
  new HttpProblem(403, code, 'Forbidden', detail, extensions);

// ---- authentication ------------------------------------------------------------------

const authenticate = (runtime: () => PurposeRuntime): middy.MiddlewareObj<HttpEvent, HttpResult> => ({
  before: async (request) => {
    try {
      const token = bearerToken(request.event.headers?.authorization);
      stateOf(request as Request).principal = await runtime().verifyToken(token);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      throw new HttpProblem(401, `TOKEN_${error.reason.toUpperCase()}`, 'Unauthorized', error.message, {}, {
        'www-authenticate': `Bearer error="invalid_token", error_description="${error.message}"`,
      });
    }
  },
});

// ---- authorization (role and team) ----------------------------------------------------

const ruleFor = (purpose: Purpose<any>, principal: Principal): ActorRule => {
  const rule = purpose.actors.find((a) => a.role === principal.role);
  if (!rule) {
    throw forbidden('ROLE_NOT_ALLOWED', `Deliberation ${purpose.deliberation} does not open ${purpose.id} to the role ${principal.role}.`);
  }
  if (rule.binding === 'team' && principal.role === 'dwse' && !(rule.teams as readonly string[]).includes(principal.team)) {
    throw forbidden('TEAM_NOT_ALLOWED', `Only the teams ${rule.teams.join(', ')} may use ${purpose.id} (deliberation ${purpose.deliberation}).`);
  }
  return rule;
};

const authorize = (purpose: Purpose<any>): middy.MiddlewareObj<HttpEvent, HttpResult> => ({
  before: (request) => {
    ruleFor(purpose, stateOf(request as Request).principal!);
  },
});

// ---- validation ------------------------------------------------------------------------

const describeIssues = (where: string, error: z.ZodError) =>
  error.issues.slice(0, 20).map((issue) => {
    const path = [where, ...issue.path.map(String)].join('.');
    const message =
      issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')} are not accepted` : issue.message;
    return { path, message };
  });

const parseJsonBody = (event: HttpEvent): unknown => {
  const contentType = event.headers?.['content-type'] ?? '';
  if (!/^application\/(.+\+)?json(\s*;.*)?$/i.test(contentType)) {
    throw new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type', 'The request body must be JSON (Content-Type: application/json).');
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpProblem(400, 'INVALID_JSON', 'Bad request', 'The request body is not valid JSON.');
  }
};

const validate = (purpose: Purpose<any>): middy.MiddlewareObj<HttpEvent, HttpResult> => ({
  before: (request) => {
    const { event } = request;
    const schemas: HttpInputSchemas = purpose.input;
    const raw = {
      body: schemas.body ? parseJsonBody(event) : undefined,
      query: event.queryStringParameters ?? {},
      path: event.pathParameters ?? {},
    };
    if (!schemas.body && event.body) {
      throw new HttpProblem(400, 'VALIDATION_FAILED', 'Bad request', 'This route takes no request body.', {
        errors: [{ path: 'body', message: 'no body is accepted' }],
      });
    }
    const input: Record<string, unknown> = {};
    const errors: { path: string; message: string }[] = [];
    for (const part of ['body', 'query', 'path'] as const) {
      const schema = schemas[part];
      const value = raw[part];
      if (!schema) {
        // A part the purpose does not declare must be empty: unknown input is refused, not ignored.
        if (part !== 'body' && value && Object.keys(value).length > 0) {
          errors.push({ path: part, message: `unknown ${part} parameter(s) ${Object.keys(value).map((k) => `"${k}"`).join(', ')} are not accepted` });
        }
        input[part] = {};
        continue;
      }
      const parsed = schema.safeParse(value);
      if (parsed.success) input[part] = parsed.data;
      else errors.push(...describeIssues(part, parsed.error));
    }
    if (errors.length > 0) {
      throw new HttpProblem(400, 'VALIDATION_FAILED', 'Bad request', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
    }
    stateOf(request as Request).input = input as HttpInput<HttpInputSchemas>;
  },
});

// ---- subject binding ------------------------------------------------------------------

const bindSubject = (purpose: Purpose<any>, runtime: () => PurposeRuntime): middy.MiddlewareObj<HttpEvent, HttpResult> => ({
  before: async (request) => {
    const state = stateOf(request as Request);
    const principal = state.principal!;
    const input = state.input!;
    const rule = ruleFor(purpose, principal);
    const claimedNiss = purpose.subject.niss?.(input);
    const claimedEnterprise = purpose.subject.enterpriseNumber?.(input);
    switch (rule.binding) {
      case 'own-niss': {
        const own = (principal as Extract<Principal, { role: 'citizen' }>).niss;
        if (claimedNiss !== undefined && claimedNiss !== own) {
          throw forbidden('NOT_OWN_DATA', 'A citizen may only see their own data; the subject is taken from the token.');
        }
        state.subjectNiss = own;
        return;
      }
      case 'own-enterprise': {
        const own = (principal as Extract<Principal, { role: 'employer' }>).enterpriseNumber;
        if (claimedEnterprise !== undefined && claimedEnterprise !== own) {
          throw forbidden('NOT_OWN_ENTERPRISE', 'An employer may only act for the enterprise number in its token.');
        }
        state.subjectNiss = claimedNiss;
        return;
      }
      case 'team':
        state.subjectNiss = claimedNiss;
        return;
      case 'reference-directory': {
        if (!claimedNiss) throw new Error(`purpose ${purpose.id} binds through the reference directory but locates no subject`);
        state.subjectNiss = claimedNiss;
        const registration = await findRegistration(runtime().sources(purpose), claimedNiss);
        const found = registration?.registeredBy === rule.registeredBy ? registration.qualityCode : undefined;
        if (!found || !rule.qualityCodes.includes(found)) {
          const what = !registration
            ? 'is not registered in the BCSS reference directory'
            : registration.registeredBy !== rule.registeredBy
              ? `is not registered by ${rule.registeredBy} in the BCSS reference directory`
              : `is registered by ${rule.registeredBy} with quality code ${found}`;
          throw forbidden(
            'NOT_REGISTERED_AS_JOB_SEEKER',
            `The worker ${what}; DMFA may only be consulted for quality code ${rule.qualityCodes.join(' or ')} (deliberation ${purpose.deliberation}).`,
            { qualityCodeFound: found ?? null },
          );
        }
        return;
      }
    }
  },
});

// ---- minimisation of the response -----------------------------------------------------

const minimiseResponse = (purpose: Purpose<any>): middy.MiddlewareObj<HttpEvent, HttpResult> => {
  const projections = Object.fromEntries(Object.entries(purpose.output).map(([role, fields]) => [role, projector(fields ?? [])]));
  return {
    after: (request) => {
      const response = request.response;
      if (!response?.body || response.headers?.['content-type'] !== 'application/json') return;
      const role = stateOf(request as Request).principal?.role;
      const project = role ? projections[role] : undefined;
      // A role without an output list gets nothing: failing closed beats leaking.
      if (!project) throw new Error(`purpose ${purpose.id} declares no output for role ${role}`);
      response.body = JSON.stringify(project(JSON.parse(response.body)));
    },
  };
};

// ---- audit ------------------------------------------------------------------------------

const auditTrail = (purpose: Purpose<any>, runtime: () => PurposeRuntime): middy.MiddlewareObj<HttpEvent, HttpResult> => {
  const record = async (request: Request) => {
    const state = stateOf(request);
    if (state.audited) return;
    state.audited = true;
    const status = request.response?.statusCode ?? 500;
    const code = request.error instanceof HttpProblem ? request.error.code : undefined;
    const outcome = status < 400 ? 'ALLOWED' : status < 500 ? 'DENIED' : 'FAILED';
    try {
      await runtime().audit().record({
        purpose: purpose.id,
        deliberation: purpose.deliberation,
        requestId: request.context.awsRequestId,
        actorRole: state.principal?.role ?? 'anonymous',
        ...(state.principal ? { actorOrganisation: actorOrganisation(state.principal) } : {}),
        outcome,
        status,
        ...(code ? { code } : {}),
        ...(state.subjectNiss ? { subjectNiss: state.subjectNiss } : {}),
      });
    } catch (error) {
      logger.error('audit record could not be written', { errorName: (error as Error).name, purpose: purpose.id });
      // An access that cannot be traced is not served.
      if (outcome === 'ALLOWED') {
        request.response = problemResponse(
          new HttpProblem(503, 'AUDIT_UNAVAILABLE', 'Service unavailable', 'The access could not be recorded; try again later.', {}, { 'retry-after': '5' }),
          request.context.awsRequestId,
        );
      }
    }
  };
  return { after: (request) => record(request as Request), onError: (request) => record(request as Request) };
};

// ---- the stack ----------------------------------------------------------------------------

export const purposeHandler = <S extends HttpInputSchemas>(
  purpose: Purpose<S>,
  fn: (call: PurposeCall<S>) => Promise<PurposeResult>,
  options: { runtime?: () => PurposeRuntime } = {},
) => {
  const runtime = options.runtime ?? defaultRuntime;
  if (!purpose.route) throw new Error(`purpose ${purpose.id} has no HTTP route`);
  const successStatus = purpose.route.successStatus;
  return middy<HttpEvent, HttpResult>({ timeoutEarlyInMillis: 0 })
    .use(edgeMiddlewares())
    .use(auditTrail(purpose, runtime))
    .use(authenticate(runtime))
    .use(authorize(purpose))
    .use(validate(purpose))
    .use(bindSubject(purpose, runtime))
    .use(minimiseResponse(purpose))
    .use(problemErrorHandler({ logger }))
    .handler(async (event, context) => {
      const state = stateFor(context);
      const principal = state.principal!;
      const result = await fn({
        principal,
        input: state.input as HttpInput<S>,
        sources: runtime().sources(purpose),
        requestId: context.awsRequestId,
        now: runtime().clock(),
        headers: event.headers ?? {},
        authorizeResource: (resource) => {
          state.resourceAuthorized = true;
          if (resource.niss) state.subjectNiss = resource.niss;
          const ownEnterprise = principal.role === 'employer' && resource.enterpriseNumber === principal.enterpriseNumber;
          const ownNiss = principal.role === 'citizen' && resource.niss === principal.niss;
          const rule = ruleFor(purpose, principal);
          if ((rule.binding === 'own-enterprise' && !ownEnterprise) || (rule.binding === 'own-niss' && !ownNiss)) {
            throw new HttpProblem(404, 'NOT_FOUND', 'Not found', 'No such resource.');
          }
        },
      });
      // An employer bound to its enterprise, on a route whose input names none (a stored
      // resource), is served only once the function has shown the resource is its own.
      if (ruleFor(purpose, principal).binding === 'own-enterprise' && !purpose.subject.enterpriseNumber && !state.resourceAuthorized) {
        throw new Error(`purpose ${purpose.id} answered an employer without authorizeResource()`);
      }
      return jsonResponse(result.status ?? successStatus, result.body, { 'x-request-id': context.awsRequestId, ...result.headers });
    });
};
