import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGetClaimHandler } from '../../functions/training-leave/get-claim.js';
import { createListClaimsHandler } from '../../functions/training-leave/list-claims.js';
import { createSubmitClaimHandler } from '../../functions/training-leave/submit-claim.js';
import { createWithdrawClaimHandler } from '../../functions/training-leave/withdraw-claim.js';
import { CipherIntegrityError, CipherUnavailableError, type FieldCipher } from '../../shared/privacy/field-cipher.js';
import { listTrainingLeaveClaims, readTrainingLeaveClaim, submitTrainingLeaveClaim, withdrawTrainingLeaveClaim } from '../../shared/purposes/catalogue.js';
import { inProcessCipher } from '../support/cipher.js';
import { InMemoryClaims, InMemoryQueue } from '../support/fakes.js';
import { lambdaContext } from '../support/lambda.js';
import { type Harness, httpEvent, startHarness } from '../support/purpose-harness.js';
import { testPseudonymiser } from '../support/pseudonymiser.js';

// No NISS at rest in clear (issue 24): the envelope cipher's binding, and who gets a claim's NISS opened.
const NISS = '85073003328';
/** A claim as an employer files it (the body of POST /v1/training-leave/claims). */
const claimBody = (over: Record<string, unknown> = {}) => ({
  employerEnterpriseNumber: '0403170701',
  workerNiss: NISS,
  schoolYear: '2024-2025',
  training: { id: 'ODB-12345', startDate: '2024-10-01', endDate: '2025-03-31' },
  hoursByMonth: { '2024-10': 8 },
  ...over,
});
const context = (itemId: string, over: Partial<{ purpose: string; field: string }> = {}) => ({
  purpose: 'TRAINING_LEAVE_REIMBURSEMENT',
  field: 'workerNiss',
  itemId,
  ...over,
});

describe('the envelope cipher (Encryption SDK, data keys wrapped in process)', () => {
  const cipher = inProcessCipher();

  it('gives back what it sealed, and the sealed text holds no trace of the NISS', async () => {
    const sealed = await cipher.seal(NISS, context('claim-a'));
    expect(sealed).toMatch(/^esdk1:[A-Za-z0-9+/=]+$/);
    expect(sealed).not.toContain(NISS);
    expect(Buffer.from(sealed.slice(6), 'base64').toString('latin1')).not.toContain(NISS);
    expect(await cipher.open(sealed, context('claim-a'))).toBe(NISS);
    // Two seals of the same NISS differ (fresh IV): equal ciphertexts would link two claims of one worker.
    expect(await cipher.seal(NISS, context('claim-a'))).not.toBe(sealed);
  });

  it('refuses a value copied onto another claim, field or purpose', async () => {
    const sealed = await cipher.seal(NISS, context('claim-a'));
    await expect(cipher.open(sealed, context('claim-b'))).rejects.toBeInstanceOf(CipherIntegrityError);
    await expect(cipher.open(sealed, context('claim-a', { field: 'employerNiss' }))).rejects.toBeInstanceOf(CipherIntegrityError);
    await expect(cipher.open(sealed, context('claim-a', { purpose: 'PREMIUM_CHECK' }))).rejects.toBeInstanceOf(CipherIntegrityError);
  });

  it('refuses an altered value, one sealed under another key, and anything that is not a sealed value', async () => {
    const sealed = await cipher.seal(NISS, context('claim-a'));
    const bytes = Buffer.from(sealed.slice(6), 'base64');
    bytes[bytes.length - 40]! ^= 1;
    await expect(cipher.open(`esdk1:${bytes.toString('base64')}`, context('claim-a'))).rejects.toBeInstanceOf(CipherIntegrityError);
    await expect(inProcessCipher().open(sealed, context('claim-a'))).rejects.toBeInstanceOf(CipherIntegrityError);
    await expect(cipher.open(NISS, context('claim-a'))).rejects.toBeInstanceOf(CipherIntegrityError);
  });
});

/** A cipher that counts its opens, and can be made to fail as a key service that is down. */
const watched = () => {
  const inner = inProcessCipher();
  const state = { opens: 0, seals: 0, down: false };
  const cipher: FieldCipher = {
    seal: async (value, ctx) => {
      state.seals++;
      if (state.down) throw new CipherUnavailableError('KMS down (test)');
      return inner.seal(value, ctx);
    },
    open: async (sealed, ctx) => {
      state.opens++;
      if (state.down) throw new CipherUnavailableError('KMS down (test)');
      return inner.open(sealed, ctx);
    },
  };
  return { cipher, state };
};

describe('who gets a claim’s NISS opened', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const EMPLOYER = { role: 'employer', enterpriseNumber: '0403170701' } as const;
  const DWSE = { role: 'dwse', team: 'competenties' } as const;
  const claimId = '4b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a79';
  const json = (response: { body?: string }) => JSON.parse(response.body ?? 'null');
  const stored = async () => {
    const { cipher, state } = watched();
    const claims = new InMemoryClaims(cipher);
    await claims.create({ ...claimBody(), claimId, status: 'RECEIVED', submittedAt: '2024-11-15T10:00:00.000Z', requestHash: 'h' });
    state.seals = 0;
    return { claims, state };
  };

  it('keeps the claim with the worker’s subject hash and the sealed NISS, never the NISS', async () => {
    const { claims } = await stored();
    const kept = claims.claims.get(claimId)!;
    expect(kept).not.toHaveProperty('workerNiss');
    expect(kept.workerSubject).toBe(await testPseudonymiser().subject(NISS));
    expect(JSON.stringify(kept)).not.toContain(NISS);
  });

  it('opens it for DWSE, whose answer carries it, and never for the employer, who is answered without it', async () => {
    const { claims, state } = await stored();
    const read = createGetClaimHandler(() => ({ ...h.deps(readTrainingLeaveClaim.purpose)(), claims }));
    const event = async (principal: Parameters<Harness['token']>[0]) => httpEvent({ token: await h.token(principal), pathParameters: { claimId } });
    const employer = json(await read(await event(EMPLOYER), lambdaContext()));
    expect(state.opens).toBe(0);
    expect(JSON.stringify(employer)).not.toMatch(/workerSubject|workerNissSealed|85073003328/);
    const dwse = json(await read(await event(DWSE), lambdaContext()));
    expect(state.opens).toBe(1);
    expect(dwse.workerNiss).toBe(NISS);
    expect(dwse).not.toHaveProperty('workerNissSealed');
    expect(dwse).not.toHaveProperty('workerSubject');

    const list = createListClaimsHandler(() => ({ ...h.deps(listTrainingLeaveClaims.purpose)(), claims }));
    const listed = async (principal: Parameters<Harness['token']>[0]) =>
      json(await list(httpEvent({ path: '/v1/training-leave/claims', token: await h.token(principal) }), lambdaContext()));
    expect((await listed(EMPLOYER)).items[0]).not.toHaveProperty('workerNiss');
    expect(state.opens).toBe(1);
    expect((await listed(DWSE)).items[0].workerNiss).toBe(NISS);
    expect(state.opens).toBe(2);
  });

  it('answers 503 ENCRYPTION_UNAVAILABLE, never the ciphertext, when the key service is down for a read that needs the NISS', async () => {
    const { claims, state } = await stored();
    state.down = true;
    const read = createGetClaimHandler(() => ({ ...h.deps(readTrainingLeaveClaim.purpose)(), claims }));
    const dwse = await read(httpEvent({ token: await h.token(DWSE), pathParameters: { claimId } }), lambdaContext());
    expect([dwse.statusCode, dwse.headers?.['content-type'], json(dwse).code, dwse.headers?.['retry-after']]).toEqual([
      503,
      'application/problem+json',
      'ENCRYPTION_UNAVAILABLE',
      '5',
    ]);
    expect(dwse.body).not.toMatch(/esdk1:|85073003328/);
    // The employer's answer needs no NISS: it is still served.
    const employer = await read(httpEvent({ token: await h.token(EMPLOYER), pathParameters: { claimId } }), lambdaContext());
    expect(employer.statusCode).toBe(200);
    const list = createListClaimsHandler(() => ({ ...h.deps(listTrainingLeaveClaims.purpose)(), claims }));
    const listed = await list(httpEvent({ path: '/v1/training-leave/claims', token: await h.token(DWSE) }), lambdaContext());
    expect([listed.statusCode, json(listed).code]).toEqual([503, 'ENCRYPTION_UNAVAILABLE']);
  });

  it('accepts no submission half-written when the key service is down: 503, nothing stored, nothing queued', async () => {
    const { cipher, state } = watched();
    state.down = true;
    const claims = new InMemoryClaims(cipher);
    const queue = new InMemoryQueue();
    const submit = createSubmitClaimHandler(() => ({ ...h.deps(submitTrainingLeaveClaim.purpose)(), claims, queue, pseudonymiser: testPseudonymiser() }));
    const response = await submit(httpEvent({ method: 'POST', token: await h.token(EMPLOYER), body: claimBody() }), lambdaContext());
    expect([response.statusCode, json(response).code]).toEqual([503, 'ENCRYPTION_UNAVAILABLE']);
    expect([claims.claims.size, queue.sent.length]).toEqual([0, 0]);
    // The same request once the key service is back makes the claim.
    state.down = false;
    const again = await submit(httpEvent({ method: 'POST', token: await h.token(EMPLOYER), body: claimBody() }), lambdaContext());
    expect([again.statusCode, claims.claims.size, queue.sent.length]).toEqual([202, 1, 1]);
  });
});

describe('a bad item and a bad field', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('lists a claim whose sealed NISS does not open without it, and the rest of the page with theirs', async () => {
    const claims = new InMemoryClaims();
    for (const [i, workerNiss] of [NISS, '84050550577'].entries())
      await claims.create({
        ...claimBody({ workerNiss }),
        claimId: `4b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a${10 + i}`,
        status: 'RECEIVED',
        submittedAt: `2024-11-1${i}T10:00:00.000Z`,
        requestHash: 'h',
      });
    // The second claim's sealed NISS copied onto the first: it opens nowhere but on its own claim.
    claims.claims.get('4b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a10')!.workerNissSealed = claims.claims.get('4b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a11')!.workerNissSealed;
    const list = createListClaimsHandler(() => ({ ...h.deps(listTrainingLeaveClaims.purpose)(), claims }));
    const response = await list(httpEvent({ path: '/v1/training-leave/claims', token: await h.token({ role: 'dwse', team: 'inspectie' }) }), lambdaContext());
    const { items } = JSON.parse(response.body!);
    expect(response.statusCode).toBe(200);
    expect(items.map((c: { claimId: string; workerNiss?: string }) => [c.claimId.slice(-2), c.workerNiss])).toEqual([
      ['11', '84050550577'],
      ['10', undefined],
    ]);
  });

  it('refuses a training id that holds a NISS, which would rest in clear', async () => {
    const submit = createSubmitClaimHandler(() => ({
      ...h.deps(submitTrainingLeaveClaim.purpose)(),
      claims: new InMemoryClaims(),
      queue: new InMemoryQueue(),
      pseudonymiser: testPseudonymiser(),
    }));
    const token = await h.token({ role: 'employer', enterpriseNumber: '0403170701' });
    for (const id of [NISS, `ODB-${NISS}`]) {
      const response = await submit(
        httpEvent({ method: 'POST', token, body: claimBody({ training: { id, startDate: '2024-10-01', endDate: '2025-03-31' } }) }),
        lambdaContext(),
      );
      expect([response.statusCode, JSON.parse(response.body!).errors[0].path]).toEqual([400, 'body.training.id']);
    }
    // 11 digits whose check digit is not a NISS's is an id like any other.
    const fine = await submit(
      httpEvent({ method: 'POST', token, body: claimBody({ training: { id: '85073003329', startDate: '2024-10-01', endDate: '2025-03-31' } }) }),
      lambdaContext(),
    );
    expect(fine.statusCode).toBe(202);
  });
});

describe('a withdrawn claim’s Idempotency-Key', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('answers 409 CLAIM_WITHDRAWN naming the claim and how to file anew, and queues nothing; a new key files it', async () => {
    const claims = new InMemoryClaims();
    const queue = new InMemoryQueue();
    const deps = { claims, queue, pseudonymiser: testPseudonymiser() };
    const submit = createSubmitClaimHandler(() => ({ ...h.deps(submitTrainingLeaveClaim.purpose)(), ...deps }));
    const withdraw = createWithdrawClaimHandler(() => ({ ...h.deps(withdrawTrainingLeaveClaim.purpose)(), claims }));
    const token = await h.token({ role: 'employer', enterpriseNumber: '0403170701' });
    const body = claimBody();
    const file = (key: string) =>
      submit(httpEvent({ method: 'POST', token, body, headers: { 'Idempotency-Key': key, 'Accept-Language': 'en' } }), lambdaContext());
    const first = JSON.parse((await file('key-1')).body!);
    const withdrawn = await withdraw(
      httpEvent({ method: 'POST', token, path: `/v1/training-leave/claims/${first.claimId}/withdrawal`, pathParameters: { claimId: first.claimId } }),
      lambdaContext(),
    );
    expect(withdrawn.statusCode).toBe(200);
    queue.sent.length = 0;

    const refiled = await file('key-1');
    const problem = JSON.parse(refiled.body!);
    expect([refiled.statusCode, refiled.headers?.['content-type'], problem.code, problem.claimId]).toEqual([
      409,
      'application/problem+json',
      'CLAIM_WITHDRAWN',
      first.claimId,
    ]);
    expect(problem.detail).toMatch(/withdrew.*new Idempotency-Key/);
    expect(queue.sent).toEqual([]);
    const anew = await file('key-2');
    expect([anew.statusCode, JSON.parse(anew.body!).status]).toEqual([202, 'RECEIVED']);
    expect(JSON.parse(anew.body!).claimId).not.toBe(first.claimId);
  });

  it('without a key, the same content of a withdrawn claim answers 409 saying how to file it anew', async () => {
    const claims = new InMemoryClaims();
    const submit = createSubmitClaimHandler(() => ({
      ...h.deps(submitTrainingLeaveClaim.purpose)(),
      claims,
      queue: new InMemoryQueue(),
      pseudonymiser: testPseudonymiser(),
    }));
    const withdraw = createWithdrawClaimHandler(() => ({ ...h.deps(withdrawTrainingLeaveClaim.purpose)(), claims }));
    const token = await h.token({ role: 'employer', enterpriseNumber: '0403170701' });
    const body = claimBody({ hoursByMonth: { '2024-10': 3 } });
    const { claimId } = JSON.parse((await submit(httpEvent({ method: 'POST', token, body }), lambdaContext())).body!);
    await withdraw(httpEvent({ method: 'POST', token, path: `/v1/training-leave/claims/${claimId}/withdrawal`, pathParameters: { claimId } }), lambdaContext());
    const again = JSON.parse((await submit(httpEvent({ method: 'POST', token, body, headers: { 'Accept-Language': 'en' } }), lambdaContext())).body!);
    expect([again.code, again.claimId]).toEqual(['CLAIM_WITHDRAWN', claimId]);
    expect(again.detail).toMatch(/^This content names claim .*an Idempotency-Key of its own/);
  });
});

describe('the scan for a NISS at rest (run on every table after the integration and e2e suites)', () => {
  it('finds a NISS anywhere in an item, masked, and nothing in hashes, ciphertexts or other numbers', async () => {
    const { nissesInItem } = await import('../support/niss-scan.js');
    expect(
      nissesInItem({
        pk: { S: 'CLAIM#1' },
        workerNiss: { S: NISS },
        decision: { M: { reasons: { L: [{ S: `the worker ${NISS} is not…` }] } } },
        count: { N: '84050550577' },
        ids: { SS: ['a', '84050550577'] },
      }),
    ).toEqual(['workerNiss: *********28', 'decision.reasons[0]: *********28', 'count: *********77', 'ids: *********77']);
    // Written as people write it, or as a key or an attribute name.
    expect(nissesInItem({ note: { S: 'NISS 85.07.30-033.28' }, m: { M: { '84050550577': { S: 'x' } } }, '85073003328': { S: 'y' } })).toEqual([
      'note: *********28',
      'm (a key): *********77',
      '(an attribute name): *********28',
    ]);
    const sealed = await inProcessCipher().seal(NISS, context('c'));
    expect(
      nissesInItem({
        workerSubject: { S: await testPseudonymiser().subject(NISS) },
        workerNissSealed: { S: sealed },
        // 11 digits whose check digit is not a NISS's; a NISS inside a longer token.
        other: { S: '85073003329 x85073003328 850730033281' },
        at: { N: '1732000000000' },
      }),
    ).toEqual([]);
  });
});
