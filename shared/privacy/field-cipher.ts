/**
 * Field-level encryption of a personal identifier that must be read back: a training-leave
 * claim's worker NISS, which the DWSE teams read (19/038) and the consumer needs to ask the
 * sources, so it cannot be a keyed hash. Where a NISS is only a key (the ledger, the audit
 * trail, a premium check), the keyed hash of the Pseudonymiser stands for it instead.
 *
 * A sealed value is bound to where it belongs: the purpose and the field it was sealed for,
 * and the item (a claim id). `open` refuses a value sealed for another item, field or
 * purpose, so a ciphertext copied onto another claim does not reveal its NISS there.
 */
export interface SealContext {
  /** The purpose the value is kept for (e.g. TRAINING_LEAVE_REIMBURSEMENT). */
  purpose: string;
  /** The field it sits in (e.g. workerNiss). */
  field: string;
  /** The item it belongs to (e.g. the claim id). */
  itemId: string;
}

export interface FieldCipher {
  /** The value encrypted for this context: text, safe to store. */
  seal(value: string, context: SealContext): Promise<string>;
  /** The value back, only if it was sealed for exactly this context. */
  open(sealed: string, context: SealContext): Promise<string>;
  /**
   * Readies the first seal for this purpose and field (the cipher loaded, its key fetched),
   * at a function's initialisation, so that it runs while the first request waits on other
   * I/O. Resolves when done; never rejects: a key service down is the first seal's to report.
   */
  warmUp?(context: Omit<SealContext, 'itemId'>): Promise<void>;
}

/** The key service (KMS) could not answer: the request is answered 503, a queued record retried. */
export class CipherUnavailableError extends Error {
  override name = 'CipherUnavailableError';
}

/** A sealed value that is not this context's (copied from another item) or was altered: never opened. */
export class CipherIntegrityError extends Error {
  override name = 'CipherIntegrityError';
}
