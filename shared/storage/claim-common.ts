import { correctionRecord } from '../domain/training-leave/corrections.js';
import type { Claim, Correction, SealedClaim, StoredDecision } from '../domain/training-leave/ports.js';
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

/** What every claim's sealed NISS of this purpose shares: the purpose and the field. */
const nissScope = (purpose: string): Omit<SealContext, 'itemId'> => ({ purpose, field: 'workerNiss' });

/** What a claim's sealed NISS is bound to: this purpose, this field, this claim. */
export const nissContext = (purpose: string, claimId: string): SealContext => ({ ...nissScope(purpose), itemId: claimId });

/** Readies the first seal of a claim's NISS for this purpose (FieldCipher.warmUp): what `warmUp` of a claim store does. */
export const warmUpSealing = async ({ cipher }: Pick<ClaimPrivacy, 'cipher'>, purpose: string): Promise<void> => {
  await cipher.warmUp?.(nissScope(purpose));
};

/**
 * A claim with its worker's NISS opened. Within a request's hash scope, the subject hash the
 * claim keeps (`workerSubject`, made of that NISS when the claim was created) is remembered
 * for the NISS under its key version, so the request's audit record and ledger keys do not
 * ask the key service again (Pseudonymiser.remember: a hash under a key version no longer
 * current serves only the lookups under that version).
 */
export const openClaim = async (claim: SealedClaim, { cipher, pseudonymiser }: ClaimPrivacy, purpose: string): Promise<Claim> => {
  const { workerSubject, workerNissSealed, ...rest } = claim;
  const workerNiss = await cipher.open(workerNissSealed, nissContext(purpose, claim.claimId));
  pseudonymiser.remember(workerNiss, workerSubject);
  return { ...rest, workerNiss };
};

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
