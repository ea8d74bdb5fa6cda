import { inProcessMacs, testPseudonymiser } from '../support/pseudonymiser.js';
import { type MacService, MacUnavailableError, Pseudonymiser } from '../../shared/privacy/pseudonymiser.js';
import { inProcessCipher } from '../support/cipher.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SQSEvent } from 'aws-lambda';
import { createCheckPremiumHandler } from '../../functions/premium-check/check-premium.js';
import { createClaimConsumer } from '../../functions/training-leave/evaluate-claims.js';
import { createGetClaimHandler } from '../../functions/training-leave/get-claim.js';
import { createListClaimsHandler } from '../../functions/training-leave/list-claims.js';
import { createSubmitClaimHandler } from '../../functions/training-leave/submit-claim.js';
import { createWithdrawClaimHandler } from '../../functions/training-leave/withdraw-claim.js';
import {
  withdrawTrainingLeaveClaim,
  checkPremium,
  listTrainingLeaveClaims,
  readTrainingLeaveClaim,
  submitTrainingLeaveClaim,
  trainingLeaveReimbursement,
} from '../../shared/purposes/catalogue.js';
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
  h.audit.disclosureCalls.length = 0;
  h.audit.failDisclosures = false;
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

  it('asks for the content’s digest alongside the worker’s subject hash, not after it, and asks each once', async () => {
    const asked: string[] = [];
    let inFlight = 0;
    let most = 0;
    const pseudonymiser = new Pseudonymiser({
      versions: ['t1'],
      mac: async (version, message) => {
        asked.push(message.slice(0, message.indexOf(':')));
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return inProcessMacs().mac(version, message);
      },
    });
    const claims = new InMemoryClaims(inProcessCipher(), pseudonymiser);
    const handler = createSubmitClaimHandler(() => ({
      ...h.deps(submitTrainingLeaveClaim.purpose)(),
      audit: new InMemoryAudit({ pseudonymiser }),
      claims,
      queue: new InMemoryQueue(),
      pseudonymiser,
    }));
    const response = await handler(httpEvent({ method: 'POST', token: await h.token(EMPLOYER), body: claimBody }), lambdaContext());
    expect(response.statusCode).toBe(202);
    expect(asked.sort()).toEqual(['digest', 'niss']);
    expect(most).toBe(2);
    expect(claims.claims.size).toBe(1);
  });
});

describe('reading a claim', () => {
  it('serves the employer its own undecided claim (status only), and DWSE the whole claim', async () => {
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

describe('listing claims', () => {
  const stored = async () => {
    const claims = new InMemoryClaims();
    const claim = (i: number, employer: string, status: 'RECEIVED' | 'DECIDED', schoolYear = '2024-2025') =>
      claims.create({
        ...claimBody,
        employerEnterpriseNumber: employer,
        schoolYear,
        claimId: `4b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a${String(10 + i)}`,
        status,
        submittedAt: `2024-11-${String(10 + i)}T10:00:00.000Z`,
        requestHash: 'secret',
      });
    await claim(0, '0403170701', 'DECIDED');
    await claim(1, '0202746430', 'RECEIVED');
    await claim(2, '0403170701', 'RECEIVED');
    await claim(3, '0403170701', 'DECIDED', '2025-2026');
    return createListClaimsHandler(() => ({ ...h.deps(listTrainingLeaveClaims.purpose)(), claims }));
  };
  const list = async (handler: Awaited<ReturnType<typeof stored>>, principal: Parameters<Harness['token']>[0], query: Record<string, string> = {}) => {
    const response = await handler(httpEvent({ path: '/v1/training-leave/claims', token: await h.token(principal), query }), lambdaContext());
    return { status: response.statusCode, body: json(response) };
  };

  it('gives an employer its own claims only, newest first, without the worker, in pages', async () => {
    const handler = await stored();
    const first = await list(handler, EMPLOYER, { limit: '2' });
    expect(first.status).toBe(200);
    expect(first.body.items.map((c: { claimId: string }) => c.claimId.slice(-2))).toEqual(['13', '12']);
    expect(first.body.items[0]).not.toHaveProperty('workerNiss');
    expect(first.body.items[0]).not.toHaveProperty('requestHash');
    const second = await list(handler, EMPLOYER, { limit: '2', cursor: first.body.next });
    expect(second.body).toEqual({ items: [expect.objectContaining({ claimId: expect.stringMatching(/10$/) })], next: null });
  });

  it('refuses an employer asking for another employer’s list, and every role the deliberation does not name', async () => {
    const handler = await stored();
    expect((await list(handler, EMPLOYER, { employerEnterpriseNumber: '0202746430' })).status).toBe(403);
    expect((await list(handler, { role: 'citizen', niss: '85073003328' })).status).toBe(403);
    expect((await list(handler, { role: 'actiris' })).status).toBe(403);
    expect((await list(handler, { role: 'dwse', team: 'communicatie' })).status).toBe(403);
  });

  it('gives the DWSE teams all claims, filterable by employer, status and school year, with the worker', async () => {
    const handler = await stored();
    const dwse = { role: 'dwse', team: 'competenties' } as const;
    expect((await list(handler, dwse)).body.items).toHaveLength(4);
    const filtered = await list(handler, dwse, { employerEnterpriseNumber: '0403170701', status: 'DECIDED', schoolYear: '2024-2025' });
    expect(filtered.body.items).toEqual([expect.objectContaining({ claimId: expect.stringMatching(/10$/), workerNiss: '85073003328' })]);
  });

  it('answers 400 naming the field for a limit out of 1–100, an unknown filter or a cursor it did not give', async () => {
    const handler = await stored();
    const queries: Record<string, string>[] = [
      { limit: '0' },
      { limit: '101' },
      { limit: '2.5' },
      { status: 'GONE' },
      { sort: 'asc' },
      { cursor: 'not-a-cursor' },
      { cursor: '' },
    ];
    for (const query of queries) {
      const { status, body } = await list(handler, EMPLOYER, query);
      expect(status, JSON.stringify(query)).toBe(400);
      expect(body.errors?.[0]?.path ?? body.detail, JSON.stringify(query)).toMatch(/query/);
    }
  });
});

describe('listing claims, in the listed workers’ access logs', () => {
  const WORKERS = ['85073003328', '87091520373', '83040440483'];
  // Two claims of the first worker, one of each other, all of one employer.
  const stored = async () => {
    const claims = new InMemoryClaims();
    for (const [i, workerNiss] of [...WORKERS, WORKERS[0]!].entries())
      await claims.create({
        ...claimBody,
        workerNiss,
        claimId: `7b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a${String(10 + i)}`,
        status: 'RECEIVED',
        submittedAt: `2024-11-${String(10 + i)}T10:00:00.000Z`,
        requestHash: 'secret',
      });
    return createListClaimsHandler(() => ({ ...h.deps(listTrainingLeaveClaims.purpose)(), claims }));
  };
  const list = async (principal: Parameters<Harness['token']>[0], query: Record<string, string> = {}) => {
    const handler = await stored();
    const response = await handler(httpEvent({ path: '/v1/training-leave/claims', token: await h.token(principal), query }), lambdaContext());
    return { status: response.statusCode, body: json(response) };
  };
  const disclosures = () => h.audits.filter((a) => 'listed' in a);
  // The claims keep their workers' subject hashes: the disclosures name them by those, computing nothing.
  const hashesOf = (nisses: readonly string[]) => Promise.all(nisses.map((n) => testPseudonymiser().subject(n)));

  it('records one disclosure per distinct worker on a DWSE page, with the request’s fields, beside the request’s own record', async () => {
    const { status, body } = await list({ role: 'dwse', team: 'competenties' });
    expect([status, body.items.length]).toEqual([200, 4]);
    expect(
      disclosures()
        .map((d) => d.subjectHash)
        .sort(),
    ).toEqual((await hashesOf(WORKERS)).sort());
    for (const d of disclosures())
      expect(d).toMatchObject({
        purpose: 'TRAINING_LEAVE_REIMBURSEMENT',
        deliberation: '19/038',
        actorRole: 'dwse',
        actorOrganisation: 'DWSE:competenties',
        outcome: 'ALLOWED',
        status: 200,
      });
    // The request's own record names no one, as before.
    expect(h.audits.filter((a) => !('listed' in a))).toEqual([expect.objectContaining({ outcome: 'ALLOWED', status: 200 })]);
    expect(h.audits.find((a) => !('listed' in a))).not.toHaveProperty('subjectNiss');
    expect(h.audit.disclosureCalls).toHaveLength(1);
  });

  it('records only the workers of the page served, and an employer’s page too, which still shows no worker', async () => {
    const { body } = await list(EMPLOYER, { limit: '2' });
    expect(body.items).toHaveLength(2);
    expect(body.items[0]).not.toHaveProperty('workerNiss');
    expect(JSON.stringify(body)).not.toMatch(/\d{11}/);
    // The newest two: the first worker's second claim and the third worker's.
    expect(
      disclosures()
        .map((d) => d.subjectHash)
        .sort(),
    ).toEqual((await hashesOf([WORKERS[0]!, WORKERS[2]!])).sort());
    expect(disclosures()[0]).toMatchObject({ actorRole: 'employer', actorOrganisation: '0403170701' });
  });

  it('does not serve the page when the disclosures cannot be recorded: 503 AUDIT_UNAVAILABLE, no items', async () => {
    h.audit.failDisclosures = true;
    const { status, body } = await list({ role: 'dwse', team: 'competenties' });
    expect(status).toBe(503);
    expect(body).toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    expect(body).not.toHaveProperty('items');
    expect(h.audits).toEqual([expect.objectContaining({ outcome: 'FAILED', status: 503, code: 'AUDIT_UNAVAILABLE' })]);
  });

  it('records nothing about anyone for a refused list', async () => {
    expect((await list({ role: 'dwse', team: 'communicatie' })).status).toBe(403);
    expect(disclosures()).toEqual([]);
    expect(h.audit.disclosureCalls).toEqual([]);
  });
});

describe('withdrawing a claim', () => {
  const CLAIM_ID = '4b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a80';
  const setUp = async (status: 'RECEIVED' | 'DECIDED') => {
    const claims = new InMemoryClaims();
    await claims.create({ ...claimBody, claimId: CLAIM_ID, status, submittedAt: '2024-11-15T10:00:00.000Z', requestHash: 'secret' });
    const handler = createWithdrawClaimHandler(() => ({ ...h.deps(withdrawTrainingLeaveClaim.purpose)(), claims }));
    const withdraw = async (principal: Parameters<Harness['token']>[0]) => {
      const response = await handler(
        httpEvent({
          method: 'POST',
          path: `/v1/training-leave/claims/${CLAIM_ID}/withdrawal`,
          token: await h.token(principal),
          pathParameters: { claimId: CLAIM_ID },
        }),
        lambdaContext(),
      );
      return { status: response.statusCode, body: json(response) };
    };
    return { claims, withdraw };
  };

  it('lets the employer take back its waiting claim, and answers the same when asked again', async () => {
    const { claims, withdraw } = await setUp('RECEIVED');
    const first = await withdraw(EMPLOYER);
    expect(first).toEqual({ status: 200, body: { claimId: CLAIM_ID, status: 'WITHDRAWN', withdrawnAt: expect.any(String) } });
    expect((await withdraw(EMPLOYER)).body).toEqual(first.body);
    expect((await claims.get(CLAIM_ID))?.status).toBe('WITHDRAWN');
  });

  it('refuses a decided claim with 409, hides another employer’s claim (404) and refuses everyone else (403)', async () => {
    const { claims, withdraw } = await setUp('DECIDED');
    expect((await withdraw(EMPLOYER)).body.code).toBe('CLAIM_ALREADY_DECIDED');
    expect((await withdraw({ role: 'employer', enterpriseNumber: '0202746430' })).status).toBe(404);
    expect((await withdraw({ role: 'dwse', team: 'competenties' })).status).toBe(403);
    expect((await withdraw({ role: 'citizen', niss: '85073003328' })).status).toBe(403);
    expect((await claims.get(CLAIM_ID))?.status).toBe('DECIDED');
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
      declared: { daysWorked: 20, assimilatedDays: 3, grossSalary: '2500.00', amountClaimed: '1168.75', regularStaffFte: '10.00' },
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

  it('a month whose DMFA is not due on the Belgian day of the check: INCOMPLETE, not declared yet, DMFA not read', async () => {
    h.sourceAnswers.set('/reference-directory/registrations/84050550577', {
      status: 200,
      body: { niss: '84050550577', registeredBy: 'ACTIRIS', qualityCode: '001' },
    });
    h.sourceAnswers.set('/dmfa/worker-lines', { status: 200, body: { items: [] } });
    h.sourceAnswers.set('/dmfa/employer-aggregates', { status: 200, body: { items: [] } });
    const at = (instant: string) =>
      createCheckPremiumHandler(() => ({
        ...h.deps(checkPremium.purpose)(),
        clock: () => new Date(instant),
        checks: new InMemoryPremiumChecks(),
        pseudonymiser: testPseudonymiser(),
      }));
    const body = {
      scheme: 'ACS',
      employerEnterpriseNumber: '0403170701',
      workerNiss: '84050550577',
      hiringDate: '2025-06-01',
      month: '2026-03',
      declared: {
        daysWorked: 20,
        assimilatedDays: 2,
        grossSalary: '2500.00',
        grantedMonthlyPremium: '1500.00',
        exemptionClaimed: false,
        regularStaffFte: '10.00',
      },
    };
    const token = await h.token({ role: 'actiris' });
    const ask = (instant: string) => at(instant)(httpEvent({ method: 'POST', token, body, headers: { 'accept-language': 'nl' } }), lambdaContext());
    h.sourceHits.length = 0;
    // 22:59 in Brussels on 30 April 2026, the deadline of Q1: not due yet.
    const before = await ask('2026-04-30T20:59:00Z');
    expect(before.headers?.['content-language']).toBe('nl');
    expect(json(before)).toMatchObject({
      outcome: 'INCOMPLETE',
      premium: { due: null, employerShare: null, paidByRegion: null },
      findings: [{ check: 'DMFA_DUE', outcome: 'NOT_DUE_YET', title: 'DmfA van de maand aangegeven', found: '2026-04-30' }],
    });
    expect(h.sourceHits.filter((path) => path.startsWith('/dmfa'))).toEqual([]);
    // 00:30 in Brussels on 1 May 2026 (22:30 UTC the day before): due, DMFA read, the missing occupation a failure.
    const after = await ask('2026-04-30T22:30:00Z');
    expect(json(after).outcome).toBe('NON_CONFORM');
    expect(h.sourceHits.filter((path) => path.startsWith('/dmfa')).length).toBeGreaterThan(0);
  });

  it('answers 503 before reading any source when the subject cannot be pseudonymised (KMS down)', async () => {
    h.sourceHits.length = 0;
    const audits: unknown[] = [];
    const kmsDown = {
      record: async (entry: unknown) => void audits.push(entry),
      recordDisclosures: async () => {},
      prepare: async () => {
        throw new MacUnavailableError('KMS GenerateMac failed for key version v1: ThrottlingException');
      },
    };
    const handler = createCheckPremiumHandler(() => ({
      ...h.deps(checkPremium.purpose)(),
      audit: kmsDown,
      checks: new InMemoryPremiumChecks(),
      pseudonymiser: testPseudonymiser(),
    }));
    const response = await handler(
      httpEvent({
        method: 'POST',
        token: await h.token({ role: 'actiris' }),
        body: {
          scheme: 'PTP',
          employerEnterpriseNumber: '0403170701',
          workerNiss: '84050550577',
          hiringDate: '2023-06-01',
          month: '2024-05',
          declared: {
            daysWorked: 20,
            assimilatedDays: 3,
            grossSalary: '2500.00',
            amountClaimed: '1168.75',
            regularStaffFte: '10.00',
          },
        },
      }),
      lambdaContext(),
    );
    expect(response.statusCode).toBe(503);
    expect(json(response).code).toBe('PSEUDONYMISATION_UNAVAILABLE');
    expect(response.headers?.['retry-after']).toBe('5');
    // Not even the reference directory (the gate) was asked.
    expect(h.sourceHits).toEqual([]);
    expect(audits).toEqual([expect.objectContaining({ outcome: 'FAILED' })]);
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

  it('takes the subject hash the claim keeps instead of asking the MAC service again; after a rotation asks for the current key’s only', async () => {
    const calls: string[] = [];
    const macs = (keys: Record<string, string>): MacService => ({
      versions: Object.keys(keys),
      mac: async (version, message) => {
        calls.push(`${version}:${message.slice(0, 5)}`);
        return inProcessMacs(keys).mac(version, message);
      },
    });
    const cipher = inProcessCipher();
    const state = { claims: new Map(), ledger: new Map() };
    const submittedUnder = new Pseudonymiser(macs({ v1: 'k1' }));
    const submitted = new InMemoryClaims(cipher, submittedUnder, state);
    const decide = async (keys: Record<string, string>, claimId: string) => {
      await submitted.create({ ...claimBody, claimId, status: 'RECEIVED', submittedAt: '2024-11-15T10:00:00.000Z', requestHash: 'x' });
      calls.length = 0;
      const pseudonymiser = new Pseudonymiser(macs(keys));
      const audit = new InMemoryAudit({ pseudonymiser });
      const consumer = createClaimConsumer(() => ({
        claims: new InMemoryClaims(cipher, pseudonymiser, state),
        audit,
        sources: h.deps(trainingLeaveReimbursement)().sources,
        clock: () => new Date('2024-11-15T10:00:00Z'),
      }));
      const result = await consumer({ Records: [record(JSON.stringify({ claimId }), 'm-1')] } as SQSEvent, lambdaContext());
      expect(result.batchItemFailures).toEqual([]);
      return { subjectHash: audit.rows[0]?.subjectHash, kept: state.claims.get(claimId)!.workerSubject };
    };
    // The same key: the audit record and the ledger's keys rest on the claim's hash, no MAC asked.
    const same = await decide({ v1: 'k1' }, '7b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a79');
    expect(calls).toEqual([]);
    expect(same.subjectHash).toBe(same.kept);
    // v2 current since the submission: the audit record is under v2 (asked once), the v1 ledger keys come from the claim.
    const rotated = await decide({ v2: 'k2', v1: 'k1' }, '8b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a79');
    expect(calls).toEqual(['v2:niss:']);
    expect(rotated.subjectHash).toMatch(/^v2:/);
    expect(rotated.kept).toMatch(/^v1:/);
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
