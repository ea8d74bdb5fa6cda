import { Agent } from 'node:https';
import { nodeFetch } from '../transport/node-fetch.js';
import * as z from 'zod/mini';
import '../schemas/locale.js';

/**
 * The institution's client certificate for the sources (the BCSS network authenticates
 * institutions by mutual TLS). Held in a secret store, loaded once per container, never
 * logged: errors name what is wrong, never a value.
 */
export const ClientCertificate = z.object({
  /** PEM chain presented to the source. */
  certificate: z.string().check(z.includes('BEGIN CERTIFICATE')),
  /** PEM private key of that certificate. */
  privateKey: z.string().check(z.includes('PRIVATE KEY')),
  /** PEM of the authority that signs the sources' server certificates, when not a public one. */
  ca: z.optional(z.string().check(z.includes('BEGIN CERTIFICATE'))),
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

/**
 * A `fetch` that presents the client certificate, on Node's own https with a keep-alive
 * agent (shared/transport/node-fetch.ts: neither undici's Agent, which would add its own copy
 * of undici to every bundle, nor Node's global fetch, whose first use loads undici).
 */
const newAgent = (certificate: ClientCertificate) =>
  new Agent({ keepAlive: true, cert: certificate.certificate, key: certificate.privateKey, ...(certificate.ca ? { ca: certificate.ca } : {}) });

export const clientCertificateFetch = (certificate: ClientCertificate, agent: Agent = newAgent(certificate)): typeof fetch =>
  nodeFetch({ agent, httpsOnly: true });

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
