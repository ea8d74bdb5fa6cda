import middy from '@middy/core';
import httpContentNegotiation from '@middy/http-content-negotiation';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { AuditSink, DisclosedSubject } from '../audit/audit-trail.js';
import { once } from '../config/once.js';
import { withHashScope } from '../privacy/pseudonymiser.js';
import type { Principal } from '../auth/principal.js';
import { logger } from '../observability/logger.js';
import type { HttpBinding, HttpInput, HttpInputSchemas, SubjectGate } from '../purposes/purpose.js';
import type { PurposeSources } from '../sources/purpose-sources.js';
import { edgeMiddlewares, type HttpEvent, type HttpResult } from './http-handler.js';
import { acceptJsonBody } from './middleware/accept-json-body.js';
import { auditAccess } from './middleware/audit-access.js';
import { authenticate } from './middleware/authenticate.js';
import { disregardUnusableLanguage } from './middleware/disregard-unusable-language.js';
import { authorize } from './middleware/authorize.js';
import { bindResource } from './middleware/bind-resource.js';
import { bindSubject } from './middleware/bind-subject.js';
import { limitBody } from './middleware/limit-body.js';
import { minimise } from './middleware/minimise.js';
import { rejectDuplicateKeys } from './middleware/reject-duplicate-keys.js';
import { validateInput } from './middleware/validate-input.js';
import { problemErrorHandler } from './problem-error-handler.js';
import { type PurposeContext, type PurposeMiddleware, type PurposeResponse, purposeState, required } from './purpose-context.js';

/**
 * Composes the purpose-bound stack of an HTTP function from its binding:
 *
 *   logging, headers, CORS → state → audit (records the outcome) → authentication
 *   → authorization (the rule, once) → [language] → [JSON body: media type, size,
 *   duplicate keys, parse] → validation
 *   → subject binding (own NISS, own enterprise, reference-directory gate)
 *   → [resource ownership] → fn → minimisation and serialisation → problem+json.
 *
 * Everything the function and the middlewares need comes from `deps`, built by the
 * function's composition root on first use (so a missing setting becomes a problem
 * response, not an init crash) and replaced by fakes in tests.
 */
export interface PurposeDeps {
  verifyToken: (token: string) => Promise<Principal>;
  /** The sources as this purpose may see them (declared sources, declared fields). */
  sources: PurposeSources;
  audit: AuditSink;
  clock: () => Date;
  gate: SubjectGate;
  /** Starts, without waiting, the first call's independent I/O (the token keys, the audit day's record); see purposeHandler. */
  warmUp?: () => void;
}

export interface PurposeCall<S extends HttpInputSchemas, R> {
  principal: Principal;
  input: HttpInput<S>;
  sources: PurposeSources;
  requestId: string;
  now: Date;
  /** The negotiated language, on routes that declare languages. */
  language: string | undefined;
  /** The stored resource, on routes that serve one: already found to be the caller's. */
  resource: R;
}

export interface PurposeResult {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
  /**
   * Every person the body discloses data about, when it lists them (a page of claims), by
   * NISS or by the subject hash the resource keeps: the answer goes out only once each has an
   * audit record of it.
   */
  disclosedSubjects?: readonly DisclosedSubject[];
}

export interface PurposeHandlerSpec<S extends HttpInputSchemas, R, D extends PurposeDeps> {
  deps: () => D;
  /** Loads the resource of a binding that declares one. */
  load?: (input: HttpInput<S>, deps: D) => Promise<R | undefined>;
  /**
   * Work `handle` will ask for that rests on nothing the subject binding decides (a keyed
   * digest of the body): started as soon as the request is bound to its subject, alongside the
   * subject's hash (bindSubject's `alongside`), and found again by `handle` in the request's
   * hash cache. Runs only for a request that passed authentication, authorization, validation
   * and the subject binding's own checks (before a declared resource is loaded: a route with
   * one should not start work that its owner check could still refuse).
   */
  alongside?: (input: HttpInput<S>, deps: D) => Promise<unknown>;
  handle: (call: PurposeCall<S, R>, deps: D) => Promise<PurposeResult>;
}

/** Far above any real request (a claim or a premium check is under 1 KiB), far below Lambda's 6 MB. */
const MAX_BODY_BYTES = 16 * 1024;

export const purposeHandler = <S extends HttpInputSchemas, R, D extends PurposeDeps>(binding: HttpBinding<S, R>, spec: PurposeHandlerSpec<S, R, D>) => {
  const deps = once(spec.deps);
  // Lambda's initialisation: the first call's independent I/O starts now, while the runtime
  // asks for the invocation, instead of one request after another within it. Never fails the
  // import: a setting missing is the first call's problem response, as before.
  queueMicrotask(() => {
    try {
      deps().warmUp?.();
    } catch {
      // The first call builds the dependencies again and answers the problem.
    }
  });
  const servesEmployerResource = binding.actors.some((a) => a.binding === 'own-enterprise') && !binding.subject.enterpriseNumber;
  // Fail closed at build time: an employer route whose input names no enterprise must check the stored resource's owner.
  if (servesEmployerResource && !binding.resource)
    throw new Error(`${binding.route.path}: an employer route that names no enterprise must declare its resource owner`);
  if (binding.resource && !spec.load) throw new Error(`${binding.route.path}: the binding declares a resource; the handler must load it`);

  const stack = middy<HttpEvent, HttpResult | PurposeResponse, Error, PurposeContext>({ timeoutEarlyInMillis: 0 })
    .use(edgeMiddlewares() as PurposeMiddleware[])
    .use(purposeState())
    .use(auditAccess({ binding, audit: () => deps().audit, logger }))
    .use(authenticate({ verifyToken: (token) => deps().verifyToken(token) }))
    .use(authorize({ binding }));
  if (binding.languages) {
    stack.use(disregardUnusableLanguage()).use(
      httpContentNegotiation({
        parseLanguages: true,
        availableLanguages: [...binding.languages],
        defaultToFirstLanguage: true,
        failOnMismatch: false,
        parseCharsets: false,
        parseEncodings: false,
        parseMediaTypes: false,
      }) as PurposeMiddleware,
    );
  }
  if (binding.input.body) {
    // The media type is checked once, first (acceptJsonBody): the parser's own check is off.
    stack
      .use(acceptJsonBody())
      .use(limitBody({ maxBytes: MAX_BODY_BYTES }))
      .use(rejectDuplicateKeys())
      .use(httpJsonBodyParser({ disableContentTypeCheck: true }) as unknown as PurposeMiddleware);
  }
  const { load, alongside } = spec;
  stack.use(validateInput({ binding })).use(
    bindSubject({
      binding,
      gate: () => deps().gate,
      audit: () => deps().audit,
      ...(alongside ? { alongside: (input: unknown) => alongside(input as HttpInput<S>, deps()) } : {}),
    }),
  );
  if (binding.resource && load) stack.use(bindResource({ binding, load: (input) => load(input as HttpInput<S>, deps()) }));
  stack.use(minimise({ binding })).use(problemErrorHandler({ logger, ...(binding.languages ? { languages: binding.languages } : {}) }) as PurposeMiddleware);

  const handler = stack.handler(async (_event, context): Promise<PurposeResponse> => {
    const state = context.purpose;
    const d = deps();
    const result = await spec.handle(
      {
        principal: required(state, 'principal', 'the function'),
        input: state.input as HttpInput<S>,
        sources: d.sources,
        requestId: context.awsRequestId,
        now: d.clock(),
        language: context.preferredLanguage,
        resource: state.resource as R,
      },
      d,
    );
    if (result.disclosedSubjects) state.disclosedSubjects = result.disclosedSubjects;
    return {
      statusCode: result.status ?? binding.route.successStatus,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-request-id': context.awsRequestId, ...result.headers },
      body: result.body,
    };
  }) as unknown as (event: HttpEvent, context: import('aws-lambda').Context) => Promise<HttpResult>;
  // One cache of subject hashes per request: the audit record and the storage keys hash the same NISS.
  return (event: HttpEvent, context: import('aws-lambda').Context): Promise<HttpResult> => withHashScope(() => handler(event, context));
};
