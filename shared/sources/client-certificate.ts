import { Agent, request } from 'node:https';
import { Readable } from 'node:stream';
import * as z from 'zod';

/**
 * The institution's client certificate for the sources (the BCSS network authenticates
 * institutions by mutual TLS). Held in a secret store, loaded once per container, never
 * logged: errors name what is wrong, never a value.
 */
export const ClientCertificate = z.object({
  /** PEM chain presented to the source. */
  certificate: z.string().includes('BEGIN CERTIFICATE'),
  /** PEM private key of that certificate. */
  privateKey: z.string().includes('PRIVATE KEY'),
  /** PEM of the authority that signs the sources' server certificates, when not a public one. */
  ca: z.string().includes('BEGIN CERTIFICATE').optional(),
});
export type ClientCertificate = z.infer<typeof ClientCertificate>;

export class ClientCertificateError extends Error {
  override name = 'ClientCertificateError';
}

export const parseClientCertificate = (value: unknown): ClientCertificate => {
  const parsed = ClientCertificate.safeParse(value);
  if (!parsed.success) {
    // Field names only: an issue may quote what it received.
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))].join(', ');
    throw new ClientCertificateError(`the sources' client certificate secret is not { certificate, privateKey, ca? } in PEM (check: ${fields})`);
  }
  return parsed.data;
};

const toHeaders = (incoming: Record<string, string | string[] | undefined>) => {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
};

/**
 * A `fetch` that presents the client certificate, on Node's own https with a keep-alive
 * agent. Written here rather than with undici's Agent, which would add its own copy of
 * undici to every bundle (cold start grows with bundle size; see BENCHMARKS.md); only what
 * the source adapter uses is supported: GET-style requests, headers, an abort signal.
 */
const newAgent = (certificate: ClientCertificate) =>
  new Agent({ keepAlive: true, cert: certificate.certificate, key: certificate.privateKey, ...(certificate.ca ? { ca: certificate.ca } : {}) });

export const clientCertificateFetch = (certificate: ClientCertificate, agent: Agent = newAgent(certificate)): typeof fetch => {
  return ((input: string | URL | Request, init?: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.protocol !== 'https:') {
        reject(new TypeError(`a client certificate is only presented over https (got ${url.protocol})`));
        return;
      }
      const signal = init?.signal ?? undefined;
      const req = request(
        url,
        { method: init?.method ?? 'GET', headers: Object.fromEntries(new Headers(init?.headers).entries()), agent, ...(signal ? { signal } : {}) },
        (res) => {
          const status = res.statusCode ?? 0;
          // What fetch could not represent is an error, never an exception thrown out of this callback.
          if (status < 200 || status > 599) {
            res.destroy();
            reject(new TypeError(`the source answered an HTTP status fetch cannot represent (${status})`));
            return;
          }
          try {
            const empty = status === 204 || status === 205 || status === 304 || init?.method === 'HEAD';
            if (empty) res.resume();
            resolve(new Response(empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), { status, headers: toHeaders(res.headers) }));
          } catch (error) {
            res.destroy();
            reject(error);
          }
        },
      );
      // As fetch does: an aborted request rejects with the signal's reason (a TimeoutError on time-out).
      req.on('error', (error) => reject(signal?.aborted ? signal.reason : error));
      req.end();
    })) as typeof fetch;
};

/** Rejects when the signal aborts (with its reason, as fetch does), else settles as `work`. */
const abortable = <T>(work: Promise<T>, signal: AbortSignal | null | undefined): Promise<T> => {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
};

/**
 * The sources' `fetch`: asks for the certificate on every call (the secret store's own
 * cache makes that cheap) and presents it; a renewed certificate gets a new agent, the old
 * one is closed. After a failed load the store is asked again past its cache (`force`, at
 * most every 10 s): a secret fixed by the deployer is picked up within seconds, not an
 * hour. The wait for the secret honours the request's time-out.
 */
export const certificateFetch = (load: (force: boolean) => Promise<ClientCertificate>, onLoadError?: (error: Error) => void): typeof fetch => {
  let current: { identity: string; fetch: typeof fetch; agent: Agent } | undefined;
  // After a failure, past the store's cache — at most every 10 s, not on every call of an outage.
  let failedAt: number | undefined;
  let forcedAt = 0;
  return (async (input: string | URL | Request, init?: RequestInit) => {
    let certificate: ClientCertificate;
    const force = failedAt !== undefined && Date.now() - forcedAt >= 10_000;
    if (force) forcedAt = Date.now();
    try {
      certificate = await abortable(load(force), init?.signal);
      failedAt = undefined;
    } catch (error) {
      if (init?.signal?.aborted) throw error;
      failedAt = Date.now();
      onLoadError?.(error as Error);
      throw error;
    }
    const identity = `${certificate.certificate}\u0000${certificate.privateKey}\u0000${certificate.ca ?? ''}`;
    if (current?.identity !== identity) {
      current?.agent.destroy();
      const agent = newAgent(certificate);
      current = { identity, agent, fetch: clientCertificateFetch(certificate, agent) };
    }
    return current.fetch(input, init);
  }) as typeof fetch;
};
