import '../../shared/composition/niss-cipher.js';
import { correctionRecord } from '../../shared/domain/training-leave/corrections.js';
import { platform, purposeDeps } from '../../shared/composition/platform.js';
import { belgianDate } from '../../shared/config/clock.js';
import { fromHundredths, toHundredths } from '../../shared/domain/amounts.js';
import {
  type AlreadyApproved,
  beforeRegime,
  evaluateClaim,
  type LedgerBound,
  type LedgerPosting,
  provisionalUntil,
} from '../../shared/domain/training-leave/evaluate.js';
import { figuresPublished, nextWait } from '../../shared/domain/training-leave/waiting.js';
import type { ClaimRepository } from '../../shared/domain/training-leave/ports.js';
import { logger } from '../../shared/observability/logger.js';
import { evaluateTrainingLeaveClaim } from '../../shared/purposes/training-leave.js';
import { type ConsumerCall, type ConsumerDeps, PoisonMessageError, purposeConsumer, queueRecordProcessor } from '../../shared/queue/purpose-consumer.js';
import { ledgerBackoff } from '../../shared/storage/claims.js';
import { fetchEmployments, fetchPerson, fetchTraining, fetchWorkerLines } from '../../shared/sources/training-leave.js';

/**
 * SQS consumer of the claim queue (deliberation 19/038). Each record succeeds or fails on
 * its own: a failure (a source time-out, a message naming no claim, a ledger too contended,
 * the audit trail down) is reported in `batchItemFailures`, so SQS retries only that record
 * and moves it to the dead-letter queue after `maxReceiveCount`.
 *
 * A claim for a school year without published figures is not a failure: it cannot be
 * decided on a guess, so it is postponed (`waitingFor`: SCHOOL_YEAR_FIGURES_NOT_PUBLISHED,
 * since when, the next attempt after an exponential back-off, shared/domain/training-leave/
 * waiting.ts) and its message acknowledged. It stays RECEIVED in the store (never dropped,
 * never dead-lettered for that); the sweeper queues it again when its next attempt is due, or
 * at once when a deploy brings its school year's figures.
 *
 * Claims of one worker may be evaluated at the same moment (records of a batch run in
 * parallel; in the cloud, several instances poll). The hours they may take are bounded
 * across claims by the ledger: a decision is written in one transaction with its ledger
 * postings, conditioned on the ledger still holding what the evaluation read. When another
 * decision got there first, the claim is evaluated again on the fresh ledger (the sources
 * are not called again), a few times with jittered back-off, then the record fails.
 */
export class LedgerContentionError extends Error {
  override name = 'LedgerContentionError';
}

export interface LedgerStats {
  decided: number;
  conflicts: number;
  contended: number;
}

export const newLedgerStats = (): LedgerStats => ({ decided: 0, conflicts: 0, contended: 0 });

export interface EvaluateClaimsDeps extends ConsumerDeps {
  claims: ClaimRepository;
  clock: () => Date;
  /** Evaluations of one record before it fails for SQS to retry (default 25: a conflict means another claim committed, so the worker's claims drain one per round). */
  maxAttempts?: number;
  /** Counts, for benchmarks and tests: decisions recorded and ledger conflicts met. */
  stats?: LedgerStats;
}

/** This container's counts (read by the pipeline benchmark). */
export const ledgerStats = newLedgerStats();

/** The composition root of this function. */
export const evaluateClaimsDeps = (): EvaluateClaimsDeps => {
  const p = platform();
  const { sources, audit } = purposeDeps(evaluateTrainingLeaveClaim.purpose, p);
  return {
    sources,
    audit,
    claims: p.storage.claims(evaluateTrainingLeaveClaim.purpose),
    clock: p.clock,
    stats: ledgerStats,
  };
};

const SETTLEMENT_REASON = correctionRecord('SETTLED');

/** The ledger's totals without a claim's own postings (its provisional decision, being settled). */
const withoutOwnPostings = (approved: AlreadyApproved, own: readonly LedgerPosting[]): AlreadyApproved => {
  // Hours, exact to the hundredth (the ledger's unit).
  const minus = (total: number, bound: LedgerBound, scope?: string) =>
    fromHundredths(
      toHundredths(total) -
        own.filter((p) => p.bound === bound && (scope === undefined || p.scope === scope)).reduce((sum, p) => sum + toHundredths(p.hours), 0),
    );
  return {
    ...approved,
    schoolYear: minus(approved.schoolYear, 'SCHOOL_YEAR'),
    training: minus(approved.training, 'TRAINING'),
    quarters: Object.fromEntries(Object.entries(approved.quarters).map(([q, h]) => [q, minus(h, 'QUARTER', q)])),
  };
};

export const evaluateClaimRecord = async (
  { message, record, sources, subject, trace }: ConsumerCall<{ claimId: string }>,
  { claims, clock, maxAttempts = 25, stats }: EvaluateClaimsDeps,
): Promise<void> => {
  const { claimId } = message;
  const sealed = await claims.get(claimId);
  if (!sealed) throw new PoisonMessageError(`message ${record.id} names no stored claim`);
  const today = belgianDate(clock());
  // A provisional decision is settled once its training has ended (the sweeper queues it then).
  const settling = sealed.status === 'DECIDED' && sealed.decision?.final === false && provisionalUntil(sealed) < today;
  if (sealed.status !== 'RECEIVED' && !settling) {
    // Decided (a duplicate delivery, or provisional with its training still running), or
    // withdrawn by its employer: nothing to read, nothing to decide.
    logger.info('claim not waiting for a decision; message acknowledged', { claimId, status: sealed.status, messageId: record.id });
    return;
  }

  // A school year without published figures cannot be decided: postponed before any source is called.
  if (!settling && !beforeRegime(sealed) && !figuresPublished(sealed.schoolYear)) {
    const wait = nextWait(sealed.waitingFor, 'SCHOOL_YEAR_FIGURES_NOT_PUBLISHED', clock());
    const postponed = await claims.postpone(claimId, wait);
    logger.warn(
      postponed
        ? 'no published figures for the school year; the claim waits for them'
        : 'no published figures for the school year, and the claim is no longer waiting; nothing recorded',
      { claimId, schoolYear: sealed.schoolYear, attempts: wait.attempts, nextAttemptAt: wait.nextAttemptAt },
    );
    return;
  }

  // Opened only now, for a claim decided here: the sources are asked about the NISS. Its
  // subject hash is the one the claim keeps, under the key that made it (claims.open: the key
  // service is not asked again); after a key rotation the current key's is asked for here, and
  // a key service down fails the record before any source is read; SQS retries it.
  const claim = await claims.open(sealed);
  await subject(claim.workerNiss);
  const [person, employments, workerLines, training] = await Promise.all([
    fetchPerson(sources, claim.workerNiss),
    fetchEmployments(sources, claim.workerNiss, claim.employerEnterpriseNumber),
    fetchWorkerLines(sources, claim.workerNiss),
    fetchTraining(sources, claim.training.id, claim.workerNiss),
  ]);
  // The reads are traced before anything that rests on them is written. The ledger is read
  // meanwhile: a read of this service's own table, which decides nothing (an item past its
  // retention is deleted on the way, as on every read). Both settle before the record fails, if
  // one fails: no audit write is left running behind a failed record.
  const [traced, ledgerRead] = await Promise.allSettled([trace(), claims.approvedSoFar(claim)]);
  if (traced.status === 'rejected') throw traced.reason;
  if (ledgerRead.status === 'rejected') throw ledgerRead.reason;
  const filedOn = belgianDate(new Date(claim.submittedAt));

  for (let attempt = 1; ; attempt++) {
    const stored = attempt === 1 ? ledgerRead.value : await claims.approvedSoFar(claim);
    // When settling, the claim's own provisional postings are not "earlier decisions".
    const alreadyApproved = settling ? withoutOwnPostings(stored, claim.decision!.ledger) : stored;
    const { claimedHours: _claimed, ...decision } = evaluateClaim({
      claim: { ...claim, filedOn },
      person,
      employments,
      workerLines,
      training,
      alreadyApproved,
      today,
    });
    const timed = { ...decision, decidedAt: clock().toISOString() };
    if (settling && !decision.final) {
      logger.info('training not ended after all (its end date moved); settled later', { claimId });
      return;
    }
    const result = settling ? await claims.settle(claim, timed, SETTLEMENT_REASON) : await claims.decide(claim, timed);
    if (result === 'DECIDED') {
      if (stats) stats.decided++;
      logger.info(settling ? 'claim settled' : 'claim decided', { claimId, outcome: decision.outcome, final: decision.final, attempt });
      return;
    }
    if (result === 'ALREADY_DECIDED') {
      logger.info('claim was decided meanwhile; nothing recorded twice', { claimId });
      return;
    }
    if (stats) stats.conflicts++;
    if (attempt >= maxAttempts) {
      if (stats) stats.contended++;
      throw new LedgerContentionError(`claim ${claimId}: the ledger moved under ${attempt} evaluations; left for SQS to retry`);
    }
    logger.debug('ledger moved since it was read; evaluating again', { claimId, attempt });
    await ledgerBackoff(attempt);
  }
};

/** The SQS front door (the Lambda function's handler). */
export const createClaimConsumer = (deps: () => EvaluateClaimsDeps) => purposeConsumer(evaluateTrainingLeaveClaim, { deps, handle: evaluateClaimRecord });

/** The same consumer as one record at a time, for the container's pg-boss worker. */
export const createClaimRecordProcessor = (deps: () => EvaluateClaimsDeps) =>
  queueRecordProcessor(evaluateTrainingLeaveClaim, { deps, handle: evaluateClaimRecord });

export const handler = createClaimConsumer(evaluateClaimsDeps);
