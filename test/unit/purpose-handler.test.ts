import { createHmac, createPublicKey } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyToken } from '../../shared/auth/verify-token.js';
import { purposeHandler, type PurposeCall } from '../../shared/http/purpose-handler.js';
import { careerBreakPossibilities, checkPremium, readTrainingLeaveClaim, submitTrainingLeaveClaim } from '../../shared/purposes/catalogue.js';
import { httpBinding, type HttpBinding, type HttpInputSchemas } from '../../shared/purposes/purpose.js';
import { AUDIENCE } from '../../local/identity/tokens.js';
import { lambdaContext } from '../support/lambda.js';
import { httpEvent, startHarness, type Harness } from '../support/purpose-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.audits.length = 0;
  h.sourceHits.length = 0;
  h.sourceAnswers.clear();
  h.failAudit.value = false;
});

const CITIZEN = { role: 'citizen', niss: '85073003328' } as const;
const EMPLOYER = { role: 'employer', enterpriseNumber: '0403170701' } as const;
const OTHER_EMPLOYER = { role: 'employer', enterpriseNumber: '0202746430' } as const;
const claimBody = {
  employerEnterpriseNumber: '0403170701',
  workerNiss: '85073003328',
  schoolYear: '2024-2025',
  training: { id: 'ODB-12345', startDate: '2024-10-01', endDate: '2025-03-31' },
  hoursByMonth: { '2024-10': 8, '2024-11': 12 },
};
const premiumBody = {
  scheme: 'ACS',
  employerEnterpriseNumber: '0403170701',
  workerNiss: '91011715490',
  hiringDate: '2023-01-01',
  month: '2024-05',
  declared: { daysWorked: 18, assimilatedDays: 2, grossSalary: '2500.00', grantedMonthlyPremium: '1500.00', exemptionClaimed: false, regularStaffFte: '10.0' },
};

/** A stored claim as the reading route loads it (employer 0403170701). */
/** As the table keeps a claim: the worker by its subject hash, the NISS sealed. */
const storedClaim = { claimId: 'c', employerEnterpriseNumber: '0403170701', workerSubject: 't1:worker-hash', workerNissSealed: 'esdk1:sealed' };

/** Builds a handler for `binding` whose function records its calls and answers `body`; a resource route loads `resource`. */
const build = <S extends HttpInputSchemas, R>(binding: HttpBinding<S, R>, body: unknown = { ok: true }, options: { resource?: unknown } = {}) => {
  const calls: PurposeCall<S, R>[] = [];
  const handler = purposeHandler(binding, {
    deps: h.deps(binding.purpose),
    ...(binding.resource ? { load: async () => ('resource' in options ? options.resource : storedClaim) as R | undefined } : {}),
    handle: async (call) => {
      calls.push(call);
      return { body };
    },
  });
  return { handler, calls };
};

const invoke = async (handler: ReturnType<typeof build>['handler'], event: Parameters<typeof httpEvent>[0]) => {
  const response = await handler(httpEvent(event), lambdaContext());
  return { response, status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
};

describe('authentication (jose, remote JWKS from the local identity provider)', () => {
  const career = () => build(careerBreakPossibilities);
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = () => Math.floor(Date.now() / 1000);
  const claims = () => ({ ...CITIZEN, sub: 'citizen:x', iss: h.idp.issuer, aud: 'bcss-exchanges', iat: now(), exp: now() + 600 });

  it('lets a valid token through', async () => {
    const { handler, calls } = career();
    const { status } = await invoke(handler, { token: await h.token(CITIZEN) });
    expect(status).toBe(200);
    expect(calls[0]?.principal).toEqual(CITIZEN);
  });

  const attacks: [string, () => Promise<string | undefined>][] = [
    ['no Authorization header', async () => undefined],
    [
      'expired',
      () =>
        new SignJWT({ ...CITIZEN })
          .setProtectedHeader({ alg: 'RS256', kid: h.key.kid })
          .setIssuer(h.idp.issuer)
          .setAudience('bcss-exchanges')
          .setSubject('s')
          .setIssuedAt(now() - 7200)
          .setExpirationTime(now() - 3600)
          .sign(h.key.privateKey),
    ],
    [
      'not yet valid',
      () =>
        new SignJWT({ ...CITIZEN })
          .setProtectedHeader({ alg: 'RS256', kid: h.key.kid })
          .setIssuer(h.idp.issuer)
          .setAudience('bcss-exchanges')
          .setSubject('s')
          .setIssuedAt()
          .setNotBefore(now() + 3600)
          .setExpirationTime(now() + 7200)
          .sign(h.key.privateKey),
    ],
    ['wrong issuer', () => h.token(CITIZEN, { issuer: 'http://127.0.0.1:1' })],
    ['wrong audience', () => h.token(CITIZEN, { audience: 'another-service' })],
    [
      'unknown key id',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT({ ...CITIZEN })
          .setProtectedHeader({ alg: 'RS256', kid: 'not-in-jwks' })
          .setIssuer(h.idp.issuer)
          .setAudience('bcss-exchanges')
          .setSubject('s')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(privateKey);
      },
    ],
    ['alg: none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    [
      'HS256 signed with the public key',
      async () => {
        const pem = createPublicKey({ key: h.key.publicJwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
        const signingInput = `${b64({ alg: 'HS256', typ: 'JWT', kid: h.key.kid })}.${b64(claims())}`;
        return `${signingInput}.${createHmac('sha256', pem).update(signingInput).digest('base64url')}`;
      },
    ],
    [
      'tampered payload',
      async () => {
        const [header, , signature] = (await h.token(CITIZEN)).split('.');
        return `${header}.${b64({ ...claims(), niss: '78021511718' })}.${signature}`;
      },
    ],
    [
      'a token for no known role',
      () =>
        new SignJWT({ role: 'admin' })
          .setProtectedHeader({ alg: 'RS256', kid: h.key.kid })
          .setIssuer(h.idp.issuer)
          .setAudience('bcss-exchanges')
          .setSubject('admin')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(h.key.privateKey),
    ],
    ['garbage', async () => 'not-a-jwt'],
  ];

  it.each(attacks)('refuses %s with 401 problem+json, before the function runs', async (_name, makeToken) => {
    const { handler, calls } = career();
    const token = await makeToken();
    const { response, status, body } = await invoke(handler, token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } });
    expect(status).toBe(401);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(response.headers?.['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    expect(body).toMatchObject({ status: 401, code: expect.stringMatching(/^TOKEN_/) });
    expect(calls).toHaveLength(0);
    expect(h.audits).toEqual([expect.objectContaining({ outcome: 'DENIED', status: 401, actorRole: 'anonymous' })]);
  });

  it('never echoes the token back', async () => {
    const token = await h.token(CITIZEN, { audience: 'x' });
    const { response } = await invoke(career().handler, { token });
    expect(JSON.stringify(response)).not.toContain(token);
  });
});

describe('authorization from the purpose declaration', () => {
  it('refuses a role the deliberation does not name, without calling any source', async () => {
    const { handler, calls } = build(checkPremium);
    const { status, body } = await invoke(handler, { method: 'POST', token: await h.token(CITIZEN), body: premiumBody });
    expect(status).toBe(403);
    expect(body.code).toBe('ROLE_NOT_ALLOWED');
    expect(body.detail).toContain('05/012');
    expect(calls).toHaveLength(0);
    expect(h.sourceHits).toEqual([]);
  });

  it('admits only the three DWSE teams of 19/038 §6', async () => {
    const { handler } = build(readTrainingLeaveClaim);
    const pathParameters = { claimId: '4b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a79' };
    for (const team of ['competenties', 'inspectie', 'geldboetes']) {
      expect((await invoke(handler, { token: await h.token({ role: 'dwse', team } as never), pathParameters })).status, team).toBe(200);
    }
    const other = await invoke(handler, { token: await h.token({ role: 'dwse', team: 'communicatie' } as never), pathParameters });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('TEAM_NOT_ALLOWED');
  });

  it('lets an employer act only for the enterprise number in its token', async () => {
    const { handler, calls } = build(submitTrainingLeaveClaim);
    const other = await invoke(handler, { method: 'POST', token: await h.token(OTHER_EMPLOYER), body: claimBody });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('NOT_OWN_ENTERPRISE');
    expect(calls).toHaveLength(0);
    expect((await invoke(handler, { method: 'POST', token: await h.token(EMPLOYER), body: claimBody })).status).toBe(202);
  });

  it('answers 404 when a stored resource belongs to another employer, before the function runs, and records the refusal', async () => {
    const { handler, calls } = build(readTrainingLeaveClaim, { claimId: 'c' });
    const pathParameters = { claimId: '4b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a79' };
    const other = await invoke(handler, { token: await h.token(OTHER_EMPLOYER), pathParameters });
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('NOT_FOUND');
    expect(calls).toHaveLength(0);
    expect((await invoke(handler, { token: await h.token(EMPLOYER), pathParameters })).status).toBe(200);
    expect(calls[0]?.resource).toEqual(storedClaim);
    expect(h.audits.map((a) => a.outcome)).toEqual(['DENIED', 'ALLOWED']);
    // The subject of a stored resource is recorded by the hash the claim keeps (it holds no NISS in clear).
    expect(h.audits.map((a) => a.subjectHash)).toEqual(['t1:worker-hash', 't1:worker-hash']);
    expect(h.audits.map((a) => a.subjectNiss)).toEqual([undefined, undefined]);
  });

  it('answers the same 404 for a resource that does not exist', async () => {
    const { handler, calls } = build(readTrainingLeaveClaim, {}, { resource: undefined });
    const { status, body } = await invoke(handler, { token: await h.token(EMPLOYER), pathParameters: { claimId: '4b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a79' } });
    expect([status, body.code]).toEqual([404, 'NOT_FOUND']);
    expect(calls).toHaveLength(0);
  });

  it('fails closed at build time: an employer route that names no enterprise must declare who owns its resource', () => {
    const { resource: _owner, kind: _kind, ...withoutOwner } = readTrainingLeaveClaim;
    expect(() => purposeHandler(httpBinding(withoutOwner), { deps: h.deps(readTrainingLeaveClaim.purpose), handle: async () => ({ body: {} }) })).toThrow(
      /must declare its resource owner/,
    );
    expect(() => purposeHandler(readTrainingLeaveClaim, { deps: h.deps(readTrainingLeaveClaim.purpose), handle: async () => ({ body: {} }) })).toThrow(
      /must load it/,
    );
  });

  describe('Actiris: the reference-directory gate (05/012 §5.2)', () => {
    const registration = (qualityCode: string, registeredBy = 'ACTIRIS') =>
      h.sourceAnswers.set('/reference-directory/registrations/91011715490', { status: 200, body: { niss: '91011715490', registeredBy, qualityCode } });

    it('admits a worker Actiris registered with quality code 001', async () => {
      registration('001');
      const { handler, calls } = build(checkPremium, { outcome: 'CONFORM' });
      expect((await invoke(handler, { method: 'POST', token: await h.token({ role: 'actiris' }), body: premiumBody })).status).toBe(200);
      expect(calls).toHaveLength(1);
    });

    it('gives one identical refusal for another quality code, another organisation or no registration, before the function runs', async () => {
      const refusals = [];
      for (const setup of [() => registration('002'), () => registration('010'), () => registration('001', 'FOREM'), () => h.sourceAnswers.clear()]) {
        setup();
        h.sourceHits.length = 0;
        const { handler, calls } = build(checkPremium);
        const { status, body } = await invoke(handler, { method: 'POST', token: await h.token({ role: 'actiris' }), body: premiumBody });
        expect(status).toBe(403);
        expect(calls).toHaveLength(0);
        expect(h.sourceHits).toEqual(['/reference-directory/registrations/91011715490']);
        refusals.push({ ...body, instance: undefined });
      }
      expect(new Set(refusals.map((r) => JSON.stringify(r))).size).toBe(1);
      expect(refusals[0]).toMatchObject({ code: 'NOT_REGISTERED_AS_JOB_SEEKER' });
      expect(refusals[0]).not.toHaveProperty('qualityCodeFound');
    });
  });
});

describe('validation at the edge', () => {
  it('names the field and what was expected', async () => {
    const { handler } = build(submitTrainingLeaveClaim);
    const { status, body } = await invoke(handler, {
      method: 'POST',
      token: await h.token(EMPLOYER),
      body: { ...claimBody, workerNiss: '85073003329', training: { ...claimBody.training, startDate: '2024-13-01' } },
    });
    expect(status).toBe(400);
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { path: 'body.workerNiss', message: expect.stringContaining('valid NISS') },
        { path: 'body.training.startDate', message: expect.stringContaining('ISO date') },
      ]),
    );
  });

  it('refuses unknown fields instead of ignoring them', async () => {
    const { handler } = build(submitTrainingLeaveClaim);
    const { status, body } = await invoke(handler, { method: 'POST', token: await h.token(EMPLOYER), body: { ...claimBody, workerName: 'X' } });
    expect(status).toBe(400);
    expect(body.detail).toContain('"workerName"');
  });

  it('refuses a NISS in the query of the career-break lookup: the subject comes from the token', async () => {
    const { handler, calls } = build(careerBreakPossibilities);
    const { status, body } = await invoke(handler, { token: await h.token(CITIZEN), query: { niss: '78021511718' } });
    expect(status).toBe(400);
    expect(body.errors).toEqual([{ path: 'query', message: expect.stringContaining('"niss"') }]);
    expect(calls).toHaveLength(0);
  });

  it('answers 415 for a body that is not JSON and 400 for broken JSON', async () => {
    const { handler } = build(submitTrainingLeaveClaim);
    const token = await h.token(EMPLOYER);
    const form = await invoke(handler, { method: 'POST', token, body: 'a=b', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    // Labelled UTF-16: refused before it is read, not parsed as UTF-8.
    const utf16 = await invoke(handler, { method: 'POST', token, body: claimBody, headers: { 'Content-Type': 'application/json; charset=utf-16' } });
    expect([utf16.status, utf16.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const patch = await invoke(handler, { method: 'POST', token, body: claimBody, headers: { 'Content-Type': 'application/merge-patch+json' } });
    expect(patch.status).toBe(415);
    const broken = await invoke(handler, { method: 'POST', token, body: '{"employer', headers: { 'Content-Type': 'application/json' } });
    expect(broken.status).toBe(400);
    expect(broken.body.code).toBe('INVALID_JSON');
  });
});

describe('minimisation and audit', () => {
  it('drops every field of the answer the purpose does not list for the role', async () => {
    const answer = {
      claimId: 'c',
      status: 'DECIDED',
      workerNiss: '85073003328',
      decision: { outcome: 'APPROVED', approvedHours: 20, amount: '426.00', reasons: [{ rule: 'X' }], ledger: [{ bound: 'SCHOOL_YEAR' }] },
      internalNote: 'never shown',
    };
    const { handler } = build(readTrainingLeaveClaim, answer);
    const pathParameters = { claimId: '4b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a79' };
    const employer = await invoke(handler, { token: await h.token(EMPLOYER), pathParameters });
    // The employer reads the reasons (it is the addressee of the decision), not the ledger.
    expect(employer.body).toEqual({
      claimId: 'c',
      status: 'DECIDED',
      decision: { outcome: 'APPROVED', approvedHours: 20, amount: '426.00', reasons: [{ rule: 'X' }] },
    });
    const dwse = await invoke(handler, { token: await h.token({ role: 'dwse', team: 'competenties' }), pathParameters });
    expect(dwse.body).not.toHaveProperty('internalNote');
    expect(dwse.body.decision).toMatchObject({ reasons: [{ rule: 'X' }], ledger: [{ bound: 'SCHOOL_YEAR' }] });
  });

  it('records one audit entry per access, with a keyed hash and never the NISS', async () => {
    const { handler } = build(careerBreakPossibilities);
    await invoke(handler, { token: await h.token(CITIZEN) });
    expect(h.audits).toEqual([
      expect.objectContaining({
        purpose: 'CAREER_BREAK_POSSIBILITIES',
        deliberation: '24/012',
        actorRole: 'citizen',
        outcome: 'ALLOWED',
        status: 200,
        subjectNiss: '85073003328',
      }),
    ]);
  });

  it('does not serve an access it cannot record', async () => {
    h.failAudit.value = true;
    const { handler } = build(careerBreakPossibilities);
    const { status, body, response } = await invoke(handler, { token: await h.token(CITIZEN) });
    expect(status).toBe(503);
    expect(body.code).toBe('AUDIT_UNAVAILABLE');
    expect(response.headers?.['retry-after']).toBe('5');
  });

  it('grants CORS to the configured origins only', async () => {
    process.env.ALLOWED_ORIGINS = 'https://www.mycareer.be';
    const { handler } = build(careerBreakPossibilities);
    delete process.env.ALLOWED_ORIGINS;
    const token = await h.token(CITIZEN);
    const mine = await invoke(handler, { token, headers: { Origin: 'https://www.mycareer.be' } });
    expect(mine.response.headers?.['Access-Control-Allow-Origin']).toBe('https://www.mycareer.be');
    const evil = await invoke(handler, { token, headers: { Origin: 'https://evil.example' } });
    expect(evil.response.headers?.['Access-Control-Allow-Origin']).toBeUndefined();
  });

  it('puts security headers on success and on error answers', async () => {
    const { handler } = build(careerBreakPossibilities);
    for (const event of [{ token: await h.token(CITIZEN) }, {}]) {
      const { response } = await invoke(handler, event);
      expect(response.headers?.['Strict-Transport-Security'] ?? response.headers?.['strict-transport-security']).toBeTruthy();
      expect(response.headers?.['X-Content-Type-Options'] ?? response.headers?.['x-content-type-options']).toBe('nosniff');
    }
  });
});

describe('failure semantics and the newer refusals', () => {
  const career = () => build(careerBreakPossibilities);

  it.each([
    ['refused (nothing listens)', 'http://127.0.0.1:9/.well-known/jwks.json'],
    ['not a key set', 'http://127.0.0.1:PORT/nope'],
  ])('answers 503 with Retry-After when the token keys are %s, audited as a failure, not a denial', async (_name, url) => {
    const jwks = url.replace('PORT', new URL(h.idp.jwksUrl).port);
    const handler = purposeHandler(careerBreakPossibilities, {
      deps: () => ({
        ...h.deps(careerBreakPossibilities.purpose)(),
        verifyToken: (token: string) => verifyToken(token, { keys: jwks, issuer: h.idp.issuer, audience: AUDIENCE }),
      }),
      handle: async () => ({ body: {} }),
    });
    const { status, body, response } = await invoke(handler, { token: await h.token(CITIZEN) });
    expect(status).toBe(503);
    expect(body.code).toBe('IDENTITY_PROVIDER_UNAVAILABLE');
    expect(response.headers?.['retry-after']).toBe('5');
    expect(h.audits).toEqual([expect.objectContaining({ outcome: 'FAILED', status: 503 })]);
  });

  it('refuses a token older than its lifetime (iat), or issued in the future, even before exp', async () => {
    const now = Math.floor(Date.now() / 1000);
    const sign = (iat: number, exp: number) =>
      new SignJWT({ ...CITIZEN })
        .setProtectedHeader({ alg: 'RS256', kid: h.key.kid })
        .setIssuer(h.idp.issuer)
        .setAudience('bcss-exchanges')
        .setSubject('s')
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(h.key.privateKey);
    for (const token of [await sign(now - 7_200, now + 3_600), await sign(now + 3_600, now + 7_200)]) {
      const { status, body } = await invoke(career().handler, { token });
      expect(status).toBe(401);
      expect(body.code).toMatch(/^TOKEN_(EXPIRED|INVALID)$/);
    }
    expect((await invoke(career().handler, { token: await sign(now - 600, now + 600) })).status).toBe(200);
  });

  it('refuses a body larger than any request of the route with 413, before parsing it', async () => {
    const { handler, calls } = build(submitTrainingLeaveClaim);
    const huge = JSON.stringify({ ...claimBody, hoursByMonth: Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`k${i}`, 1])) });
    const { status, body } = await invoke(handler, {
      method: 'POST',
      token: await h.token(EMPLOYER),
      body: huge,
      headers: { 'Content-Type': 'application/json' },
    });
    expect([status, body.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(calls).toHaveLength(0);
  });

  it('refuses a JSON body that names a key twice, naming it', async () => {
    const { handler, calls } = build(submitTrainingLeaveClaim);
    const text = JSON.stringify(claimBody).replace('"hoursByMonth":{', '"hoursByMonth":{"2024-10":1,');
    const { status, body } = await invoke(handler, {
      method: 'POST',
      token: await h.token(EMPLOYER),
      body: text,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'DUPLICATE_KEY', errors: [{ path: 'body.hoursByMonth.2024-10' }] });
    expect(calls).toHaveLength(0);
  });

  it('refuses __proto__ in a body (the JSON body parser) and a body on a route that takes none', async () => {
    const token = await h.token(EMPLOYER);
    const proto = await invoke(build(submitTrainingLeaveClaim).handler, {
      method: 'POST',
      token,
      body: '{"__proto__":{"admin":true}}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(proto.status).toBe(400);
    const career = await invoke(build(careerBreakPossibilities).handler, { token: await h.token(CITIZEN), body: '{}' });
    expect(career.body.errors).toEqual([{ path: 'body', message: 'no body is accepted' }]);
  });

  it('validates the declared headers: a bad Idempotency-Key is a 400 naming the header', async () => {
    const { handler, calls } = build(submitTrainingLeaveClaim);
    const token = await h.token(EMPLOYER);
    const bad = await invoke(handler, { method: 'POST', token, body: claimBody, headers: { 'Idempotency-Key': 'with space' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'headers.idempotency-key', message: expect.stringContaining('visible ASCII') }]);
    const good = await invoke(handler, { method: 'POST', token, body: claimBody, headers: { 'Idempotency-Key': 'k-1' } });
    expect(good.status).toBe(202);
    expect(calls[0]?.input.headers).toEqual({ 'idempotency-key': 'k-1' });
  });

  it('negotiates the language in the HTTP layer (Accept-Language) among those the binding declares, English by default', async () => {
    expect(careerBreakPossibilities.languages).toEqual(['en', 'fr', 'nl', 'de']);
    const cases: [string | undefined, string][] = [
      [undefined, 'en'],
      ['nl', 'nl'],
      ['nl-BE,nl;q=0.9,fr;q=0.8', 'nl'],
      ['es,de;q=0.5', 'de'],
      ['fr;q=0.2, nl;q=0.9', 'nl'],
      ['it, es', 'en'],
      ['de;q=0', 'en'],
    ];
    for (const [header, expected] of cases) {
      const { handler, calls } = build(careerBreakPossibilities, { ok: true });
      await invoke(handler, { token: await h.token(CITIZEN), headers: header ? { 'Accept-Language': header } : {} });
      expect(calls[0]?.language, String(header)).toBe(expected);
    }
  });
});
