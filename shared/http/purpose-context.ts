import type middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { DisclosedSubject } from '../audit/audit-trail.js';
import type { Principal } from '../auth/principal.js';
import type { ActorRule, HttpInput, HttpInputSchemas } from '../purposes/purpose.js';
import type { HttpEvent, HttpResult } from './http-handler.js';

/**
 * What the purpose middlewares learn about a request, in order, on `request.context`
 * (middy's idiom: the context is per invocation and typed here, no side channel).
 */
export interface PurposeState<S extends HttpInputSchemas = HttpInputSchemas, R = unknown> {
  principal?: Principal;
  /** The actor rule of the caller's role, resolved once by `authorize`. */
  rule?: ActorRule;
  input?: HttpInput<S>;
  /** The person the request is about, once bound (for the audit trail). */
  subjectNiss?: string;
  /** The person's keyed hash instead, when the stored resource keeps no NISS in clear (a claim). */
  subjectHash?: string;
  /** The stored resource the route serves, once loaded and found to be the caller's. */
  resource?: R;
  /**
   * The people the answer discloses data about, set by a function that lists (e.g. the
   * workers of a page of claims): each gets an audit record of the access (auditAccess).
   */
  disclosedSubjects?: readonly DisclosedSubject[];
}

export type PurposeContext<S extends HttpInputSchemas = HttpInputSchemas, R = unknown> = Context & {
  purpose: PurposeState<S, R>;
  /** Set by @middy/http-content-negotiation on routes that negotiate a language. */
  preferredLanguage?: string;
};

/** A response whose body is still an object: minimised, then serialised once. */
export interface PurposeResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

export type PurposeRequest = middy.Request<HttpEvent, HttpResult | PurposeResponse, Error, PurposeContext>;
export type PurposeMiddleware = middy.MiddlewareObj<HttpEvent, HttpResult | PurposeResponse, Error, PurposeContext>;

/** The state so far; a middleware that needs what an earlier one set fails loudly if the order is wrong. */
export const stateOf = (request: { context: PurposeContext }): PurposeState => {
  if (!request.context.purpose) throw new Error('purpose state missing: purposeState() must run first');
  return request.context.purpose;
};

export const required = <K extends keyof PurposeState>(state: PurposeState, key: K, by: string): NonNullable<PurposeState[K]> => {
  const value = state[key];
  if (value === undefined) throw new Error(`${by} needs ${String(key)}, which an earlier middleware sets`);
  return value as NonNullable<PurposeState[K]>;
};

/** The first purpose middleware: a fresh state per invocation. */
export const purposeState = (): PurposeMiddleware => ({
  before: (request) => {
    request.context.purpose = {};
  },
});
