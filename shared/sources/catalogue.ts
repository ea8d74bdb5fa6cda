import type { SourceName } from '../purposes/source-names.js';
import type { SourceClientOptions } from './http-source.js';

export { SOURCE_NAMES, type SourceName } from '../purposes/source-names.js';

type Policy = Pick<SourceClientOptions, 'timeoutMs' | 'retries' | 'retryOnStatus' | 'breaker'>;

/**
 * The external sources the functions may reach, each under its own path on the
 * sources gateway (`SOURCES_BASE_URL`), with its call policy. Locally the fake sources
 * serve the same paths.
 */
export const SOURCES = {
  // 24/012: one call per request. A retry only when the connection failed (the request
  // never reached ONEM); a breaker so that a failing ONEM is not hammered by MyCareer.
  onem: {
    path: '/onem',
    title: 'ONEM career-break counters',
    policy: { timeoutMs: 3_000, retries: 1, retryOnStatus: false, breaker: { volumeThreshold: 5, errorThresholdPercentage: 50, resetTimeoutMs: 30_000 } },
  },
  career: { path: '/career', title: 'Career data (SIGEDIS)', policy: {} },
  dmfa: { path: '/dmfa', title: 'DMFA quarterly declarations', policy: {} },
  dimona: { path: '/dimona', title: 'DIMONA employment declarations', policy: {} },
  bcssRegisters: { path: '/bcss-registers', title: 'BCSS registers (national register and BIS)', policy: {} },
  referenceDirectory: { path: '/reference-directory', title: 'BCSS reference directory', policy: {} },
  trainingDatabase: { path: '/training-database', title: 'Flemish training database', policy: {} },
} as const satisfies Record<SourceName, { path: string; title: string; policy: Policy }>;
