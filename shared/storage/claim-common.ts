import { correctionRecord } from '../domain/training-leave/corrections.js';
import type { Correction, StoredDecision } from '../domain/training-leave/ports.js';
import type { FieldCipher, SealContext } from '../privacy/field-cipher.js';
import type { Pseudonymiser } from '../privacy/pseudonymiser.js';

/**
 * What the claim stores share whatever holds the rows (DynamoDB, PostgreSQL): how a
 * worker's NISS is kept out of storage, how a replaced decision is kept, and the order of
 * key versions the ledger posts under.
 */

/** The keyed hash and the cipher that keep the worker's NISS out of the table. */
export interface ClaimPrivacy {
  pseudonymiser: Pseudonymiser;
  cipher: FieldCipher;
}

/** What a claim's sealed NISS is bound to: this purpose, this field, this claim. */
export const nissContext = (purpose: string, claimId: string): SealContext => ({ purpose, field: 'workerNiss', itemId: claimId });

/** Why a withdrawn claim's provisional decision was set aside (kept as a correction). */
export const WITHDRAWAL_REASON = correctionRecord('WITHDRAWN');

/** What is kept of a decision another replaced (a settlement) or set aside (a withdrawal), and why. */
export const correctionOf = (previous: StoredDecision, at: string, reason: string): Correction => ({
  at,
  reason,
  previous: { outcome: previous.outcome, approvedHours: previous.approvedHours, amount: previous.amount, decidedAt: previous.decidedAt },
});

/** Key versions in a stable order (v2 before v10), whichever is current. */
export const byVersion = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** The key version of a subject hash (`<version>:<hex>`). */
export const versionOf = (hash: string) => hash.slice(0, hash.indexOf(':'));
