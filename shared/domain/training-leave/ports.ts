import type { AlreadyApproved, Decision } from './evaluate.js';
import type { ClaimWait } from './waiting.js';

export type { ClaimWait } from './waiting.js';

/**
 * A training-leave claim and the ports its functions need. The domain declares them;
 * shared/storage implements them on DynamoDB and SQS, and tests use in-memory fakes.
 */
export interface ClaimInput {
  employerEnterpriseNumber: string;
  workerNiss: string;
  schoolYear: string;
  training: { id: string; startDate: string; endDate: string };
  hoursByMonth: Record<string, number>;
}

/** RECEIVED: waiting for its decision (and, when it cannot be decided yet, `waitingFor` says why). DECIDED: decided. WITHDRAWN: taken back by its employer before it was decided. */
export type ClaimStatus = 'RECEIVED' | 'DECIDED' | 'WITHDRAWN';
export const CLAIM_STATUSES = ['RECEIVED', 'DECIDED', 'WITHDRAWN'] as const satisfies readonly ClaimStatus[];

/** WITHDRAWN: done now, or already. TOO_LATE: decided meanwhile (a decision is final). */
export type WithdrawResult = { outcome: 'WITHDRAWN'; claim: SealedClaim } | { outcome: 'TOO_LATE'; claim: SealedClaim };

export interface StoredDecision extends Omit<Decision, 'claimedHours'> {
  decidedAt: string;
}

/** A decision replaced by a later one (a provisional decision settled with another outcome or amount). */
export interface Correction {
  at: string;
  reason: string;
  previous: { outcome: StoredDecision['outcome']; approvedHours: number; amount: string; decidedAt: string };
}

export interface Claim extends ClaimInput {
  claimId: string;
  status: ClaimStatus;
  submittedAt: string;
  /** Hash of the submitted content, to tell a replay from a reused Idempotency-Key. */
  requestHash: string;
  decision?: StoredDecision;
  /** When its employer withdrew it (status WITHDRAWN). */
  withdrawnAt?: string;
  /** Earlier decisions the current one changed (outcome or amount), oldest first, each with why. */
  corrections?: Correction[];
  /** Why a RECEIVED claim is not decided yet, and when it is tried again; gone once it is decided or withdrawn. */
  waitingFor?: ClaimWait;
}

/**
 * A claim as stored and read back: its worker known by a keyed hash, the NISS sealed (field
 * encryption under KMS, bound to the claim). Opened (`ClaimRepository.open`) only where the
 * NISS is needed: the evaluation, a withdrawal's ledger release, and a reader whose answer
 * includes it (the DWSE teams).
 */
export interface SealedClaim extends Omit<Claim, 'workerNiss'> {
  /** The worker's subject hash (`<key version>:<hex>`) under the key current at submission: audit records, owner checks. */
  workerSubject: string;
  /** The worker's NISS, sealed for this claim. */
  workerNissSealed: string;
  /**
   * Per ledger bound its decision posted to, the item's key (a subject hash under some key
   * version): a withdrawal releases a provisional decision's hours without opening the NISS.
   * Internal: never answered.
   */
  ledgerItems?: Record<string, string>;
}

/** DECIDED: recorded. ALREADY_DECIDED: another delivery decided it first. LEDGER_MOVED: another decision changed the ledger since it was read; evaluate again. */
export type DecideResult = 'DECIDED' | 'ALREADY_DECIDED' | 'LEDGER_MOVED';

/** Who asks for a list of claims: one employer's (its own), or all (a DWSE team), with filters. */
export interface ClaimListQuery {
  employerEnterpriseNumber?: string;
  status?: ClaimStatus;
  schoolYear?: string;
  /** 1–100. */
  limit: number;
  /** Opaque: the `next` of the previous page. */
  cursor?: string;
}

/** A page of claims, newest first; `next` is absent on the last page. */
export interface ClaimPage {
  items: SealedClaim[];
  next?: string;
}

/** The ledger kept moving under an operation that must not wait long (a withdrawal): the caller tries again. */
export class ClaimBusyError extends Error {
  override name = 'ClaimBusyError';
}

export { InvalidCursorError } from '../pagination.js';

export interface ClaimRepository {
  /** Creates the claim (its NISS sealed) unless one with its id exists; returns the stored one either way. */
  create(claim: Claim): Promise<{ claim: SealedClaim; created: boolean }>;
  /** Readies the first `create` (its NISS seal: the cipher loaded, its key fetched); never rejects. */
  warmUp?(): Promise<void>;
  get(claimId: string): Promise<SealedClaim | undefined>;
  /**
   * The claim with its worker's NISS opened. Throws CipherUnavailableError when the key
   * service cannot answer, CipherIntegrityError when the sealed NISS is not this claim's.
   */
  open(claim: SealedClaim): Promise<Claim>;
  /** What earlier decisions took from each bound the claim touches (the ledger). */
  approvedSoFar(claim: Claim): Promise<AlreadyApproved>;
  /** Records the decision with its ledger postings, all or nothing. */
  decide(claim: Claim, decision: StoredDecision): Promise<DecideResult>;
  /** Replaces the claim's provisional decision by its final one, moving the ledger by the difference; once. */
  settle(claim: Claim, decision: StoredDecision, reason: string): Promise<DecideResult>;
  /**
   * Withdraws a claim still waiting for its decision, or decided provisionally (its hours
   * released, by the items its decision named: no NISS opened); a claim decided meanwhile stays decided.
   */
  withdraw(claim: SealedClaim, at: Date): Promise<WithdrawResult>;
  /** Ids of the provisionally decided claims whose training ended before `today`, oldest first. */
  dueForSettlement(today: string, limit: number): Promise<string[]>;
  /**
   * Records why a claim still RECEIVED cannot be decided yet and when to try again: the
   * sweeper leaves it alone until then (or until `figuresPublished` says its school year can
   * be decided). false when the claim is no longer RECEIVED (decided or withdrawn meanwhile).
   */
  postpone(claimId: string, wait: ClaimWait): Promise<boolean>;
  /**
   * Ids of the claims still waiting for their decision that are due, at most `limit`: first
   * those never postponed submitted at `submittedBefore` or earlier (a message lost), oldest
   * first; then, per school year, the postponed ones whose next attempt is at `now` or
   * earlier or, for a school year `figuresPublished` accepts, all of them.
   */
  waiting(due: WaitingQuery, limit: number): Promise<string[]>;
  /** A page of claims, newest first, from an index (never a scan). */
  list(query: ClaimListQuery): Promise<ClaimPage>;
}

/** Which waiting claims the sweeper takes (ClaimRepository.waiting). */
export interface WaitingQuery {
  /** A claim never postponed is due once submitted this long ago (its first message may still be on its way). */
  submittedBefore: Date;
  /** A postponed claim is due once its next attempt is at this instant or earlier. */
  now: Date;
  /** Whether a school year's figures are now in force: its postponed claims are due at once. */
  figuresPublished?: (schoolYear: string) => boolean;
}

export interface ClaimQueue {
  /** Queues the claim for evaluation: only its id travels. */
  enqueue(claimId: string): Promise<void>;
}
