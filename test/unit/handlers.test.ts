import { testPseudonymiser } from '../support/pseudonymiser.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SQSEvent } from 'aws-lambda';
import { createCheckPremiumHandler } from '../../functions/premium-check/check-premium.js';
import { createClaimConsumer } from '../../functions/training-leave/evaluate-claims.js';
import { createGetClaimHandler } from '../../functions/training-leave/get-claim.js';
import { createSubmitClaimHandler } from '../../functions/training-leave/submit-claim.js';
import { checkPremium, readTrainingLeaveClaim, submitTrainingLeaveClaim, trainingLeaveReimbursement } from '../../shared/purposes/catalogue.js';
import { InMemoryAudit, InMemoryClaims, InMemoryPremiumChecks, InMemoryQueue } from '../support/fakes.js';
import { lambdaContext, sqsRecord } from '../support/lambda.js';
import { httpEvent, startHarness, type Harness } from '../support/purpose-harness.js';

// The functions in process, on in-memory fakes of their ports (no emulator): each
// composition root is replaced by the test's own.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.audits.length = 0;
  h.sourceAnswers.clear();
});

const EMPLOYER = { role: 'employer', enterpriseNumber: '0403170701' } as const;
const claimBody = {
  employerEnterpriseNumber: '0403170701',
  workerNiss: '85073003328',
  schoolYear: '2024-2025',
  training: { id: 'ODB-12345', startDate: '2024-10-01', endDate: '2025-03-31' },
  hoursByMonth: { '2024-10': 8, '2024-11': 12 },
};
const json = (response: { body?: string }) => JSON.parse(response.body ?? 'null');

describe('submitting a claim', () => {
  const setup = () => {
    const claims = new InMemoryClaims();
    const queue = new InMemoryQueue();
    const handler = createSubmitClaimHandler(() => ({
      ...h.deps(submitTrainingLeaveClaim.purpose)(),
      claims,
      queue,
      pseudonymiser: testPseudonymiser(),
    }));
    return { claims, queue, handler };
  };

  it('stores one claim for the same content twice and queues its id (only the id)', async () => {
    const { claims, queue, handler } = setup();
    const token = await h.token(EMPLOYER);
    const first = await handler(httpEvent({ method: 'POST', token, body: claimBody }), lambdaContext());
    const second = await handler(httpEvent({ method: 'POST', token, body: claimBody }), lambdaContext());
    expect(first.statusCode).toBe(202);
    expect(json(second)).toEqual(json(first));
    expect(claims.claims.size).toBe(1);
    expect(queue.sent).toEqual([json(first).claimId, json(first).claimId]);
    expect(first.headers?.location).toBe(`/v1/training-leave/claims/${json(first).claimId}`);
  });

  it('refuses an Idempotency-Key reused for other content with 422, storing nothing more', async () => {
    const { claims, handler } = setup();
    const token = await h.token(EMPLOYER);
    const headers = { 'Idempotency-Key': 'k-1' };
    expect((await handler(httpEvent({ method: 'POST', token, body: claimBody, headers }), lambdaContext())).statusCode).toBe(202);
    const reused = await handler(httpEvent({ method: 'POST', token, body: { ...claimBody, hoursByMonth: { '2024-10': 1 } }, headers }), lambdaContext());
    expect([reused.statusCode, json(reused).code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(claims.claims.size).toBe(1);
  });
});

describe('reading a claim', () => {
  it('serves the employer its own claim without the reasons, and DWSE the whole decision', async () => {
    const claims = new InMemoryClaims();
    await claims.create({
      ...claimBody,
      claimId: '4b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a79',
      status: 'RECEIVED',
      submittedAt: '2024-11-15T10:00:00.000Z',
      requestHash: 'secret',
    });
    const handler = createGetClaimHandler(() => ({ ...h.deps(readTrainingLeaveClaim.purpose)(), claims }));
    const event = async (principal: Parameters<Harness['token']>[0]) =>
      httpEvent({ token: await h.token(principal), pathParameters: { claimId: '4b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a79' } });
    expect(json(await handler(await event(EMPLOYER), lambdaContext()))).toEqual({ claimId: '4b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a79', status: 'RECEIVED' });
    const dwse = json(await handler(await event({ role: 'dwse', team: 'inspectie' }), lambdaContext()));
    expect(dwse).toMatchObject({ workerNiss: '85073003328', hoursByMonth: claimBody.hoursByMonth });
    expect(dwse).not.toHaveProperty('requestHash');
  });
});

describe('checking a premium', () => {
  it('stores a check once when the same request comes again the same day, answering the same id', async () => {
    h.sourceAnswers.set('/reference-directory/registrations/84050550577', {
      status: 200,
      body: { niss: '84050550577', registeredBy: 'ACTIRIS', qualityCode: '001' },
    });
    h.sourceAnswers.set('/dmfa/worker-lines', {
      status: 200,
      body: {
        items: [
          {
            occupations: [
              {
                daysPerWeek: 5,
                monthly: [{ month: '2024-05', daysWorked: 20, assimilatedDays: 3, grossSalary: '2500.00', salaryCost: '3000.00', otherPremiums: [] }],
              },
            ],
          },
        ],
      },
    });
    h.sourceAnswers.set('/dmfa/employer-aggregates', { status: 200, body: { items: [] } });
    const checks = new InMemoryPremiumChecks();
    const handler = createCheckPremiumHandler(() => ({ ...h.deps(checkPremium.purpose)(), checks, pseudonymiser: testPseudonymiser() }));
    const body = {
      scheme: 'PTP',
      employerEnterpriseNumber: '0403170701',
      workerNiss: '84050550577',
      hiringDate: '2023-06-01',
      month: '2024-05',
      declared: { daysWorked: 20, assimilatedDays: 3, grossSalary: '2500.00', premiumClaimed: '1168.75', exemptionClaimed: false, regularStaffFte: '10.00' },
    };
    const token = await h.token({ role: 'actiris' });
    const first = await handler(httpEvent({ method: 'POST', token, body }), lambdaContext());
    const again = await handler(httpEvent({ method: 'POST', token, body }), lambdaContext());
    expect(first.statusCode, first.body).toBe(200);
    expect(json(again).checkId).toBe(json(first).checkId);
    expect(checks.checks.size).toBe(1);
    // DMFA changes during the day: the same request again answers what was stored, not a new result.
    h.sourceAnswers.set('/dmfa/worker-lines', { status: 200, body: { items: [] } });
    const later = await handler(httpEvent({ method: 'POST', token, body }), lambdaContext());
    expect(json(later)).toEqual(json(first));
  });
});

describe('the claim consumer', () => {
  const record = sqsRecord;

  it('audits each record’s source reads under the evaluation purpose, with the subject, and fails a message that does not fit', async () => {
    const claims = new InMemoryClaims();
    const audit = new InMemoryAudit();
    const claimId = '4b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a79';
    await claims.create({ ...claimBody, claimId, status: 'RECEIVED', submittedAt: '2024-11-15T10:00:00.000Z', requestHash: 'x' });
    // The scripted sources know nobody: the worker is unknown, and the claim is rejected on it.
    const consumer = createClaimConsumer(() => ({
      claims,
      audit,
      sources: h.deps(trainingLeaveReimbursement)().sources,
      clock: () => new Date('2024-11-15T10:00:00Z'),
    }));
    const event = { Records: [record(JSON.stringify({ claimId }), 'm-1'), record('{"claimId":"not-a-uuid"}', 'm-2'), record('not json', 'm-3')] } as SQSEvent;
    const result = await consumer(event, lambdaContext());
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m-2', 'm-3']);
    expect((await claims.get(claimId))?.status).toBe('DECIDED');
    expect(audit.entries).toEqual([
      expect.objectContaining({
        purpose: 'TRAINING_LEAVE_REIMBURSEMENT',
        deliberation: '19/038',
        actorRole: 'system',
        actorOrganisation: 'DWSE:competenties',
        outcome: 'ALLOWED',
        subjectNiss: '85073003328',
        sources: ['bcssRegisters', 'dimona', 'dmfa', 'trainingDatabase'],
      }),
    ]);
  });

  it('traces a record that fails after its reads were traced as FAILED too', async () => {
    const claims = new InMemoryClaims();
    const audit = new InMemoryAudit();
    const claimId = '6b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a79';
    await claims.create({ ...claimBody, claimId, status: 'RECEIVED', submittedAt: '2024-11-15T10:00:00.000Z', requestHash: 'x' });
    claims.decide = async () => Promise.reject(new Error('table unavailable'));
    const consumer = createClaimConsumer(() => ({
      claims,
      audit,
      sources: h.deps(trainingLeaveReimbursement)().sources,
      clock: () => new Date('2024-11-15T10:00:00Z'),
    }));
    const result = await consumer({ Records: [record(JSON.stringify({ claimId }), 'm-1')] } as SQSEvent, lambdaContext());
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(audit.entries.map((e) => e.outcome)).toEqual(['ALLOWED', 'FAILED']);
  });

  it('decides nothing when the reads cannot be audited: the record fails and is retried', async () => {
    const claims = new InMemoryClaims();
    const claimId = '5b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a79';
    await claims.create({ ...claimBody, claimId, status: 'RECEIVED', submittedAt: '2024-11-15T10:00:00.000Z', requestHash: 'x' });
    const failing = { record: async () => Promise.reject(new Error('audit down')) };
    const consumer = createClaimConsumer(() => ({
      claims,
      audit: failing,
      sources: h.deps(trainingLeaveReimbursement)().sources,
      clock: () => new Date('2024-11-15T10:00:00Z'),
    }));
    const result = await consumer({ Records: [record(JSON.stringify({ claimId }), 'm-1')] } as SQSEvent, lambdaContext());
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect((await claims.get(claimId))?.status).toBe('RECEIVED');
  });
});
