import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { targetClients } from '../support/aws.js';
import { isContainerTarget, targetValue } from '../support/target.js';
import { REASON_CODES } from '../../shared/domain/training-leave/evaluate.js';
import type { ClaimBody } from '../../shared/purposes/training-leave.js';
import { api, clientFor, tokenFor } from '../support/tokens.js';

// Flemish training-leave claims over HTTP: submit, the local SQS trigger runs the consumer,
// read the decision. The synthetic scenarios (local/fake-sources/README.md) cover every
// reason code; the local cloud runs on LOCAL_CLOCK = 2024-11-15 (test/support/start-cloud.ts).
const EMPLOYER = '0403170701';
const PUBLIC_EMPLOYER = '0202746430';
const OTHER_EMPLOYER = '0876543270';
const { sqs } = targetClients();
afterAll(() => sqs.destroy());

type Body = Record<string, unknown>;
const claim = (workerNiss: string, over: Body = {}): Body => ({
  employerEnterpriseNumber: EMPLOYER,
  workerNiss,
  schoolYear: '2024-2025',
  training: { id: 'ODB-12345', startDate: '2024-10-01', endDate: '2025-03-31' },
  hoursByMonth: { '2024-10': 8, '2024-11': 12 },
  ...over,
});

// Through the typed client (shared/client); a body the contract refuses is sent as is, to see the API refuse it too.
const submit = async (body: Body, headers: { 'idempotency-key'?: string } = {}) => {
  const client = await clientFor({ role: 'employer', enterpriseNumber: body.employerEnterpriseNumber as string });
  const { data, error, response } = await client.POST('/v1/training-leave/claims', { body: body as ClaimBody, params: { header: headers } });
  return { response, body: (data ?? error) as any };
};

const DWSE = { role: 'dwse', team: 'competenties' } as const;
const read = async (claimId: string, principal: Parameters<typeof tokenFor>[0] = DWSE, language?: string) => {
  const client = await clientFor(principal, language ? { language } : {});
  const { data, error, response } = await client.GET('/v1/training-leave/claims/{claimId}', { params: { path: { claimId } } });
  return { response, body: (data ?? error) as any };
};

/** Reads until the consumer has decided (bounded by a count of polls, not by a clock assertion). */
const decided = async (claimId: string) => {
  for (let i = 0; i < 120; i++) {
    const { body } = await read(claimId);
    if (body.status === 'DECIDED') return body;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`claim ${claimId} was not decided after 120 polls`);
};

const SCENARIOS: [string, Body, string, number, string[]][] = [
  ['the example claim', claim('85073003328'), 'APPROVED', 20, []],
  [
    '60 % part-timer claiming 80 h (maximum 75 h)',
    claim('80010110104', { training: { id: 'ODB-20001', startDate: '2024-10-01', endDate: '2025-03-31' }, hoursByMonth: { '2024-10': 40, '2024-11': 40 } }),
    'PARTIALLY_APPROVED',
    75,
    ['MAXIMUM_HOURS_EXCEEDED'],
  ],
  ['40 % in March, 50 % when the training starts', claim('81020220295', { hoursByMonth: { '2024-10': 10, '2024-11': 10 } }), 'APPROVED', 20, []],
  ['30 % occupation', claim('79030330326'), 'REJECTED', 0, ['OCCUPATION_BELOW_MINIMUM']],
  ['a worker unknown to the BCSS registers', claim('83040440483'), 'REJECTED', 0, ['WORKER_UNKNOWN']],
  ['10 h declared under code 5 for 20 claimed', claim('84050550577'), 'PARTIALLY_APPROVED', 10, ['HOURS_NOT_DECLARED_IN_DMFA']],
  ['5 of 40 contact hours attended', claim('87060660616'), 'REJECTED', 0, ['NOT_ATTENDED']],
  [
    'a worker with two employers (50 % + 30 %)',
    claim('89070770731', { training: { id: 'ODB-20001', startDate: '2024-10-01', endDate: '2025-03-31' }, hoursByMonth: { '2024-10': 50, '2024-11': 50 } }),
    'APPROVED',
    100,
    [],
  ],
  [
    'a claim filed too late',
    claim('92080880867', {
      schoolYear: '2023-2024',
      training: { id: 'ODB-12345', startDate: '2024-03-01', endDate: '2024-06-30' },
      hoursByMonth: { '2024-03': 10 },
    }),
    'REJECTED',
    0,
    ['CLAIM_TOO_LATE'],
  ],
  [
    'a training before the regime',
    claim('93090990961', {
      schoolYear: '2018-2019',
      training: { id: 'ODB-12345', startDate: '2019-01-07', endDate: '2019-06-28' },
      hoursByMonth: { '2019-02': 10 },
    }),
    'REJECTED',
    0,
    ['BEFORE_REGIME_START'],
  ],
  ['a worker who died mid-training', claim('69030408207', { hoursByMonth: { '2024-12': 10, '2025-02': 10 } }), 'PARTIALLY_APPROVED', 10, ['WORKER_DECEASED']],
  ['no DIMONA employment with the employer', claim('75092106174'), 'REJECTED', 0, ['NO_EMPLOYMENT_WITH_EMPLOYER']],
  ['a public-sector worker line', claim('78021511718', { employerEnterpriseNumber: PUBLIC_EMPLOYER }), 'REJECTED', 0, ['NOT_PRIVATE_SECTOR']],
  ['a local unit in Brussels', claim('91011715490'), 'REJECTED', 0, ['WORKPLACE_NOT_IN_FLANDERS']],
  [
    'a training not in the training database',
    claim('82061119872', { training: { id: 'ODB-99999', startDate: '2024-10-01', endDate: '2025-03-31' } }),
    'REJECTED',
    0,
    ['TRAINING_NOT_RECOGNISED'],
  ],
];

describe('training-leave claims over HTTP', () => {
  it('the scenarios, with the ledger reproductions below, cover every reason code', () => {
    const ledgerCodes = ['TRAINING_HOURS_ALREADY_REIMBURSED', 'QUARTER_HOURS_ALREADY_REIMBURSED'];
    expect(new Set([...SCENARIOS.flatMap(([, , , , codes]) => codes), ...ledgerCodes])).toEqual(new Set(REASON_CODES));
  });

  it.each(SCENARIOS)('%s → %s, %i h', async (_name, body, outcome, approvedHours, codes) => {
    const submitted = await submit(body);
    expect(submitted.response.status).toBe(202);
    expect(submitted.body).toEqual({ claimId: expect.any(String), status: 'RECEIVED' });
    const claimRead = await decided(submitted.body.claimId);
    expect(claimRead.decision).toMatchObject({ outcome, approvedHours });
    expect(claimRead.decision.reasons.filter((r: { code?: string }) => r.code).map((r: { code: string }) => r.code)).toEqual(codes);
  });

  it('shows the decision to each DWSE team, its outcome only to the claiming employer, and nothing to another employer', async () => {
    const { body } = await submit(claim('90022830580', { hoursByMonth: { '2024-11': 2 } }));
    const full = await decided(body.claimId);
    expect(full).toMatchObject({
      workerNiss: '90022830580',
      schoolYear: '2024-2025',
      decision: { outcome: 'APPROVED', amount: '42.60', reasons: expect.any(Array), figures: { hourlyForfait: '21.30' } },
    });
    expect(full).not.toHaveProperty('requestHash');
    for (const team of ['inspectie', 'geldboetes']) expect((await read(body.claimId, { role: 'dwse', team })).response.status).toBe(200);
    const own = await read(body.claimId, { role: 'employer', enterpriseNumber: EMPLOYER });
    expect(own.body).toEqual({
      claimId: body.claimId,
      status: 'DECIDED',
      decision: { outcome: 'APPROVED', final: true, approvedHours: 2, amount: '42.60', decidedAt: expect.any(String), reasons: expect.any(Array) },
    });
    const other = await read(body.claimId, { role: 'employer', enterpriseNumber: OTHER_EMPLOYER });
    const missing = await read('0b1d2a3c-4e5f-4a6b-8c7d-9e0f1a2b3c4d', { role: 'employer', enterpriseNumber: OTHER_EMPLOYER });
    expect(other.response.status).toBe(404);
    // Indistinguishable from a claim that does not exist.
    expect({ ...other.body, instance: undefined }).toEqual({ ...missing.body, instance: undefined });
  });

  it('gives the claiming employer the reasons of its decision in the language it asks (Dutch by default), in its phrasing; DWSE the full reasons', async () => {
    // 89070770731 works 50 % for the claiming employer and 30 % for another one (0412345614).
    const { body } = await submit(
      claim('89070770731', { training: { id: 'ODB-20001', startDate: '2024-10-01', endDate: '2025-03-31' }, hoursByMonth: { '2024-10': 1 } }),
      { 'idempotency-key': 'e2e-reasons-in-the-reader-language' },
    );
    await decided(body.claimId);
    type Reason = { rule: string; outcome: string; code?: string; paragraph: string; title: string; detail: string };
    const reasonsFor = async (principal: Parameters<typeof tokenFor>[0], language?: string) => {
      const { response, body: answer } = await read(body.claimId, principal, language);
      expect(response.status).toBe(200);
      return answer.decision.reasons as Reason[];
    };
    const employer = { role: 'employer', enterpriseNumber: EMPLOYER } as const;
    const nl = await reasonsFor(employer, 'nl');
    const byDefault = await reasonsFor(employer);
    const fr = await reasonsFor(employer, 'fr');
    expect(byDefault).toEqual(nl);
    for (const reason of nl)
      expect(Object.keys(reason).sort()).toEqual(['detail', 'outcome', 'paragraph', 'rule', 'title', ...(reason.code ? ['code'] : [])].sort());
    const rule = (reasons: Reason[], id: string) => reasons.find((r) => r.rule === id)!;
    expect(rule(nl, 'FILING_DEADLINE')).toMatchObject({ outcome: 'PASSED', paragraph: 'BVR 21 Dec 2018 · B11', title: 'Indieningstermijn' });
    expect(rule(nl, 'FILING_DEADLINE').detail).toMatch(/^Ingediend op \d{2}\/\d{2}\/\d{4}, vóór de uiterste datum van 01\/01\/2025\.$/);
    expect(rule(fr, 'FILING_DEADLINE')).toMatchObject({ title: "Délai d'introduction", detail: expect.stringMatching(/^Introduite le .*01\/01\/2025\)\.$/) });
    expect(rule(fr, 'WORKPLACE').detail).toBe("L'unité d'établissement est située en Région flamande.");
    // The occupation sums both employers (80 %): the employer reads that it meets the minimum, not the figures, nor the other employer.
    expect(rule(nl, 'OCCUPATION').detail).toBe('De tewerkstelling in de referentiemaand maart 2024 haalt het minimum van 50 %.');
    for (const reason of [...nl, ...fr]) expect(JSON.stringify(reason)).not.toMatch(/0412345614|0412\.345\.614|89070770731|80 %|30 %/);
    // DWSE keeps the full reasons: the occupation with every employer.
    const dwse = await reasonsFor(DWSE, 'fr');
    expect(rule(dwse, 'OCCUPATION').detail).toBe('Occupation de 80 % (30,4 h par semaine) au mois de référence (mars 2024).');
    expect(dwse.map((r) => r.rule)).toEqual(nl.map((r) => r.rule));
  });

  it('a claim for a training still running is decided provisionally (not rejected on the attendance share), listed, and can be withdrawn', async () => {
    // 88050512358 attended 20 of the 120 contact hours of ODB-40001 (October to June); the scenario day is 2024-11-15.
    const { body } = await submit(
      claim('88050512358', { training: { id: 'ODB-40001', startDate: '2024-10-01', endDate: '2025-06-30' }, hoursByMonth: { '2024-10': 10, '2024-11': 10 } }),
    );
    const full = await decided(body.claimId);
    expect(full.decision).toMatchObject({ outcome: 'APPROVED', approvedHours: 20, final: false });
    const inEnglish = (await read(body.claimId, DWSE, 'en')).body;
    expect(inEnglish.decision.reasons.find((r: { rule: string }) => r.rule === 'ATTENDANCE').detail).toMatch(
      /judged when the training has ended \(30\/06\/2025\)/,
    );
    const employer = { role: 'employer', enterpriseNumber: EMPLOYER } as const;
    const listed = await api('/v1/training-leave/claims?status=DECIDED&limit=100', { token: await tokenFor(employer) });
    const items = ((await listed.json()) as { items: { claimId: string; decision?: { final: boolean } }[] }).items;
    expect(items.find((c) => c.claimId === body.claimId)).toMatchObject({ status: 'DECIDED', decision: { final: false, approvedHours: 20 } });
    const withdrawal = await api(`/v1/training-leave/claims/${body.claimId}/withdrawal`, { method: 'POST', token: await tokenFor(employer) });
    expect(withdrawal.status).toBe(200);
    expect(await withdrawal.json()).toEqual({ claimId: body.claimId, status: 'WITHDRAWN', withdrawnAt: expect.any(String) });
    // No decision left that a payment could act on; the provisional one is kept as a correction.
    const after = (await read(body.claimId)).body;
    expect(after).toMatchObject({
      status: 'WITHDRAWN',
      corrections: [{ reason: expect.stringMatching(/^Ingetrokken door de werkgever/), previous: { outcome: 'APPROVED', approvedHours: 20 } }],
    });
    expect(after).not.toHaveProperty('decision');
  });

  it('refiling with a withdrawn claim’s Idempotency-Key answers 409 CLAIM_WITHDRAWN naming it, and queues nothing; a new key files anew', async () => {
    const key = `e2e-withdrawn-${Date.now()}`;
    // A school year with no published figures: the claim waits (never decided), so it can be withdrawn.
    const body = claim('85073003328', {
      schoolYear: '2026-2027',
      training: { id: 'ODB-12345', startDate: '2026-10-01', endDate: '2027-03-31' },
      hoursByMonth: { '2026-10': 2 },
    });
    const first = await submit(body, { 'idempotency-key': key });
    expect(first.response.status).toBe(202);
    const employer = { role: 'employer', enterpriseNumber: EMPLOYER } as const;
    const withdrawal = await api(`/v1/training-leave/claims/${first.body.claimId}/withdrawal`, { method: 'POST', token: await tokenFor(employer) });
    expect(withdrawal.status).toBe(200);
    const again = await submit(body, { 'idempotency-key': key });
    expect([again.response.status, again.response.headers.get('content-type'), again.body.code, again.body.claimId]).toEqual([
      409,
      'application/problem+json',
      'CLAIM_WITHDRAWN',
      first.body.claimId,
    ]);
    expect(again.body.detail).toMatch(/nieuwe Idempotency-Key/); // Dutch: the routes' default language
    const anew = await submit(body, { 'idempotency-key': `${key}-2` });
    expect(anew.response.status).toBe(202);
    expect(anew.body.claimId).not.toBe(first.body.claimId);
    await api(`/v1/training-leave/claims/${anew.body.claimId}/withdrawal`, { method: 'POST', token: await tokenFor(employer) });
  });

  it('the same submission twice makes one claim: same content, or same Idempotency-Key', async () => {
    const body = claim('85073003328', { hoursByMonth: { '2024-10': 4 } });
    const [first, second] = [await submit(body), await submit(body)];
    expect(second.body.claimId).toBe(first.body.claimId);
    const keyed = { 'idempotency-key': `e2e-${Date.now()}` };
    const [a, b] = [
      await submit(claim('85073003328', { hoursByMonth: { '2024-10': 3 } }), keyed),
      await submit(claim('85073003328', { hoursByMonth: { '2024-10': 3 } }), keyed),
    ];
    expect(b.body.claimId).toBe(a.body.claimId);
    expect(a.body.claimId).not.toBe(first.body.claimId);
    const reused = await submit(claim('85073003328', { hoursByMonth: { '2024-10': 5 } }), keyed);
    expect(reused.response.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('refuses, at the edge, hours outside the school year or the training, naming the field', async () => {
    const { response, body } = await submit(claim('85073003328', { hoursByMonth: { '2025-09': 4, '2024-09': 2 } }));
    expect(response.status).toBe(400);
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { path: 'body.hoursByMonth.2025-09', message: expect.stringContaining('outside school year 2024-2025') },
        { path: 'body.hoursByMonth.2024-09', message: expect.stringContaining('outside the training') },
      ]),
    );
  });

  it('refuses hours that are not half hours, however small, with a 400 naming the field (issue reproduction)', async () => {
    for (const value of [1e-100, 1e-152, 5e-324, 0.25, 0, -1, 0.5000000000000001, 126]) {
      const { response, body } = await submit(claim('87091520373', { hoursByMonth: { '2024-10': value } }));
      expect(response.status, String(value)).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(body.errors.map((e: { path: string }) => e.path)).toEqual(['body.hoursByMonth.2024-10']);
    }
    const total = await submit(claim('87091520373', { hoursByMonth: { '2024-10': 100, '2024-11': 100 } }));
    expect(total.response.status).toBe(400);
    expect(total.body.errors).toEqual([{ path: 'body.hoursByMonth', message: expect.stringContaining('at most 125 hours in all') }]);
  });

  it('pays the same hours once: four identical claims with new keys, each decided before the next (issue reproduction)', async () => {
    // 87091520373 attended 20 h of ODB-12345 and 20 h are declared under code 5 in 2024-Q4.
    const outcomes = [];
    for (let i = 0; i < 4; i++) {
      const { body } = await submit(claim('87091520373'), { 'idempotency-key': `paid-once-${i}-${Date.now()}` });
      outcomes.push((await decided(body.claimId)).decision);
    }
    expect(outcomes.map((d) => d.approvedHours)).toEqual([20, 0, 0, 0]);
    for (const d of outcomes.slice(1)) {
      expect(d).toMatchObject({ outcome: 'REJECTED', amount: '0.00' });
      // The quarter's code-5 hours are the first bound the claim meets, and they are used up.
      expect(d.reasons.filter((r: { code?: string }) => r.code).map((r: { code: string }) => r.code)).toEqual(['QUARTER_HOURS_ALREADY_REIMBURSED']);
    }
  });

  it('a second claim for the same training gets only what is left of the hours attended, and a claim for another training what is left of the quarter', async () => {
    // 90022830580 attended 40 h of ODB-12345 and 60 h of ODB-20001; 50 h declared under code 5 in 2024-Q4.
    // 2 h of ODB-12345 were approved above (the decision views); 38 h are left of it.
    const codes = (d: { reasons: { code?: string }[] }) => d.reasons.filter((r) => r.code).map((r) => r.code);
    const first = await decided((await submit(claim('90022830580', { hoursByMonth: { '2024-10': 20, '2024-11': 18 } }))).body.claimId);
    expect(first.decision).toMatchObject({ outcome: 'APPROVED', approvedHours: 38 });
    const again = await decided((await submit(claim('90022830580', { hoursByMonth: { '2024-12': 6 } }))).body.claimId);
    expect(again.decision).toMatchObject({ outcome: 'REJECTED', approvedHours: 0 });
    expect(codes(again.decision)).toEqual(['TRAINING_HOURS_ALREADY_REIMBURSED']);
    const other = await decided(
      (await submit(claim('90022830580', { training: { id: 'ODB-20001', startDate: '2024-10-01', endDate: '2025-03-31' }, hoursByMonth: { '2024-12': 30 } })))
        .body.claimId,
    );
    expect(other.decision).toMatchObject({ outcome: 'PARTIALLY_APPROVED', approvedHours: 10 });
    expect(codes(other.decision)).toEqual(['QUARTER_HOURS_ALREADY_REIMBURSED']);
  });

  it('holds the personal maximum: ten claims of 50 h at once for a worker whose maximum is 100 h (issue reproduction)', async () => {
    // 86041210115: 80 % (125 h × 80 % = 100 h), attended 500 h of ODB-30001, 250 h declared in 2024-Q4.
    const body = claim('86041210115', {
      training: { id: 'ODB-30001', startDate: '2024-10-01', endDate: '2025-06-30' },
      hoursByMonth: { '2024-10': 25, '2024-11': 25 },
    });
    const submitted = await Promise.all(Array.from({ length: 10 }, (_, i) => submit(body, { 'idempotency-key': `maximum-${i}-${Date.now()}` })));
    expect(new Set(submitted.map((s) => s.body.claimId)).size).toBe(10);
    const decisions = await Promise.all(submitted.map(async (s) => (await decided(s.body.claimId)).decision));
    expect(decisions.reduce((sum, d) => sum + d.approvedHours, 0)).toBe(100);
    expect(decisions.filter((d) => d.approvedHours === 0)).toHaveLength(8);
  });

  it('a claim for a school year without published figures is accepted and shows its employer and DWSE why it waits, in their language; never decided on a guess, never dead-lettered', async () => {
    const employer = { role: 'employer', enterpriseNumber: EMPLOYER } as const;
    const dwse = { role: 'dwse', team: 'competenties' } as const;
    const { response, body } = await submit(
      claim('85073003328', {
        schoolYear: '2026-2027',
        training: { id: 'ODB-12345', startDate: '2026-10-01', endDate: '2027-03-31' },
        hoursByMonth: { '2026-10': 6 },
      }),
      { 'idempotency-key': `e2e-waiting-${Date.now()}` },
    );
    expect([response.status, body.status]).toEqual([202, 'RECEIVED']);
    const readIn = async (principal: Parameters<typeof tokenFor>[0], language: string) => {
      const client = await clientFor(principal, { language });
      const { data, error, response: answer } = await client.GET('/v1/training-leave/claims/{claimId}', { params: { path: { claimId: body.claimId } } });
      return { language: answer.headers.get('content-language'), body: (data ?? error) as any };
    };
    // Until the consumer has taken the message (bounded by a count of polls, not by a clock assertion).
    let seen = await readIn(employer, 'nl');
    for (let i = 0; i < 120 && !seen.body.waitingFor; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      seen = await readIn(employer, 'nl');
    }
    expect(seen.language).toBe('nl');
    expect(seen.body).toEqual({
      claimId: body.claimId,
      status: 'RECEIVED',
      waitingFor: {
        code: 'SCHOOL_YEAR_FIGURES_NOT_PUBLISHED',
        title: 'Wacht op de cijfers van het schooljaar',
        detail: expect.stringMatching(
          /^De regels en bedragen van het Vlaams opleidingsverlof voor schooljaar 2026-2027 zijn nog niet gepubliceerd\..*Volgende poging: \d\d\/\d\d\/\d{4} \d\d:\d\d\.$/,
        ),
        schoolYear: '2026-2027',
        since: expect.any(String),
        nextAttemptAt: expect.any(String),
      },
    });
    // Back-off: the next attempt is an hour after the first.
    expect(Date.parse(seen.body.waitingFor.nextAttemptAt) - Date.parse(seen.body.waitingFor.since)).toBe(3_600_000);
    const asDwse = await readIn(dwse, 'fr-BE,fr;q=0.9');
    expect(asDwse.language).toBe('fr');
    expect(asDwse.body).toMatchObject({
      status: 'RECEIVED',
      workerNiss: '85073003328',
      waitingFor: { code: 'SCHOOL_YEAR_FIGURES_NOT_PUBLISHED', title: 'En attente des chiffres de l’année scolaire', schoolYear: '2026-2027' },
    });
    expect(asDwse.body).not.toHaveProperty('decision');
    const listed = await api('/v1/training-leave/claims?status=RECEIVED&schoolYear=2026-2027&limit=100', {
      token: await tokenFor(dwse),
      headers: { 'accept-language': 'en' },
    });
    const items = ((await listed.json()) as { items: { claimId: string; waitingFor?: { title: string } }[] }).items;
    expect(items.find((c) => c.claimId === body.claimId)?.waitingFor?.title).toBe('Waiting for the school year’s figures');
    // Still withdrawable, as any claim not decided.
    const withdrawal = await api(`/v1/training-leave/claims/${body.claimId}/withdrawal`, { method: 'POST', token: await tokenFor(employer) });
    expect(withdrawal.status).toBe(200);
    expect((await readIn(employer, 'en')).body).toEqual({ claimId: body.claimId, status: 'WITHDRAWN', withdrawnAt: expect.any(String) });
  });

  // The dead-letter queue is SQS's here (the container's is pg-boss's: test/integration/container.test.ts).
  it.skipIf(isContainerTarget())('a claim waiting for its school year’s figures is not dead-lettered', async () => {
    const dlq = targetValue('CLAIM_DLQ_URL');
    const count = async () =>
      Number(
        (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes!
          .ApproximateNumberOfMessages,
      );
    const before = await count();
    const { body } = await submit(
      claim('85073003328', {
        schoolYear: '2026-2027',
        training: { id: 'ODB-12345', startDate: '2026-10-01', endDate: '2027-03-31' },
        hoursByMonth: { '2026-10': 7 },
      }),
    );
    for (let i = 0; i < 120 && !(await read(body.claimId)).body.waitingFor; i++) await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await read(body.claimId)).body).toMatchObject({ status: 'RECEIVED', waitingFor: { code: 'SCHOOL_YEAR_FIGURES_NOT_PUBLISHED' } });
    expect(await count()).toBe(before);
  });
});
