import type { z } from 'zod';
import type { DwseTeam, Role } from '../auth/principal.js';
import type { FieldList } from '../privacy/project.js';
import type { SourceName } from '../sources/catalogue.js';

/**
 * A purpose declaration: what one deliberation allows one function to do. The
 * middleware reads it to authenticate, authorize, validate, minimise, audit and
 * expire; the tests read it to generate the authorization matrix. Declarations live
 * in ./catalogue.ts, one per function.
 */

/** How a caller of a given role is bound to the data subject. */
export type ActorRule =
  /** A citizen sees only their own data: the subject is the NISS in the token, never one from the request. */
  | { role: 'citizen'; binding: 'own-niss' }
  /** An employer acts only for the enterprise number in its token (in the request, or on the stored resource). */
  | { role: 'employer'; binding: 'own-enterprise' }
  /** Only the named teams. */
  | { role: 'dwse'; binding: 'team'; teams: readonly DwseTeam[] }
  /** Only persons the organisation registered in the BCSS reference directory with one of these quality codes. */
  | { role: 'actiris'; binding: 'reference-directory'; registeredBy: string; qualityCodes: readonly string[] };

export type Retention =
  | { kind: 'none'; source: string }
  | {
      kind: 'period';
      /** Default length; `env` names the variable that may override it (in years). */
      years: number;
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
  body?: z.ZodType;
  query?: z.ZodType;
  path?: z.ZodType;
}

type Infer<S> = S extends z.ZodType ? z.infer<S> : Record<string, never>;
export type HttpInput<S extends HttpInputSchemas> = { body: Infer<S['body']>; query: Infer<S['query']>; path: Infer<S['path']> };

export interface Purpose<S extends HttpInputSchemas = HttpInputSchemas> {
  id: string;
  deliberation: string;
  /** What the processing is for, in one sentence a case handler can read. */
  description: string;
  /** The HTTP route, when the purpose is served over HTTP (the queue consumer has none). */
  route?: { method: 'GET' | 'POST'; path: string; successStatus: number };
  actors: readonly ActorRule[];
  /** The fields the function may receive from the caller (strict schemas: unknown fields are refused). */
  input: S;
  subject: SubjectLocator<HttpInput<S>>;
  /** The fields it may receive from each source; a source not listed may not be called. */
  sources: Partial<Record<SourceName, FieldList>>;
  /** The fields it may return, per role of the caller. */
  output: Partial<Record<Role, FieldList>>;
  retention: Retention;
}

export const definePurpose = <const S extends HttpInputSchemas>(purpose: Purpose<S>): Purpose<S> => purpose;

export const rolesOf = (purpose: Purpose<any>): Role[] => purpose.actors.map((a) => a.role);
