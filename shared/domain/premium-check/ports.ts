import type { PremiumEvaluation } from './evaluate.js';

/** A premium check as kept, and the port that keeps it (shared/storage implements it). */
/**
 * The findings are kept as their check's text keys and figures (`Finding`), rendered in the reader's
 * language when answered: a replay in another language reads in that language, and no sentence is kept.
 */
export interface StoredPremiumCheck extends PremiumEvaluation {
  checkId: string;
  checkedAt: string;
  scheme: 'ACS' | 'PTP';
  employerEnterpriseNumber: string;
  /** The worker's subject hash (`<key version>:<hex>`), never the NISS: no route reads a stored check's worker back. */
  workerSubject: string;
  month: string;
}

export interface PremiumCheckRepository {
  /**
   * Stores the check unless one with its id exists, and returns the stored one either way:
   * a retry of the same request stores nothing twice and answers what was stored first.
   */
  save(check: StoredPremiumCheck): Promise<{ created: boolean; check: StoredPremiumCheck }>;
}
