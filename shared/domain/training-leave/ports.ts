import type { AlreadyApproved, Decision } from './evaluate.js';

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

export type ClaimStatus = 'RECEIVED' | 'DECIDED';

export interface StoredDecision extends Omit<Decision, 'claimedHours'> {
  decidedAt: string;
}

export interface Claim extends ClaimInput {
  claimId: string;
  status: ClaimStatus;
  submittedAt: string;
  /** Hash of the submitted content, to tell a replay from a reused Idempotency-Key. */
  requestHash: string;
  decision?: StoredDecision;
}

/** DECIDED: recorded. ALREADY_DECIDED: another delivery decided it first. LEDGER_MOVED: another decision changed the ledger since it was read; evaluate again. */
export type DecideResult = 'DECIDED' | 'ALREADY_DECIDED' | 'LEDGER_MOVED';

export interface ClaimRepository {
  /** Creates the claim unless one with its id exists; returns the stored one either way. */
  create(claim: Claim): Promise<{ claim: Claim; created: boolean }>;
  get(claimId: string): Promise<Claim | undefined>;
  /** What earlier decisions took from each bound the claim touches (the ledger). */
  approvedSoFar(claim: Claim): Promise<AlreadyApproved>;
  /** Records the decision with its ledger postings, all or nothing. */
  decide(claim: Claim, decision: StoredDecision): Promise<DecideResult>;
}

export interface ClaimQueue {
  /** Queues the claim for evaluation: only its id travels. */
  enqueue(claimId: string): Promise<void>;
}
