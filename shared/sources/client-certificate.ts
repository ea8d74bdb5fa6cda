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
export const clientCertificateFetch = (certificate: ClientCertificate): typeof fetch => {
  const agent = new Agent({ keepAlive: true, cert: certificate.certificate, key: certificate.privateKey, ...(certificate.ca ? { ca: certificate.ca } : {}) });
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
          const status = res.statusCode ?? 502;
          const body = status === 204 || status === 304 ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
          resolve(new Response(body, { status, headers: toHeaders(res.headers) }));
        },
      );
      // As fetch does: an aborted request rejects with the signal's reason (a TimeoutError on time-out).
      req.on('error', (error) => reject(signal?.aborted ? signal.reason : error));
      req.end();
    })) as typeof fetch;
};

/**
 * The sources' `fetch`: loads the certificate on first use (once per container; a failed
 * load is tried again on the next call), then presents it on every request.
 */
export const certificateFetch = (load: () => Promise<ClientCertificate>, onLoadError?: (error: Error) => void): typeof fetch => {
  let built: Promise<typeof fetch> | undefined;
  return (async (input: string | URL | Request, init?: RequestInit) => {
    built ??= load()
      .then(clientCertificateFetch)
      .catch((error: Error) => {
        built = undefined;
        onLoadError?.(error);
        throw error;
      });
    return (await built)(input, init);
  }) as typeof fetch;
};
