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
import { PurposeSources } from '../../shared/sources/purpose-sources.js';
import { createSourceClients } from '../../shared/sources/source-clients.js';
import { fetchEmployments, fetchPerson, fetchTraining, fetchWorkerLines } from '../../shared/sources/training-leave.js';

/**
 * SQS consumer of the claim queue (deliberation 19/038). Each record succeeds or fails on
 * its own: a failure (a source time-out, a school year without published figures, a
 * message naming no claim) is reported in `batchItemFailures`, so SQS retries only that
 * record and moves it to the dead-letter queue after `maxReceiveCount`. A decision is a
 * conditional update of a RECEIVED claim: a redelivered message never decides twice.
 */
const processor = new BatchProcessor(EventType.SQS);
const messageSchema = z.strictObject({ claimId: z.uuid() });

let sources: PurposeSources | undefined;
const purposeSources = () => (sources ??= new PurposeSources(evaluateTrainingLeaveClaim, createSourceClients(config().sourcesBaseUrl)));

export class PoisonMessageError extends Error {
  override name = 'PoisonMessageError';
}

export const evaluateClaimMessage = async (record: SQSRecord): Promise<void> => {
  let claimId: string;
  try {
    ({ claimId } = messageSchema.parse(JSON.parse(record.body)));
  } catch {
    throw new PoisonMessageError(`message ${record.messageId} is not a claim message`);
  }
  const store = claimStore();
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

  const s = purposeSources();
  const [person, employments, workerLines, training, earlierApprovedHours] = await Promise.all([
    fetchPerson(s, claim.workerNiss),
    fetchEmployments(s, claim.workerNiss, claim.employerEnterpriseNumber),
    fetchWorkerLines(s, claim.workerNiss),
    fetchTraining(s, claim.training.id, claim.workerNiss),
    store.approvedHoursElsewhere(claim.workerNiss, claim.schoolYear, claimId),
  ]);
  const decidedAt = now();
  const decision = evaluateClaim({
    claim: { ...claim, filedOn: belgianDate(new Date(claim.submittedAt)) },
    person,
    employments,
    workerLines,
    training,
    earlierApprovedHours,
  });
  const { claimedHours, ...kept } = decision;
  void claimedHours;
  const recorded = await store.decide(claimId, { ...kept, decidedAt: decidedAt.toISOString() });
  logger.info(recorded ? 'claim decided' : 'claim was decided meanwhile; nothing recorded twice', { claimId, outcome: decision.outcome });
};

export const handler = middy<SQSEvent, SQSBatchResponse>({ timeoutEarlyInMillis: 0 })
  .use(injectLambdaContext(logger, { clearState: true }))
  .handler(async (event, context) =>
    processPartialResponse(event, evaluateClaimMessage, processor, { context, throwOnFullBatchFailure: false }),
  );
