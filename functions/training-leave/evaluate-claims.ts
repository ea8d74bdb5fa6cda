import { setTimeout as sleep } from 'node:timers/promises';
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { belgianDate, now } from '../../shared/config/clock.js';
import { config } from '../../shared/config/env.js';
import { NoRuleInForceError } from '../../shared/domain/effective-dated.js';
import { beforeRegime, evaluateClaim, schoolYearParameters } from '../../shared/domain/training-leave/evaluate.js';
import { logger } from '../../shared/observability/logger.js';
import { evaluateTrainingLeaveClaim } from '../../shared/purposes/catalogue.js';
import { claimStore } from '../../shared/storage/claim-store-instance.js';
import type { ClaimStore } from '../../shared/storage/claims.js';
import { PurposeSources } from '../../shared/sources/purpose-sources.js';
import { createSourceClients } from '../../shared/sources/source-clients.js';
import { fetchEmployments, fetchPerson, fetchTraining, fetchWorkerLines } from '../../shared/sources/training-leave.js';

/**
 * SQS consumer of the claim queue (deliberation 19/038). Each record succeeds or fails on
 * its own: a failure (a source time-out, a school year without published figures, a
 * message naming no claim, a ledger too contended) is reported in `batchItemFailures`, so
 * SQS retries only that record and moves it to the dead-letter queue after
 * `maxReceiveCount`.
 *
 * Claims of one worker may be evaluated at the same moment (records of a batch run in
 * parallel; in the cloud, several instances poll). The hours they may take are bounded
 * across claims by the ledger: a decision is written in one transaction with its ledger
 * postings, conditioned on the ledger still holding what the evaluation read. When another
 * decision got there first, the claim is evaluated again on the fresh ledger (the sources
 * are not called again), a few times with jittered back-off, then the record fails.
 */
export class PoisonMessageError extends Error {
  override name = 'PoisonMessageError';
}

export class LedgerContentionError extends Error {
  override name = 'LedgerContentionError';
}

export interface ClaimEvaluatorDeps {
  store: () => ClaimStore;
  sources: () => PurposeSources;
  clock: () => Date;
  /** Evaluations of one record before it fails for SQS to retry (default 8). */
  maxAttempts?: number;
  /** Counts, for benchmarks and tests: decisions recorded and ledger conflicts met. */
  stats?: LedgerStats;
}

export interface LedgerStats {
  decided: number;
  conflicts: number;
  contended: number;
}

export const newLedgerStats = (): LedgerStats => ({ decided: 0, conflicts: 0, contended: 0 });

const messageSchema = z.strictObject({ claimId: z.uuid() });

/** Up to 10·2^attempt ms, at least 5 ms, uniformly jittered so that rivals spread out. */
const backoff = (attempt: number) => sleep(5 + Math.random() * 10 * 2 ** Math.min(attempt, 6));

export const createClaimEvaluator = ({ store: storeOf, sources: sourcesOf, clock, maxAttempts = 8, stats }: ClaimEvaluatorDeps) =>
  async (record: SQSRecord): Promise<void> => {
    let claimId: string;
    try {
      ({ claimId } = messageSchema.parse(JSON.parse(record.body)));
    } catch {
      throw new PoisonMessageError(`message ${record.messageId} is not a claim message`);
    }
    const store = storeOf();
    const claim = await store.get(claimId);
    if (!claim) throw new PoisonMessageError(`message ${record.messageId} names no stored claim`);
    if (claim.status === 'DECIDED') {
      logger.info('claim already decided; duplicate delivery acknowledged', { claimId, messageId: record.messageId });
      return;
    }

    // A school year without published figures cannot be decided: fail before calling any source.
    try {
      if (!beforeRegime(claim)) schoolYearParameters(claim.schoolYear);
    } catch (error) {
      if (error instanceof NoRuleInForceError) logger.warn('no published figures for the school year; the claim waits', { claimId, schoolYear: claim.schoolYear });
      throw error;
    }

    const s = sourcesOf();
    const [person, employments, workerLines, training] = await Promise.all([
      fetchPerson(s, claim.workerNiss),
      fetchEmployments(s, claim.workerNiss, claim.employerEnterpriseNumber),
      fetchWorkerLines(s, claim.workerNiss),
      fetchTraining(s, claim.training.id, claim.workerNiss),
    ]);
    const filedOn = belgianDate(new Date(claim.submittedAt));

    for (let attempt = 1; ; attempt++) {
      const alreadyApproved = await store.approvedSoFar(claim);
      const { claimedHours: _claimed, ...decision } = evaluateClaim({ claim: { ...claim, filedOn }, person, employments, workerLines, training, alreadyApproved });
      const result = await store.decide(claim, { ...decision, decidedAt: clock().toISOString() });
      if (result === 'DECIDED') {
        if (stats) stats.decided++;
        logger.info('claim decided', { claimId, outcome: decision.outcome, attempt });
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
      await backoff(attempt);
    }
  };

let sources: PurposeSources | undefined;
export const ledgerStats = newLedgerStats();
export const evaluateClaimMessage = createClaimEvaluator({
  store: claimStore,
  sources: () => (sources ??= new PurposeSources(evaluateTrainingLeaveClaim, createSourceClients(config().sourcesBaseUrl))),
  clock: () => now(),
  stats: ledgerStats,
});

// A processor per invocation: it holds the batch's state, and locally several pollers
// invoke this handler concurrently in one process (Lambda runs one invocation at a time).
export const claimConsumer = (evaluate: (record: SQSRecord) => Promise<void>) =>
  middy<SQSEvent, SQSBatchResponse>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { clearState: true }))
    .handler(async (event, context) =>
      processPartialResponse(event, evaluate, new BatchProcessor(EventType.SQS), { context, throwOnFullBatchFailure: false }),
    );

export const handler = claimConsumer(evaluateClaimMessage);
