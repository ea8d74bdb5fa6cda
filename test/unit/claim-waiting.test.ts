import type { SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClaimConsumer } from '../../functions/training-leave/evaluate-claims.js';
import { createGetClaimHandler } from '../../functions/training-leave/get-claim.js';
import { createListClaimsHandler } from '../../functions/training-leave/list-claims.js';
import { createSubmitClaimHandler } from '../../functions/training-leave/submit-claim.js';
import { sweepWaitingClaims } from '../../functions/training-leave/sweep-waiting-claims.js';
import { createWithdrawClaimHandler } from '../../functions/training-leave/withdraw-claim.js';
import type { RuleRow } from '../../shared/domain/effective-dated.js';
import type { Claim } from '../../shared/domain/training-leave/ports.js';
import { SCHOOL_YEAR_PARAMETERS, type SchoolYearParameters } from '../../shared/domain/training-leave/rules.js';
import { figuresPublished, formatInstant, nextWait, presentWait, retryDelayMs } from '../../shared/domain/training-leave/waiting.js';
import {
  listTrainingLeaveClaims,
  readTrainingLeaveClaim,
  submitTrainingLeaveClaim,
  trainingLeaveReimbursement,
  withdrawTrainingLeaveClaim,
} from '../../shared/purposes/catalogue.js';
import { InMemoryAudit, InMemoryClaims, InMemoryQueue } from '../support/fakes.js';
import { lambdaContext, sqsRecord } from '../support/lambda.js';
import { testPseudonymiser } from '../support/pseudonymiser.js';
import { type Harness, httpEvent, startHarness } from '../support/purpose-harness.js';

// The rule table of this file only (vitest isolates each file's modules): a test adds the
// 2026-27 row as a deploy would, and takes it out again.
vi.mock('../../shared/domain/training-leave/rules.js', async (original) => {
  const actual = await original<typeof import('../../shared/domain/training-leave/rules.js')>();
  return { ...actual, SCHOOL_YEAR_PARAMETERS: [...actual.SCHOOL_YEAR_PARAMETERS] };
});
const ROW_2026: RuleRow<SchoolYearParameters> = {
  from: '2026-09-01',
  to: '2027-08-31',
  value: { referenceMonth: 'MARCH_BEFORE_SCHOOL_YEAR', minimumFraction: 0.5, hoursPerYear: 125, hourlyForfait: '21.30', filingDeadlineMonths: 3 },
  source: 'test: the 2026-27 figures, as a deploy would bring them',
};
const publish2026 = () => (SCHOOL_YEAR_PARAMETERS as RuleRow<SchoolYearParameters>[]).push(ROW_2026);
afterEach(() => {
  const table = SCHOOL_YEAR_PARAMETERS as RuleRow<SchoolYearParameters>[];
  const at = table.indexOf(ROW_2026);
  if (at >= 0) table.splice(at, 1);
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const EMPLOYER = { role: 'employer', enterpriseNumber: '0403170701' } as const;
const DWSE = { role: 'dwse', team: 'competenties' } as const;
const CLAIM_ID = '7c6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a79';
// 3 December 2026, 11:00 in Brussels.
const TODAY = new Date('2026-12-03T10:00:00.000Z');
const claim2026: Claim = {
  claimId: CLAIM_ID,
  status: 'RECEIVED',
  submittedAt: '2026-12-03T09:30:00.000Z',
  requestHash: 'x',
  employerEnterpriseNumber: '0403170701',
  workerNiss: '85073003328',
  schoolYear: '2026-2027',
  training: { id: 'ODB-12345', startDate: '2026-10-01', endDate: '2027-03-31' },
  hoursByMonth: { '2026-10': 6 },
};
const json = (response: { body?: string }) => JSON.parse(response.body ?? 'null');

describe('the back-off and the texts of a wait', () => {
  it('waits 1 h, doubling, at most a day', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 30].map((n) => retryDelayMs(n) / 3_600_000)).toEqual([1, 2, 4, 8, 16, 24, 24, 24]);
  });

  it('keeps since when it waits across attempts, and counts them', () => {
    const first = nextWait(undefined, 'SCHOOL_YEAR_FIGURES_NOT_PUBLISHED', TODAY);
    expect(first).toEqual({ code: 'SCHOOL_YEAR_FIGURES_NOT_PUBLISHED', since: TODAY.toISOString(), attempts: 1, nextAttemptAt: '2026-12-03T11:00:00.000Z' });
    const later = new Date('2026-12-03T11:05:00.000Z');
    expect(nextWait(first, 'SCHOOL_YEAR_FIGURES_NOT_PUBLISHED', later)).toEqual({ ...first, attempts: 2, nextAttemptAt: '2026-12-03T13:05:00.000Z' });
  });

  it('says what it waits for in nl, fr and en, with the day and the Brussels time', () => {
    const wait = nextWait(undefined, 'SCHOOL_YEAR_FIGURES_NOT_PUBLISHED', TODAY);
    expect(formatInstant(wait.nextAttemptAt, 'nl')).toBe('03/12/2026 12:00');
    // Past midnight in Brussels, still the day before in UTC.
    expect(formatInstant('2026-12-03T23:30:00.000Z', 'en')).toBe('04/12/2026 00:30');
    const nl = presentWait(wait, '2026-2027', 'nl');
    expect(nl).toEqual({
      code: 'SCHOOL_YEAR_FIGURES_NOT_PUBLISHED',
      title: 'Wacht op de cijfers van het schooljaar',
      detail: expect.stringContaining('schooljaar 2026-2027 zijn nog niet gepubliceerd'),
      schoolYear: '2026-2027',
      since: wait.since,
      nextAttemptAt: wait.nextAttemptAt,
    });
    expect(nl.detail).toContain('sinds 03/12/2026 11:00');
    expect(nl.detail).toContain('Volgende poging: 03/12/2026 12:00.');
    expect(presentWait(wait, '2026-2027', 'fr').detail).toContain('l’année scolaire 2026-2027 ne sont pas encore publiés');
    expect(presentWait(wait, '2026-2027', 'en').detail).toContain('Next attempt: 03/12/2026 12:00.');
    expect(presentWait(wait, '2026-2027', 'de').title).toBe(presentWait(wait, '2026-2027', 'fr').title);
  });

  it('knows which school years have figures, from the rule table', () => {
    expect(figuresPublished('2025-2026')).toBe(true);
    expect(figuresPublished('2026-2027')).toBe(false);
    publish2026();
    expect(figuresPublished('2026-2027')).toBe(true);
  });
});

describe('a claim for a school year without published figures', () => {
  const setup = async () => {
    const claims = new InMemoryClaims();
    const audit = new InMemoryAudit();
    const queue = new InMemoryQueue();
    await claims.create(claim2026);
    let now = TODAY;
    const consumer = createClaimConsumer(() => ({ claims, audit, sources: h.deps(trainingLeaveReimbursement)().sources, clock: () => now }));
    const deliver = async (messageId: string) =>
      consumer({ Records: [sqsRecord(JSON.stringify({ claimId: CLAIM_ID }), messageId)] } as SQSEvent, lambdaContext());
    const sweep = async () => {
      queue.sent.length = 0;
      await sweepWaitingClaims({ claims, queue }, now, 300);
      return [...queue.sent];
    };
    return { claims, audit, deliver, sweep, at: (iso: string) => (now = new Date(iso)) };
  };

  it('is acknowledged, not failed: it stays RECEIVED with what it waits for; no source is read', async () => {
    const { claims, audit, deliver } = await setup();
    h.sourceHits.length = 0;
    expect((await deliver('m-1')).batchItemFailures).toEqual([]);
    expect(await claims.get(CLAIM_ID)).toMatchObject({
      status: 'RECEIVED',
      waitingFor: { code: 'SCHOOL_YEAR_FIGURES_NOT_PUBLISHED', since: TODAY.toISOString(), attempts: 1, nextAttemptAt: '2026-12-03T11:00:00.000Z' },
    });
    expect(audit.entries).toEqual([]);
    expect(h.sourceHits).toEqual([]);
  });

  it('is swept only when its next attempt is due, each attempt doubling the wait', async () => {
    const { claims, deliver, sweep, at } = await setup();
    // A message lost: the claim is swept 5 minutes after its submission, as any claim.
    at('2026-12-03T09:36:00.000Z');
    expect(await sweep()).toEqual([CLAIM_ID]);
    await deliver('m-1');
    const firstNext = (await claims.get(CLAIM_ID))!.waitingFor!.nextAttemptAt;
    expect(firstNext).toBe('2026-12-03T10:36:00.000Z');
    at('2026-12-03T10:30:00.000Z');
    expect(await sweep()).toEqual([]);
    at('2026-12-03T10:40:00.000Z');
    expect(await sweep()).toEqual([CLAIM_ID]);
    await deliver('m-2');
    expect((await claims.get(CLAIM_ID))!.waitingFor).toEqual({
      code: 'SCHOOL_YEAR_FIGURES_NOT_PUBLISHED',
      since: '2026-12-03T09:36:00.000Z',
      attempts: 2,
      nextAttemptAt: '2026-12-03T12:40:00.000Z',
    });
    at('2026-12-03T12:00:00.000Z');
    expect(await sweep()).toEqual([]);
  });

  it('is decided by itself once the school year’s figures land: swept at once, whatever its back-off, and evaluated as any claim', async () => {
    const { claims, audit, deliver, sweep, at } = await setup();
    await deliver('m-1');
    await deliver('m-2');
    at('2026-12-03T10:10:00.000Z');
    expect(await sweep()).toEqual([]);
    publish2026();
    expect(await sweep()).toEqual([CLAIM_ID]);
    expect((await deliver('m-3')).batchItemFailures).toEqual([]);
    const decided = await claims.get(CLAIM_ID);
    // The scripted sources know nobody: decided on what they say, as any claim.
    expect(decided).toMatchObject({ status: 'DECIDED', decision: { outcome: 'REJECTED' } });
    expect(decided).not.toHaveProperty('waitingFor');
    expect(audit.entries.map((e) => e.outcome)).toEqual(['ALLOWED']);
    expect(await sweep()).toEqual([]);
  });

  it('shows its employer and DWSE why it waits, in the negotiated language, in a read and in a list; and it can be withdrawn', async () => {
    const { claims, deliver } = await setup();
    await deliver('m-1');
    const read = createGetClaimHandler(() => ({ ...h.deps(readTrainingLeaveClaim.purpose)(), claims }));
    const get = async (principal: Parameters<Harness['token']>[0], language?: string) =>
      read(
        httpEvent({ token: await h.token(principal), pathParameters: { claimId: CLAIM_ID }, headers: language ? { 'Accept-Language': language } : {} }),
        lambdaContext(),
      );
    const employer = await get(EMPLOYER);
    expect(employer.headers?.['content-language']).toBe('nl');
    expect(json(employer)).toEqual({
      claimId: CLAIM_ID,
      status: 'RECEIVED',
      waitingFor: {
        code: 'SCHOOL_YEAR_FIGURES_NOT_PUBLISHED',
        title: 'Wacht op de cijfers van het schooljaar',
        detail: expect.stringContaining('Volgende poging: 03/12/2026 12:00.'),
        schoolYear: '2026-2027',
        since: TODAY.toISOString(),
        nextAttemptAt: '2026-12-03T11:00:00.000Z',
      },
    });
    const dwse = json(await get(DWSE, 'fr-BE,fr;q=0.9'));
    expect(dwse).toMatchObject({ workerNiss: '85073003328', waitingFor: { title: 'En attente des chiffres de l’année scolaire' } });
    expect(dwse.waitingFor).not.toHaveProperty('attempts');
    const list = createListClaimsHandler(() => ({ ...h.deps(listTrainingLeaveClaims.purpose)(), claims }));
    const listed = await list(
      httpEvent({ path: '/v1/training-leave/claims', token: await h.token(EMPLOYER), headers: { 'Accept-Language': 'en' } }),
      lambdaContext(),
    );
    expect(json(listed).items).toEqual([
      expect.objectContaining({ claimId: CLAIM_ID, waitingFor: expect.objectContaining({ title: 'Waiting for the school year’s figures' }) }),
    ]);
    const withdraw = createWithdrawClaimHandler(() => ({ ...h.deps(withdrawTrainingLeaveClaim.purpose)(), claims }));
    const withdrawn = await withdraw(httpEvent({ method: 'POST', token: await h.token(EMPLOYER), pathParameters: { claimId: CLAIM_ID } }), lambdaContext());
    expect(json(withdrawn)).toMatchObject({ status: 'WITHDRAWN' });
    expect(json(await get(EMPLOYER))).not.toHaveProperty('waitingFor');
    // Withdrawn: a late delivery or a sweep changes nothing.
    await deliver('m-2');
    expect(await claims.get(CLAIM_ID)).toMatchObject({ status: 'WITHDRAWN' });
  });

  it('submitted again, is the same claim: one claim, still waiting, answered 202 RECEIVED', async () => {
    const claims = new InMemoryClaims();
    const queue = new InMemoryQueue();
    const submit = createSubmitClaimHandler(() => ({ ...h.deps(submitTrainingLeaveClaim.purpose)(), claims, queue, pseudonymiser: testPseudonymiser() }));
    const consumer = createClaimConsumer(() => ({
      claims,
      audit: new InMemoryAudit(),
      sources: h.deps(trainingLeaveReimbursement)().sources,
      clock: () => TODAY,
    }));
    const { claimId: _id, status: _status, submittedAt: _at, requestHash: _hash, ...body } = claim2026;
    const event = async () => httpEvent({ method: 'POST', token: await h.token(EMPLOYER), body, headers: { 'Idempotency-Key': 'waiting-twice' } });
    const first = json(await submit(await event(), lambdaContext()));
    await consumer({ Records: [sqsRecord(JSON.stringify({ claimId: first.claimId }), 'm-1')] } as SQSEvent, lambdaContext());
    const again = await submit(await event(), lambdaContext());
    expect([again.statusCode, json(again)]).toEqual([202, { claimId: first.claimId, status: 'RECEIVED' }]);
    expect(claims.claims.size).toBe(1);
    expect(await claims.get(first.claimId)).toMatchObject({ status: 'RECEIVED', waitingFor: { attempts: 1 } });
  });
});
