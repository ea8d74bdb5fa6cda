import { describe, expect, it } from 'vitest';
import type { SQSEvent } from 'aws-lambda';
import { handler as careerBreak } from '../../functions/career-break/possibilities.js';
import { handler as submitClaim } from '../../functions/training-leave/submit-claim.js';
import { handler as getClaim } from '../../functions/training-leave/get-claim.js';
import { handler as checkPremium } from '../../functions/premium-check/check-premium.js';
import { handler as evaluateClaims } from '../../functions/training-leave/evaluate-claims.js';
import type { HttpEvent } from '../../shared/http/http-handler.js';
import { eventFile, lambdaContext } from '../support/lambda.js';

// Until their issues land, the use-case routes answer 501 problem+json and the
// consumer leaves every record for retry (so nothing is acknowledged unevaluated).
describe.each([
  ['career-break/possibilities', careerBreak, 'career-break-possibilities.json', 'issue 4'],
  ['training-leave/submit-claim', submitClaim, 'submit-training-leave-claim.json', 'issue 5'],
  ['training-leave/get-claim', getClaim, 'get-training-leave-claim.json', 'issue 5'],
  ['premium-check/check-premium', checkPremium, 'check-premium.json', 'issue 6'],
] as const)('%s', (_name, handler, event, issue) => {
  it(`answers 501 problem+json naming ${issue}`, async () => {
    const response = await handler(await eventFile<HttpEvent>(event), lambdaContext());
    expect(response.statusCode).toBe(501);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body!)).toMatchObject({ code: 'NOT_IMPLEMENTED', status: 501, detail: expect.stringContaining(issue) });
  });
});

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
