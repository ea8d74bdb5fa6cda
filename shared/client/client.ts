import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './api.js';

/**
 * The typed client of the HTTP API: openapi-fetch over the types openapi-typescript generates
 * from the OpenAPI document (`npm run contracts`). Routes, parameters, bodies and answers are
 * checked at compile time; a problem answer comes back as `error`, typed as a Problem (or, on a
 * 429 from API Gateway's throttle, as GatewayThrottled). Used by
 * the end-to-end tests and the pages; it runs in Node and in browsers (only `fetch`).
 */
export type { components, paths };
export type Problem = components['schemas']['Problem'];
/** API Gateway's own answer when a route's throttle refuses a request (429, not a problem). */
export type GatewayThrottled = components['schemas']['GatewayThrottled'];

export interface ApiClientOptions {
  /** The API's base URL (no trailing slash); '' for the same origin. */
  baseUrl: string;
  /** A bearer token, or a function giving the current one. */
  token?: string | (() => string | undefined);
  /** Accept-Language of every request (the labels of the career-break possibilities). */
  language?: string;
  fetch?: typeof globalThis.fetch;
}

export const createApiClient = ({ baseUrl, token, language, fetch }: ApiClientOptions) => {
  const client = createClient<paths>({ baseUrl, ...(fetch ? { fetch } : {}) });
  const headers: Middleware = {
    onRequest({ request }) {
      const current = typeof token === 'function' ? token() : token;
      if (current) request.headers.set('authorization', `Bearer ${current}`);
      if (language) request.headers.set('accept-language', language);
      return request;
    },
  };
  client.use(headers);
  return client;
};

export type ApiClient = ReturnType<typeof createApiClient>;
