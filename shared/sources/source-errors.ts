/** A source did not answer usefully in time (time-out, refused connection, 5xx after retries). */
export class SourceUnavailableError extends Error {
  override name = 'SourceUnavailableError';
  constructor(
    readonly source: string,
    readonly reason: 'timeout' | 'connection' | 'status' | 'circuit-open',
    readonly retryAfterSeconds = 30,
    options?: ErrorOptions,
  ) {
    super(`${source} unavailable (${reason})`, options);
  }
}

/** A source answered something the contract does not allow. */
export class SourceContractError extends Error {
  override name = 'SourceContractError';
  constructor(
    readonly source: string,
    detail: string,
  ) {
    super(`${source} answered outside its contract: ${detail}`);
  }
}
