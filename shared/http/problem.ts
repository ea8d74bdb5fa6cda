import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { headerKey } from './headers.js';
import { type Language, LANGUAGES, preferredLanguage } from '../domain/i18n/language.js';

/** RFC 9457 problem details, plus a machine-readable `code`. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  [extension: string]: unknown;
}

export type ProblemStatus = 400 | 401 | 403 | 404 | 406 | 409 | 413 | 415 | 422 | 429 | 500 | 502 | 503;

const PROBLEM_BASE = 'https://bcss-exchanges.example/problems/';

/** An error that knows how it should be shown to the caller, in the caller's language when it has texts. */
export class HttpProblem extends Error {
  override name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    /** In English: what the logs and a caller without a language read. */
    readonly title: string,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
    /** The title and detail in another language (shared/http/problems.ts); without it, the English ones. */
    private readonly localize?: (language: Language) => { title: string; detail: string },
  ) {
    super(detail);
  }

  /** The title and detail in `language`, and the language they are actually in. */
  said(language: Language): { title: string; detail: string; language: Language } {
    if (!this.localize) return { title: this.title, detail: this.detail, language: 'en' };
    return { ...this.localize(language), language };
  }

  toProblem(instance?: string, language: Language = 'en'): ProblemDetails {
    const { title, detail } = this.said(language);
    return {
      type: `${PROBLEM_BASE}${this.code.toLowerCase().replaceAll('_', '-')}`,
      title,
      status: this.status,
      detail,
      code: this.code,
      ...(instance ? { instance } : {}),
      ...this.extensions,
    };
  }
}

/**
 * The language a problem is said in: the best of Accept-Language among every language the
 * problems are written in (nl, fr, de, en), else the route's default language, else English.
 */
export const problemLanguage = (acceptLanguage: string | undefined, routeDefault?: string): Language => {
  const fallback: Language = LANGUAGES.find((l) => l === routeDefault) ?? 'en';
  return preferredLanguage(acceptLanguage, [fallback, ...LANGUAGES.filter((l) => l !== fallback)]);
};

/** The Accept-Language of a request, whatever the case of its header names. */
export const acceptLanguageOf = (headers: Record<string, string | undefined> | undefined): string | undefined => {
  const key = headerKey(headers, 'accept-language');
  return key === undefined ? undefined : headers?.[key];
};

export const problemResponse = (problem: HttpProblem, requestId?: string, language: Language = 'en'): APIGatewayProxyStructuredResultV2 => {
  const said = problem.said(language);
  return {
    statusCode: problem.status,
    headers: {
      'content-type': 'application/problem+json',
      'content-language': said.language,
      'cache-control': 'no-store',
      ...(requestId ? { 'x-request-id': requestId } : {}),
      ...problem.headers,
    },
    body: JSON.stringify(problem.toProblem(requestId ? `urn:request:${requestId}` : undefined, said.language)),
  };
};

export const jsonResponse = (statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});
