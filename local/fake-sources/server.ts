import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { belgianDate, now } from '../../shared/config/clock.js';
import type { Dataset } from './dataset.js';
import { computeCounters, type CareerBreakHistory } from './onem/counters.js';

/**
 * Fake external sources over real HTTP, serving the synthetic dataset. Each source
 * lives under its own path prefix (the same as shared/sources/catalogue.ts), so the
 * adapters run their normal HTTP code against it.
 *
 *   GET /{source}/health
 *   GET /{source}/{collection}/{key}        one record by its key, or 404
 *   GET /{source}/{collection}?field=value  records whose fields equal every query value
 *   PUT /_control/faults/{source}           {"mode":"down"|"slow"|"garbage"|"extra-fields"|"ok","delayMs"?} (tests)
 *   GET /_control/hits                      requests received per source since start, and per source and
 *                                           person (`bySubject`), for tests: "was DMFA called for this worker?"
 *
 * `extra-fields` adds personal data no deliberation grants (name, address, nationality…)
 * to every record the source answers, to prove that the functions drop it.
 */
interface Collection {
  dataset: Exclude<keyof Dataset, '$comment'>;
  key?: string;
  /** Computes the answer from the record (the ONEM emulator) on the sources' day; the record itself otherwise. */
  compute?: (record: any, today: string) => unknown;
  /** Records derived from the dataset instead of one of its collections. */
  derive?: (dataset: Dataset) => Record<string, unknown>[];
}

/**
 * The sources' clock, by the functions' rule (shared/config/clock.ts on the `local` stage):
 * LOCAL_CLOCK when set, the wall clock otherwise. The sources run in the local cloud's own
 * process, not as a function, so the value is passed in (local/cloud.ts), never read here;
 * an instant that is not ISO fails now, not on the first request.
 */
export const sourcesClock = (localClock?: string): (() => Date) => {
  // The local stage's rule: the settings give LOCAL_CLOCK only there.
  const fixed = { localClock: localClock || undefined };
  now(fixed);
  return () => now(fixed);
};

export const ROUTES: Record<string, Record<string, Collection>> = {
  'bcss-registers': { persons: { dataset: 'persons', key: 'niss' } },
  career: { careers: { dataset: 'careers', key: 'niss' } },
  // ONEM answers counters computed from the synthetic history, never the history itself.
  onem: { counters: { dataset: 'careerBreakHistories', key: 'niss', compute: (history: CareerBreakHistory, today) => computeCounters(history, today) } },
  dimona: { employments: { dataset: 'employments' } },
  dmfa: { 'worker-lines': { dataset: 'dmfaWorkerLines' }, 'employer-aggregates': { dataset: 'dmfaEmployerAggregates' } },
  'reference-directory': { registrations: { dataset: 'referenceDirectory', key: 'niss' } },
  // A training without its participants; attendance is asked per worker.
  'training-database': {
    trainings: { dataset: 'trainings', key: 'id', compute: ({ attendance, ...training }: Dataset['trainings'][number]) => (void attendance, training) },
    attendance: { dataset: 'trainings', derive: (d) => d.trainings.flatMap((t) => t.attendance.map((a) => ({ trainingId: t.id, ...a }))) },
  },
};

export type FaultMode = 'down' | 'slow' | 'garbage' | 'extra-fields' | 'ok';
interface Fault {
  mode: FaultMode;
  delayMs: number;
}

export const EXTRA_PERSONAL_FIELDS = {
  lastName: 'Janssens-Synthetic',
  firstName: 'Marie',
  address: { street: 'Rue de la Loi 16', postalCode: '1000', municipality: 'Bruxelles' },
  nationality: 'BE',
  phone: '+32 2 000 00 00',
} as const;

const withExtraFields = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withExtraFields);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, withExtraFields(v)]);
    return { ...Object.fromEntries(entries), ...EXTRA_PERSONAL_FIELDS };
  }
  return value;
};

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const readBody = async (req: IncomingMessage): Promise<string> => {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
};

export interface FakeSources {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * With `tls`, the sources are served over HTTPS and, like the BCSS network, answer only a
 * client that presented a certificate signed by `tls.ca` (mutual TLS); others get 401. The
 * test controls (`/_control/…`) stay open to any caller on loopback (`curl -k`).
 */
export interface FakeSourcesTls {
  certificate: string;
  privateKey: string;
  ca: string;
}

export const startFakeSources = async (
  dataset: Dataset,
  {
    port = 0,
    host = '127.0.0.1',
    tls,
    clock = sourcesClock(),
  }: {
    port?: number;
    host?: string;
    tls?: FakeSourcesTls;
    /** "Now" for the computed answers: the day in Belgium of this instant is the day ONEM counts on. */
    clock?: () => Date;
  } = {},
): Promise<FakeSources> => {
  const faults = new Map<string, Fault>();
  const hits: Record<string, number> = Object.fromEntries(Object.keys(ROUTES).map((name) => [name, 0]));
  const bySubject: Record<string, Record<string, number>> = {};

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const [source, collectionName, key, ...rest] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);

    if (source === '_control' && collectionName === 'faults' && key && req.method === 'PUT') {
      if (!ROUTES[key]) return send(res, 404, { error: `unknown source ${key}` });
      const { mode = 'ok', delayMs = 5_000 } = JSON.parse((await readBody(req)) || '{}') as Partial<Fault>;
      if (mode === 'ok') faults.delete(key);
      else faults.set(key, { mode, delayMs });
      return send(res, 200, { source: key, mode });
    }
    if (source === '_control' && collectionName === 'hits' && req.method === 'GET') return send(res, 200, { ...hits, bySubject });
    if (tls && !(req.socket as TLSSocket).authorized) return send(res, 401, { error: 'a client certificate signed by the network CA is required' });
    if (req.method !== 'GET') return send(res, 405, { error: 'method not allowed' });
    const routes = source ? ROUTES[source] : undefined;
    if (!source || !routes) return send(res, 404, { error: 'unknown source' });
    if (collectionName !== 'health') {
      hits[source] = (hits[source] ?? 0) + 1;
      const subject = url.searchParams.get('niss') ?? (key && /^\d{11}$/.test(key) ? key : undefined);
      if (subject) {
        bySubject[source] ??= {};
        const counts = bySubject[source];
        counts[subject] = (counts[subject] ?? 0) + 1;
      }
    }

    const fault = faults.get(source);
    if (fault?.mode === 'down') return send(res, 503, { error: `${source} is down (injected fault)` });
    if (fault?.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.mode === 'garbage') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"not json');
    }

    const answer = (body: unknown) => send(res, 200, fault?.mode === 'extra-fields' ? withExtraFields(body) : body);

    if (collectionName === 'health' && !key) return send(res, 200, { status: 'up', source });
    const collection = collectionName ? routes[collectionName] : undefined;
    if (!collection || rest.length > 0) return send(res, 404, { error: 'unknown resource' });
    const records = collection.derive ? collection.derive(dataset) : (dataset[collection.dataset] as Record<string, unknown>[]);

    if (key !== undefined) {
      if (!collection.key) return send(res, 404, { error: 'this collection is queried, not addressed by key' });
      const record = records.find((r) => r[collection.key!] === key);
      return record ? answer(collection.compute ? collection.compute(record, belgianDate(clock())) : record) : send(res, 404, { error: 'not found' });
    }
    if (collection.compute) return send(res, 404, { error: 'this collection is addressed by key only' });
    const filters = [...url.searchParams.entries()];
    const known = new Set(records.flatMap((r) => Object.keys(r)));
    const unknown = filters.find(([field]) => !known.has(field) && records.length > 0);
    if (unknown) return send(res, 400, { error: `cannot filter on ${unknown[0]}` });
    return answer({ items: records.filter((r) => filters.every(([field, value]) => String(r[field]) === value)) });
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { error: 'fake source failed' });
      else res.destroy();
    });
  };
  const server: Server = tls
    ? createTlsServer({ cert: tls.certificate, key: tls.privateKey, ca: tls.ca, requestCert: true, rejectUnauthorized: false }, listener)
    : createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://${host}:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
