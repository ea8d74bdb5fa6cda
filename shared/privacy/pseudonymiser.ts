import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';

/**
 * The keyed hash (HMAC-SHA-256) that stands for a data subject wherever a NISS would
 * otherwise be a key (the audit trail's subject, the ledger's partition), and the keyed
 * digest of content that holds a NISS (ids derived from a request). The NISS space is small
 * (tens of millions of values per century), so an unkeyed hash could be reversed by trying
 * them all: only the key protects the subject, and the key never enters this process. A
 * `MacService` computes MACs with keys it holds (AWS KMS in the cloud; the local cloud's
 * stand-in locally); this module only sees the results.
 *
 * Each MAC is written `<key version>:<hex>`: the version names the key that made it, so a
 * rotation neither breaks lookups (hashes under the previous key are still recognised and
 * can still be computed while that key is accepted) nor forces a rewrite.
 */
export interface MacService {
  /** Key versions accepted, the current one (used for new hashes) first. */
  readonly versions: readonly string[];
  /** HMAC-SHA-256 of `message` under the key of `version`, hex. */
  mac(version: string, message: string): Promise<string>;
}

/** The MAC service (KMS) could not answer: the request is answered 503, the queued record retried. */
export class MacUnavailableError extends Error {
  override name = 'MacUnavailableError';
}

const scope = new AsyncLocalStorage<Map<string, Promise<string>>>();

/**
 * Runs `fn` with a cache of the MACs computed in it: one request (or one queued record)
 * that hashes the same NISS twice (its audit record, its ledger keys, every evaluation
 * attempt) calls the MAC service once. The cache dies with the request.
 */
export const withHashScope = <T>(fn: () => Promise<T>): Promise<T> => scope.run(new Map(), fn);

const digestMessage = (text: string) => `digest:sha256:${createHash('sha256').update(text).digest('hex')}`;

/** Tells pseudonymisers apart in a request's cache: two with the same version label may hold different keys. */
let instances = 0;

export class Pseudonymiser {
  private readonly instance = ++instances;

  constructor(private readonly macs: MacService) {
    if (macs.versions.length === 0) throw new Error('pseudonymisation needs at least one key version (SUBJECT_HASH_KEYS)');
  }

  private async under(version: string, message: string): Promise<string> {
    const cache = scope.getStore();
    const id = `${this.instance}\u0000${version}\u0000${message}`;
    const cached = cache?.get(id);
    if (cached) return cached;
    const computed = this.macs.mac(version, message).then((hex) => `${version}:${hex}`);
    if (cache) {
      cache.set(id, computed);
      // A failed call is not cached: the next use tries again.
      computed.catch(() => cache.delete(id));
    }
    return computed;
  }

  get currentVersion(): string {
    return this.macs.versions[0]!;
  }

  /**
   * One MAC of a constant (no one's data) under the current key, not awaited, at a function's
   * initialisation: the MAC service's first use (the KMS client's schema work, in AWS its TLS
   * handshake) then runs while the token keys are fetched, not on the first request's path.
   */
  warmUp(): void {
    this.macs.mac(this.currentVersion, 'warm-up').catch(() => {});
  }

  /**
   * Takes `hash`, a subject hash this service made of `niss` earlier and kept with a record
   * (a claim's `workerSubject`, written with its sealed NISS), as that NISS's hash under the
   * key version it names, for the rest of the current hash scope: a request that opens the
   * record asks the MAC service for it no more. Only that version's hash is known so: after a
   * rotation the current key's is still computed (and every accepted version's for a
   * lookup). Outside a scope, for a version no longer accepted, or for a value not of the
   * form `<version>:<64 hex>`, nothing is remembered and hashes are computed as before. A
   * hash already in the scope (computed, or being computed) is kept.
   */
  remember(niss: string, hash: string): void {
    const cache = scope.getStore();
    const version = /^([^:]+):[0-9a-f]{64}$/.exec(hash)?.[1];
    if (!cache || version === undefined || !this.macs.versions.includes(version)) return;
    const id = `${this.instance}\u0000${version}\u0000niss:${niss}`;
    if (!cache.has(id)) cache.set(id, Promise.resolve(hash));
  }

  /** The subject hash of a NISS under the current key. */
  subject(niss: string): Promise<string> {
    return this.under(this.currentVersion, `niss:${niss}`);
  }

  /** The subject hash under every accepted key, current first: what a lookup must try. */
  subjectUnderEveryKey(niss: string): Promise<string[]> {
    return Promise.all(this.macs.versions.map((v) => this.under(v, `niss:${niss}`)));
  }

  /**
   * A keyed digest of text (domain-separated from subject hashes), under the current key. The
   * MAC is taken over the text's SHA-256, so any length fits KMS's 4 096-byte message limit;
   * without the key the digest still cannot be recomputed from a guessed NISS.
   */
  digest(text: string): Promise<string> {
    return this.under(this.currentVersion, digestMessage(text));
  }

  /** The digest under every accepted key, current first: what finding an id derived from content must try. */
  digestUnderEveryKey(text: string): Promise<string[]> {
    return Promise.all(this.macs.versions.map((v) => this.under(v, digestMessage(text))));
  }

  /**
   * Whether `stored` is the digest of `text` under the key that made it. False for a
   * version no longer accepted: its digest can no longer be recomputed.
   */
  async digestMatches(text: string, stored: string): Promise<boolean> {
    const at = stored.indexOf(':');
    if (at <= 0) return false;
    const version = stored.slice(0, at);
    if (!this.macs.versions.includes(version)) return false;
    return (await this.under(version, digestMessage(text))) === stored;
  }
}
