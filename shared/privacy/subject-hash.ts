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
