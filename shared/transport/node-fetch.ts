import { Agent as HttpAgent, type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/**
 * The `fetch` of the functions' own HTTP calls (the sources, the token key set), on Node's
 * http and https with kept-alive agents. Node's global fetch is undici, which Node loads on
 * the first touch of `fetch`, `Headers` or `Response`: 20–30 ms of a cold start (BENCHMARKS.md,
 * issue 28) in functions that already load node:http for the AWS SDK. So this answers with a
 * small response of its own, never constructing undici's classes, and supports what the
 * callers use: GET/HEAD-style requests with headers and an abort signal (its reason is the
 * rejection, as fetch does: a TimeoutError on time-out); status, ok, headers.get/has,
 * text(), json(), arrayBuffer() and body.cancel() on the answer.
 */
export type NodeFetch = typeof fetch;

const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

/** Just what callers read of the answer's headers, case-insensitive as fetch's Headers. */
class AnswerHeaders {
  readonly #values: Map<string, string>;
  constructor(incoming: IncomingHttpHeaders) {
    this.#values = new Map();
    for (const [name, value] of Object.entries(incoming)) {
      if (value !== undefined) this.#values.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
    }
  }
  get(name: string): string | null {
    return this.#values.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }
  entries(): IterableIterator<[string, string]> {
    return this.#values.entries();
  }
  forEach(callback: (value: string, name: string) => void): void {
    for (const [name, value] of this.#values) callback(value, name);
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.#values.entries();
  }
}

/** The answer, its body read once (as fetch's: a second read rejects). */
class Answer {
  readonly ok: boolean;
  readonly redirected = false;
  readonly type = 'basic';
  #used = false;
  readonly body: { cancel: () => Promise<void> } | null;
  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly headers: AnswerHeaders,
    readonly url: string,
    private readonly read: () => Promise<Buffer>,
    cancel: () => void,
    empty: boolean,
  ) {
    this.ok = status >= 200 && status <= 299;
    this.body = empty
      ? null
      : {
          cancel: async () => {
            this.#used = true;
            cancel();
          },
        };
  }
  get bodyUsed(): boolean {
    return this.#used;
  }
  private async bytes(): Promise<Buffer> {
    if (this.#used) throw new TypeError('the body has already been read');
    this.#used = true;
    return this.body ? this.read() : Buffer.alloc(0);
  }
  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
}

/** A request's headers as a plain object, from whatever fetch accepts (object, pairs, or a Headers-like). */
const plainHeaders = (headers: RequestInit['headers']): Record<string, string> => {
  if (!headers) return {};
  if (Array.isArray(headers)) return Object.fromEntries(headers.map(([k, v]) => [k!.toLowerCase(), v!]));
  if (typeof (headers as { forEach?: unknown }).forEach === 'function') {
    const out: Record<string, string> = {};
    (headers as { forEach(cb: (value: string, name: string) => void): void }).forEach((value, name) => {
      out[name.toLowerCase()] = value;
    });
    return out;
  }
  return Object.fromEntries(Object.entries(headers as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
};

/**
 * A fetch over `agent` (an https agent carrying a client certificate, say), or over this
 * module's kept-alive agents. `httpsOnly`: refuse http URLs (a client certificate is only
 * presented over TLS).
 */
export const nodeFetch = ({ agent, httpsOnly = false }: { agent?: HttpsAgent; httpsOnly?: boolean } = {}): NodeFetch =>
  ((input: string | URL | Request, init?: RequestInit) =>
    new Promise((resolve, reject) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url);
      const https = url.protocol === 'https:';
      if (!https && (httpsOnly || url.protocol !== 'http:')) {
        reject(new TypeError(httpsOnly ? `a client certificate is only presented over https (got ${url.protocol})` : `unsupported protocol ${url.protocol}`));
        return;
      }
      const signal = init?.signal ?? undefined;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const method = init?.method ?? 'GET';
      const send = https ? httpsRequest : httpRequest;
      const req = send(
        url,
        { method, headers: plainHeaders(init?.headers), agent: https ? (agent ?? httpsAgent) : httpAgent, ...(signal ? { signal } : {}) },
        (res) => {
          const status = res.statusCode ?? 0;
          // What fetch could not represent is an error, never an exception thrown out of this callback.
          if (status < 200 || status > 599) {
            res.destroy();
            reject(new TypeError(`the server answered an HTTP status fetch cannot represent (${status})`));
            return;
          }
          const empty = status === 204 || status === 205 || status === 304 || method === 'HEAD';
          const chunks: Buffer[] = [];
          // The body is read as it comes, so the connection goes back to the agent once it ends.
          const done = new Promise<Buffer>((resolveBody, rejectBody) => {
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.once('end', () => resolveBody(Buffer.concat(chunks)));
            res.once('error', (error) => rejectBody(signal?.aborted ? signal.reason : error));
            res.once('aborted', () => rejectBody(signal?.aborted ? signal.reason : new TypeError('the answer was cut off')));
          });
          // An unread body must not reject unobserved.
          done.catch(() => {});
          if (empty) res.resume();
          resolve(
            new Answer(
              status,
              res.statusMessage ?? '',
              new AnswerHeaders(res.headers),
              url.href,
              () => done,
              // Drained, not destroyed: the connection stays with the agent for the next call.
              () => res.resume(),
              empty,
            ) as unknown as Response,
          );
        },
      );
      req.on('error', (error) => reject(signal?.aborted ? signal.reason : error));
      req.end();
    })) as NodeFetch;
