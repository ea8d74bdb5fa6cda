import { HttpSourceClient } from './http-source.js';
import { SOURCES, SOURCE_NAMES, type SourceName } from './catalogue.js';

/** One HTTP client per source, all under the configured sources gateway, each with its policy (overrides win). */
export const createSourceClients = (
  baseUrl: string,
  overrides: { timeoutMs?: number; retries?: number } = {},
  /** The transport, e.g. one presenting a client certificate (default: fetch). */
  fetchImpl?: typeof fetch,
): Record<SourceName, HttpSourceClient> =>
  Object.fromEntries(
    SOURCE_NAMES.map((name) => [
      name,
      new HttpSourceClient({ name, baseUrl: baseUrl + SOURCES[name].path, ...SOURCES[name].policy, ...overrides, ...(fetchImpl ? { fetchImpl } : {}) }),
    ]),
  ) as Record<SourceName, HttpSourceClient>;
