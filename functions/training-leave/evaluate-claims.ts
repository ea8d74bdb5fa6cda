import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '../../shared/observability/logger.js';

/**
 * SQS consumer of the claim queue (deliberation 19/038). Each record succeeds or
 * fails on its own; failures are reported in `batchItemFailures` so SQS retries only
 * them and moves them to the dead-letter queue after `maxReceiveCount`.
 */
const processor = new BatchProcessor(EventType.SQS);

const evaluateClaimMessage = async (record: SQSRecord): Promise<void> => {
  // Until the evaluation lands (issue 5) every claim is left to retry and then to
  // the dead-letter queue: nothing is acknowledged that was not evaluated.
  logger.warn('claim evaluation not implemented; message left for retry', { messageId: record.messageId });
  throw new Error('claim evaluation is not implemented yet (issue 5)');
};

export const handler = middy<SQSEvent, SQSBatchResponse>({ timeoutEarlyInMillis: 0 })
  .use(injectLambdaContext(logger, { clearState: true }))
  .handler(async (event, context) =>
    processPartialResponse(event, evaluateClaimMessage, processor, { context, throwOnFullBatchFailure: false }),
  );
