import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubmitClaimHandler } from '../../functions/training-leave/submit-claim.js';
import { submitTrainingLeaveClaim } from '../../shared/purposes/catalogue.js';
import { InMemoryClaims, InMemoryQueue } from '../support/fakes.js';
import { lambdaContext } from '../support/lambda.js';
import { type Harness, httpEvent, startHarness } from '../support/purpose-harness.js';
import { testPseudonymiser } from '../support/pseudonymiser.js';

// A claim waiting for its school year's figures: a client retrying its POST must not push its
// back-off (each send the consumer reads is one more attempt); a claim not postponed is sent again.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const body = {
  employerEnterpriseNumber: '0403170701',
  workerNiss: '85073003328',
  schoolYear: '2026-2027',
  training: { id: 'ODB-12345', startDate: '2026-10-01', endDate: '2027-03-31' },
  hoursByMonth: { '2026-10': 8 },
};

describe('replaying the submission of a received claim', () => {
  it('sends a claim not yet postponed again, and leaves a postponed one to the sweeper', async () => {
    const claims = new InMemoryClaims();
    const queue = new InMemoryQueue();
    const submit = createSubmitClaimHandler(() => ({ ...h.deps(submitTrainingLeaveClaim.purpose)(), claims, queue, pseudonymiser: testPseudonymiser() }));
    const token = await h.token({ role: 'employer', enterpriseNumber: '0403170701' });
    const file = async () => submit(httpEvent({ method: 'POST', token, body, headers: { 'Idempotency-Key': 'k-1' } }), lambdaContext());
    const { claimId } = JSON.parse((await file()).body!);
    expect(queue.sent).toEqual([claimId]);
    expect((await file()).statusCode).toBe(202);
    expect(queue.sent).toEqual([claimId, claimId]);

    const at = new Date().toISOString();
    expect(await claims.postpone(claimId, { code: 'SCHOOL_YEAR_FIGURES_NOT_PUBLISHED', since: at, attempts: 1, nextAttemptAt: at })).toBe(true);
    const replay = await file();
    expect([replay.statusCode, JSON.parse(replay.body!).claimId]).toEqual([202, claimId]);
    expect(queue.sent).toEqual([claimId, claimId]);
  });
});
