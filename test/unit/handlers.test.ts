import { describe, expect, it } from 'vitest';
import type { SQSEvent } from 'aws-lambda';
import { handler as evaluateClaims } from '../../functions/training-leave/evaluate-claims.js';
import { eventFile, lambdaContext } from '../support/lambda.js';

// Until issue 5 lands the consumer leaves every record for retry, so nothing is acknowledged unevaluated.
describe('training-leave/evaluate-claims', () => {
  it('reports every record as a batch item failure', async () => {
    const event = await eventFile<SQSEvent>('claim-queue-batch.json');
    const second = { ...event.Records[0]!, messageId: 'second-message' };
    const response = await evaluateClaims({ Records: [...event.Records, second] }, lambdaContext());
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      event.Records[0]!.messageId,
      'second-message',
    ]);
  });
});
