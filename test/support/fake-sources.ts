import { targetValue } from './target.js';

/** Control of the fake external sources (local/fake-sources/server.ts), for tests. */
export type FaultMode = 'down' | 'slow' | 'garbage' | 'extra-fields' | 'ok';

export const setFault = (source: string, mode: FaultMode, delayMs?: number) =>
  fetch(`${targetValue('SOURCES_BASE_URL')}/_control/faults/${source}`, {
    method: 'PUT',
    body: JSON.stringify({ mode, ...(delayMs !== undefined ? { delayMs } : {}) }),
  });

/** Requests a source received since start; with `niss`, only those about that person. */
export const sourceHits = async (source: string, niss?: string): Promise<number> => {
  const hits = (await (await fetch(`${targetValue('SOURCES_BASE_URL')}/_control/hits`)).json()) as Record<string, number> & {
    bySubject: Record<string, Record<string, number>>;
  };
  return niss === undefined ? hits[source]! : (hits.bySubject[source]?.[niss] ?? 0);
};
