import type * as z from 'zod/mini';
import type { DwseTeam, Role } from '../auth/principal.js';
import type { ProblemCode } from './problem-codes.js';
import type { FieldList } from '../privacy/project.js';
import type { SourceName } from './source-names.js';

/**
 * A purpose is what one deliberation allows: which sources, which of their fields, how
 * long anything is kept. A binding is how a function serves it: over HTTP (route, who may
 * ask, what they may send and get back) or from a queue. The middleware reads both to
 * authenticate, authorize, validate, minimise, audit and expire; the tests read them to
 * generate the authorization matrix; serverless.yml reads the deployment catalogue
 * (shared/deployment/functions.ts) built on them.
 */
export interface Purpose {
  id: string;
  deliberation: string;
  /** What the processing is for, in one sentence a case handler can read. */
  description: string;
  /** The fields it may receive from each source; a source not listed may not be called. */
  sources: Partial<Record<SourceName, FieldList>>;
  retention: Retention;
}

export const definePurpose = <const P extends Purpose>(purpose: P): P => purpose;

/** How a caller of a given role is bound to the data subject. */
export type ActorRule =
  /** A citizen sees only their own data: the subject is the NISS in the token, never one from the request. */
  | { role: 'citizen'; binding: 'own-niss' }
  /** An employer acts only for the enterprise number in its token (in the request, or on the stored resource). */
  | { role: 'employer'; binding: 'own-enterprise' }
  /** Only the named teams. */
  | { role: 'dwse'; binding: 'team'; teams: readonly DwseTeam[] }
  /**
   * Only persons the organisation registered in the BCSS reference directory with one of
   * these quality codes. A port: the HTTP layer asks a `SubjectGate`, which the sources implement.
   */
  | { role: 'actiris'; binding: 'reference-directory'; registeredBy: string; qualityCodes: readonly string[] };

export type GateRule = Extract<ActorRule, { binding: 'reference-directory' }>;

/** The port behind a reference-directory rule: may this organisation consult this person? */
/** The verdict carries nothing else: a refusal must not reveal who registered the person, or how. */
export type SubjectGate = (rule: GateRule, niss: string) => Promise<{ admitted: boolean }>;

export type Retention =
  | { kind: 'none'; source: string }
  | {
      kind: 'period';
      /** Default length; `env` names the variable that may override it (in years). */
      years: number;
      /** A period shorter than a year, in days, instead of `years` (which is then 0). */
      days?: number;
      env?: string;
      /** What the period runs from, in words, and the source that sets it. */
      from: string;
      source: string;
    };

/** Where the data subject (and the organisation a request claims to act for) sit in the validated input. */
export interface SubjectLocator<I> {
  niss?: (input: I) => string | undefined;
  enterpriseNumber?: (input: I) => string | undefined;
}

export interface HttpInputSchemas {
  body?: z.ZodMiniType;
  query?: z.ZodMiniType;
  path?: z.ZodMiniType;
  /** The request headers the function reads (lower-case names); others are ignored. */
  headers?: z.ZodMiniType;
}

type Infer<S> = S extends z.ZodMiniType ? z.infer<S> : Record<string, never>;
export type HttpInput<S extends HttpInputSchemas> = { body: Infer<S['body']>; query: Infer<S['query']>; path: Infer<S['path']>; headers: Infer<S['headers']> };

/** Who a stored resource belongs to, so the caller is checked before the function runs. */
export interface ResourceOwner {
  enterpriseNumber?: string;
  niss?: string;
  /** The data subject's keyed hash, for a resource that keeps no NISS in clear (the audit record names the subject by it). */
  subjectHash?: string;
}

export interface HttpBinding<S extends HttpInputSchemas = HttpInputSchemas, R = unknown> {
  kind: 'http';
  purpose: Purpose;
  route: { method: 'GET' | 'POST'; path: string; successStatus: number };
  /** What the route does, in a few words (the OpenAPI summary). */
  summary: string;
  actors: readonly ActorRule[];
  /** The fields the function may receive from the caller (strict schemas: unknown fields are refused). */
  input: S;
  subject: SubjectLocator<HttpInput<S>>;
  /**
   * A stored resource the route serves: the handler loads it, and its owner is checked
   * against the caller's binding before the function runs (404 when it is not theirs).
   */
  resource?: { owner: (resource: R) => ResourceOwner };
  /**
   * The whole answer the function builds, before minimisation: each role's answer in the
   * OpenAPI document is this schema narrowed to that role's `output` fields.
   */
  answer: z.ZodMiniType;
  /** The fields it may return, per role of the caller. */
  output: Partial<Record<Role, FieldList>>;
  /** Problems the function itself may answer, besides those its middlewares imply (shared/contract/openapi.ts). */
  problems?: readonly ProblemCode[];
  /** Languages the answer can be given in (Accept-Language), the first being the default. */
  languages?: readonly string[];
}

export const httpBinding = <const S extends HttpInputSchemas, R = unknown>(binding: Omit<HttpBinding<S, R>, 'kind'>): HttpBinding<S, R> => ({
  kind: 'http',
  ...binding,
});

/**
 * Whether the answer to this role may carry `field` (at the top, or in each of a page's
 * `items[]`): a value that must be decrypted to be shown is opened only for such a role.
 */
export const discloses = (binding: Pick<HttpBinding<never, never>, 'output'>, role: Role, field: string): boolean =>
  (binding.output[role] ?? []).some((f) => f === field || f === `items[].${field}`);

/** A purpose served from a queue: the message it reads, and who acts (an organisation, never a person). */
export interface QueueBinding<M = unknown> {
  kind: 'queue';
  purpose: Purpose;
  /** The queue's logical id in serverless.yml. */
  queue: string;
  message: z.ZodMiniType<M>;
  /** The organisation on whose behalf the consumer reads the sources, for the audit trail. */
  actor: { role: 'system'; organisation: string };
}

export const queueBinding = <M>(binding: Omit<QueueBinding<M>, 'kind'>): QueueBinding<M> => ({ kind: 'queue', ...binding });

/**
 * Any HTTP binding, whatever its schemas and resource: what the middlewares and the
 * catalogue take. (`any` here, once: a binding's resource owner is contravariant in its
 * resource type, so no narrower type admits every binding.)
 */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type AnyHttpBinding = HttpBinding<any, any>;
// biome-ignore lint/suspicious/noExplicitAny: a queue binding of any message
export type AnyQueueBinding = QueueBinding<any>;

export type Binding = AnyHttpBinding | AnyQueueBinding;

export const rolesOf = (binding: AnyHttpBinding): Role[] => binding.actors.map((a) => a.role);
