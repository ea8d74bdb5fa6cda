import { setTimeout as sleep } from 'node:timers/promises';
import CircuitBreaker from 'opossum';
import { SourceContractError, SourceUnavailableError } from './source-errors.js';
import { deadline } from '../transport/deadline.js';
import { nodeFetch } from '../transport/node-fetch.js';

const defaultFetch = nodeFetch();

export interface SourceClientOptions {
  /** Name used in errors and health reports, e.g. `onem`. */
  name: string;
  baseUrl: string;
  timeoutMs?: number;
  /** Extra attempts after a connection error (and a 502/503/504 unless `retryOnStatus` is false). */
  retries?: number;
  retryOnStatus?: boolean;
  retryDelayMs?: number;
  /**
   * Circuit breaker (opossum): after `volumeThreshold` calls of which at least
   * `errorThresholdPercentage` % failed, calls fail at once for `resetTimeoutMs`, then
   * one trial call decides. Off when absent.
   */
  breaker?: { errorThresholdPercentage?: number; volumeThreshold?: number; resetTimeoutMs?: number };
  fetchImpl?: typeof fetch;
}

export interface SourceResponse<T> {
  status: number;
  body: T;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);
/** What an attempt answers when it is to be tried again, after its pause. */
const RETRY = Symbol('retry');

/**
 * The one HTTP path every external source (ONEM, DMFA, DIMONA, BCSS registers,
 * reference directory, training database) goes through: a time-out per attempt,
 * bounded retries of idempotent GETs, and errors the HTTP layer maps to 503.
 * Bodies are never logged here.
 */
export class HttpSourceClient {
  readonly name: string;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryOnStatus: boolean;
  private readonly retryDelayMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly breaker: CircuitBreaker<[string, Record<string, string>], SourceResponse<unknown>> | undefined;
  private readonly resetTimeoutMs: number;

  constructor(options: SourceClientOptions) {
    this.name = options.name;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.retries = options.retries ?? 1;
    this.retryOnStatus = options.retryOnStatus ?? true;
    this.retryDelayMs = options.retryDelayMs ?? 100;
    // Node's http, not the global fetch (undici, 20-30 ms to load on a cold start).
    this.fetchImpl = options.fetchImpl ?? defaultFetch;
    this.resetTimeoutMs = options.breaker?.resetTimeoutMs ?? 30_000;
    this.breaker = options.breaker
      ? new CircuitBreaker((path: string, query: Record<string, string>) => this.fetchJson(path, query), {
          // Time-outs are the fetch's own (per attempt); the breaker only counts outcomes.
          timeout: false,
          errorThresholdPercentage: options.breaker.errorThresholdPercentage ?? 50,
          volumeThreshold: options.breaker.volumeThreshold ?? 5,
          resetTimeout: this.resetTimeoutMs,
          rollingCountTimeout: 60_000,
        })
      : undefined;
  }

  /** Whether the breaker is open (calls fail at once). */
  get circuitOpen(): boolean {
    return this.breaker?.opened ?? false;
  }

  /** GET a JSON resource. 404 is a normal answer (`status` tells); other 4xx are contract errors. */
  async getJson<T = unknown>(path: string, query: Record<string, string> = {}): Promise<SourceResponse<T | undefined>> {
    if (!this.breaker) return this.fetchJson<T>(path, query);
    try {
      return (await this.breaker.fire(path, query)) as SourceResponse<T | undefined>;
    } catch (error) {
      if (this.breaker.opened && !(error instanceof SourceUnavailableError) && !(error instanceof SourceContractError)) {
        throw new SourceUnavailableError(this.name, 'circuit-open', Math.ceil(this.resetTimeoutMs / 1000), { cause: error });
      }
      throw error;
    }
  }

  private async fetchJson<T = unknown>(path: string, query: Record<string, string>): Promise<SourceResponse<T | undefined>> {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);

    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt<T>(url, attempt, deadline(this.timeoutMs));
      if (outcome !== RETRY) return outcome;
      await sleep(this.retryDelayMs * 2 ** attempt);
    }
  }

  /**
   * One attempt, bounded by `limit` (its body included): the answer, or RETRY (the caller
   * pauses, then tries again). The limit is cleared once nothing of the attempt is left to
   * bound: when the request failed or the body was read. An unused body is left under it:
   * the transport drains it after `discard` has returned, and the limit still cuts a drain
   * that stalls.
   */
  private async attempt<T>(url: URL, attempt: number, limit: ReturnType<typeof deadline>): Promise<SourceResponse<T | undefined> | typeof RETRY> {
    let response: Response;
    try {
      response = await this.fetchImpl(url, { headers: { accept: 'application/json' }, signal: limit.signal });
    } catch (error) {
      limit.clear();
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      // A time-out is not retried: the request may still be running at the source,
      // and a second wait would double the caller's latency.
      if (!timedOut && attempt < this.retries) {
        return RETRY;
      }
      throw new SourceUnavailableError(this.name, timedOut ? 'timeout' : 'connection', 30, { cause: error });
    }

    if (RETRYABLE_STATUS.has(response.status)) {
      await discard(response);
      if (this.retryOnStatus && attempt < this.retries) {
        return RETRY;
      }
      throw new SourceUnavailableError(this.name, 'status', retryAfter(response.headers.get('retry-after')));
    }
    if (response.status === 404) {
      await discard(response);
      return { status: 404, body: undefined };
    }
    if (!response.ok) {
      await discard(response);
      throw new SourceContractError(this.name, `unexpected status ${response.status}`);
    }
    try {
      return { status: response.status, body: (await response.json()) as T };
    } catch {
      throw new SourceContractError(this.name, 'body is not JSON');
    } finally {
      limit.clear();
    }
  }
}

/** Past this, an answer's body that is not used is cancelled rather than read to its end. */
const DISCARD_MAX_BYTES = 64 * 1024;

/**
 * Reads to its end the body of an answer that is not used (a 404, a 503, a refusal), so the
 * connection goes back to the keep-alive pool: cancelling it closes the socket under Node's
 * https (the mutual-TLS transport, client-certificate.ts), and the next call to the source pays
 * a new handshake. A body larger than a problem document is cancelled; the attempt's time-out
 * bounds the read.
 */
const discard = async (response: Response): Promise<void> => {
  const body = response.body;
  if (!body) return;
  // The functions' own transport (shared/transport/node-fetch.ts) drains on cancel: the socket stays pooled.
  if (typeof body.getReader !== 'function') return body.cancel();
  const reader = body.getReader();
  try {
    let read = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
      if (read > DISCARD_MAX_BYTES) {
        await reader.cancel();
        return;
      }
    }
  } catch {
    // The connection failed while the unused body was read: nothing to keep.
  }
};

const retryAfter = (header: string | null): number => {
  const seconds = Number(header);
  return Number.isInteger(seconds) && seconds > 0 && seconds <= 3600 ? seconds : 30;
};
