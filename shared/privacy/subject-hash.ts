import { createHmac } from 'node:crypto';

/**
 * The keyed hash (HMAC-SHA-256) that stands for a data subject wherever a NISS would
 * otherwise be a key: the audit trail's subject, the ledger's partition. Same NISS, same
 * key → same hash, so records about one person can be found again without holding the
 * NISS in clear; without the key, the small NISS space cannot be enumerated.
 */
export const subjectHash = (niss: string, key: string): string => createHmac('sha256', key).update(`niss:${niss}`).digest('hex');

/** A pseudonymiser bound to its key, so callers never handle the key. */
export type Pseudonymise = (niss: string) => string;

export const pseudonymiser = (key: string): Pseudonymise => {
  if (!key) throw new Error('pseudonymisation needs a key (AUDIT_HASH_KEY)');
  return (niss) => subjectHash(niss, key);
};

/**
 * A keyed digest of any text (HMAC-SHA-256, domain-separated from subject hashes). For
 * ids and fingerprints derived from content that holds a NISS: an unkeyed hash of such
 * content can be reversed by trying every NISS, as the NISS space is small.
 */
export type Digest = (text: string) => string;

export const keyedDigest = (key: string): Digest => {
  if (!key) throw new Error('a keyed digest needs a key (AUDIT_HASH_KEY)');
  return (text) => createHmac('sha256', key).update(`digest:${text}`).digest('hex');
};
