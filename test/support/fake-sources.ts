import { request } from 'node:https';
import { join } from 'node:path';
import { loadOrCreateTlsMaterial } from '../../local/fake-aws/certificates.js';
import { targetEnv, targetValue } from './target.js';

/** Control of the fake external sources (local/fake-sources/server.ts), for tests. */
export type FaultMode = 'down' | 'slow' | 'garbage' | 'extra-fields' | 'ok';

/**
 * A call to the fake sources' test controls. Over https (the sources behind mutual TLS),
 * the local CA is trusted; the controls need no client certificate.
 */
const control = async (path: string, init: { method?: string; body?: string } = {}): Promise<{ status: number; json(): Promise<unknown> }> => {
  const url = new URL(`${targetValue('SOURCES_BASE_URL')}${path}`);
  if (url.protocol === 'http:') {
    const response = await fetch(url, init);
    return { status: response.status, json: () => response.json() };
  }
  const { ca } = await loadOrCreateTlsMaterial(join(targetEnv().CLOUD_KEYS_DIR!, 'tls'));
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: async () => JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
};

export const setFault = (source: string, mode: FaultMode, delayMs?: number) =>
  control(`/_control/faults/${source}`, { method: 'PUT', body: JSON.stringify({ mode, ...(delayMs !== undefined ? { delayMs } : {}) }) });

/** Requests a source received since start; with `niss`, only those about that person. */
export const sourceHits = async (source: string, niss?: string): Promise<number> => {
  const hits = (await (await control('/_control/hits')).json()) as Record<string, number> & {
    bySubject: Record<string, Record<string, number>>;
  };
  return niss === undefined ? hits[source]! : (hits.bySubject[source]?.[niss] ?? 0);
};
