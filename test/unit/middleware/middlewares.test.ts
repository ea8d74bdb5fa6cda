import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod/mini';
import { AuthenticationError } from '../../../shared/auth/verify-token.js';
import type { Principal } from '../../../shared/auth/principal.js';
import { auditAccess } from '../../../shared/http/middleware/audit-access.js';
import { authenticate } from '../../../shared/http/middleware/authenticate.js';
import { authorize } from '../../../shared/http/middleware/authorize.js';
import { bindResource } from '../../../shared/http/middleware/bind-resource.js';
import { bindSubject } from '../../../shared/http/middleware/bind-subject.js';
import { limitBody } from '../../../shared/http/middleware/limit-body.js';
import { minimise } from '../../../shared/http/middleware/minimise.js';
import { rejectDuplicateKeys } from '../../../shared/http/middleware/reject-duplicate-keys.js';
import { validateInput } from '../../../shared/http/middleware/validate-input.js';
import type { PurposeCall } from '../../../shared/http/purpose-handler.js';
import type { HttpProblem } from '../../../shared/http/problem.js';
import type { PurposeContext, PurposeState } from '../../../shared/http/purpose-context.js';
import type { AuditEntry } from '../../../shared/audit/audit-trail.js';
import type { SealedClaim } from '../../../shared/domain/training-leave/ports.js';
import { type checkPremium, readTrainingLeaveClaim, type submitTrainingLeaveClaim } from '../../../shared/purposes/catalogue.js';
import { definePurpose, httpBinding, type HttpInput } from '../../../shared/purposes/purpose.js';
import { InMemoryAudit } from '../../support/fakes.js';

// Each middleware alone, on a bare request object: what it reads from the typed
// context, what it writes there, what it refuses.
const PURPOSE = definePurpose({ id: 'TEST', deliberation: '00/000', description: 'test', sources: {}, retention: { kind: 'none', source: 'test' } });
const binding = httpBinding({
  purpose: PURPOSE,
  route: { method: 'POST', path: '/t', successStatus: 200 },
  summary: 'test',
  actors: [
    { role: 'citizen', binding: 'own-niss' },
    { role: 'dwse', binding: 'team', teams: ['inspectie'] },
    { role: 'actiris', binding: 'reference-directory', registeredBy: 'ACTIRIS', qualityCodes: ['001'] },
  ],
  input: { body: z.strictObject({ niss: z.string() }), headers: z.object({ 'x-trace': z.optional(z.string()) }) },
  subject: { niss: (i) => i.body.niss },
  answer: z.object({ a: z.string(), b: z.object({ c: z.string() }) }),
  output: { citizen: ['a', 'b.c'] },
});

const request = (state: PurposeState = {}, event: Record<string, unknown> = {}) =>
  ({
    event: { headers: {}, ...event },
    context: { awsRequestId: 'r-1', purpose: state } as unknown as PurposeContext,
    response: undefined,
    error: undefined,
    internal: {},
  }) as any;
const refusal = async (run: () => unknown) => {
  try {
    await run();
  } catch (error) {
    return error as HttpProblem;
  }
  throw new Error('expected a refusal');
};
const CITIZEN: Principal = { role: 'citizen', niss: '85073003328' };

describe('authenticate', () => {
  it('puts the verified principal on the context', async () => {
    const r = request({}, { headers: { authorization: 'Bearer a.b.c' } });
    await authenticate({ verifyToken: async (t) => (t === 'a.b.c' ? CITIZEN : Promise.reject(new Error('x'))) }).before!(r);
    expect(r.context.purpose.principal).toEqual(CITIZEN);
  });

  it('turns a bad token into 401 problem with its reason, and lets other failures through', async () => {
    const bad = await refusal(() =>
      authenticate({ verifyToken: async () => Promise.reject(new AuthenticationError('expired', 'old')) }).before!(
        request({}, { headers: { authorization: 'Bearer a.b.c' } }),
      ),
    );
    expect([bad.status, bad.code]).toEqual([401, 'TOKEN_EXPIRED']);
    const missing = await refusal(() => authenticate({ verifyToken: async () => CITIZEN }).before!(request()));
    expect(missing.code).toBe('TOKEN_MISSING');
    const outage = new Error('down');
    await expect(
      authenticate({ verifyToken: async () => Promise.reject(outage) }).before!(request({}, { headers: { authorization: 'Bearer a.b.c' } })),
    ).rejects.toBe(outage);
  });
});

describe('authorize', () => {
  it('resolves the rule of the role once, onto the context', async () => {
    const r = request({ principal: CITIZEN });
    await authorize({ binding }).before!(r);
    expect(r.context.purpose.rule).toEqual({ role: 'citizen', binding: 'own-niss' });
  });

  it('refuses a role or a team the binding does not name', async () => {
    expect((await refusal(() => authorize({ binding }).before!(request({ principal: { role: 'employer', enterpriseNumber: '0403170701' } })))).code).toBe(
      'ROLE_NOT_ALLOWED',
    );
    expect((await refusal(() => authorize({ binding }).before!(request({ principal: { role: 'dwse', team: 'competenties' } })))).code).toBe('TEAM_NOT_ALLOWED');
  });

  it('fails loudly when run before authentication', async () => {
    await expect(async () => authorize({ binding }).before!(request())).rejects.toThrow(/needs principal/);
  });
});

describe('validateInput', () => {
  it('puts the parsed body and the declared headers on the context, ignoring other headers', async () => {
    const r = request({}, { body: { niss: '1' }, headers: { 'x-trace': 't', cookie: 'c' } });
    await validateInput({ binding }).before!(r);
    expect(r.context.purpose.input).toEqual({ body: { niss: '1' }, query: {}, path: {}, headers: { 'x-trace': 't' } });
  });

  it('names every bad field, and refuses undeclared query parameters', async () => {
    const bad = await refusal(() => validateInput({ binding }).before!(request({}, { body: { niss: 1, extra: true }, queryStringParameters: { q: '1' } })));
    expect(bad.status).toBe(400);
    expect((bad.extensions.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['body', 'body.niss', 'query']);
  });
});

describe('rejectDuplicateKeys', () => {
  it('refuses a key named twice at any depth, and leaves unparseable text to the body parser', async () => {
    const twice = await refusal(() => rejectDuplicateKeys().before!(request({}, { body: '{"a":{"b":[{"c":1,"c":2}]}}' })));
    expect(twice.extensions.errors).toEqual([{ path: 'body.a.b[0].c', message: 'duplicate key' }]);
    expect(await rejectDuplicateKeys().before!(request({}, { body: '{"a":' }))).toBeUndefined();
    expect(await rejectDuplicateKeys().before!(request({}, { body: Buffer.from('{"a":1}').toString('base64'), isBase64Encoded: true }))).toBeUndefined();
  });
});

describe('limitBody', () => {
  it('refuses a body over the limit with 413 before anything parses it, counting decoded bytes', async () => {
    const big = await refusal(() => limitBody({ maxBytes: 10 }).before!(request({}, { body: '{"a":"0123456789"}' })));
    expect([big.status, big.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(await limitBody({ maxBytes: 10 }).before!(request({}, { body: '{"a":1}' }))).toBeUndefined();
    const encoded = Buffer.from('{"a":"0123456789"}').toString('base64');
    expect((await refusal(() => limitBody({ maxBytes: 10 }).before!(request({}, { body: encoded, isBase64Encoded: true })))).status).toBe(413);
  });
});

describe('bindSubject', () => {
  const gateAdmitting = (admitted: boolean) => () => async () => (admitted ? { admitted: true as const } : { admitted: false as const });

  it('binds a citizen to the NISS of the token, refusing another', async () => {
    const own = request({ principal: CITIZEN, rule: binding.actors[0], input: { body: { niss: '85073003328' }, query: {}, path: {}, headers: {} } });
    await bindSubject({ binding, gate: gateAdmitting(true) }).before!(own);
    expect(own.context.purpose.subjectNiss).toBe('85073003328');
    const other = request({ principal: CITIZEN, rule: binding.actors[0], input: { body: { niss: '78021511718' }, query: {}, path: {}, headers: {} } });
    expect((await refusal(() => bindSubject({ binding, gate: gateAdmitting(true) }).before!(other))).code).toBe('NOT_OWN_DATA');
  });

  it('asks the gate for a reference-directory rule, and refuses without saying why', async () => {
    const state = () => ({
      principal: { role: 'actiris' } as Principal,
      rule: binding.actors[2],
      input: { body: { niss: '91011715490' }, query: {}, path: {}, headers: {} },
    });
    const admitted = request(state());
    await bindSubject({ binding, gate: gateAdmitting(true) }).before!(admitted);
    expect(admitted.context.purpose.subjectNiss).toBe('91011715490');
    const refused = await refusal(() => bindSubject({ binding, gate: gateAdmitting(false) }).before!(request(state())));
    expect([refused.status, refused.code]).toEqual([403, 'NOT_REGISTERED_AS_JOB_SEEKER']);
    expect(refused.extensions).toEqual({});
  });
});

describe('bindSubject: the route’s work alongside the subject’s hash', () => {
  const gate = (admitted: boolean) => () => async () => (admitted ? { admitted: true as const } : { admitted: false as const });
  const citizen = (niss: string) => request({ principal: CITIZEN, rule: binding.actors[0], input: { body: { niss }, query: {}, path: {}, headers: {} } });
  const actiris = () =>
    request({
      principal: { role: 'actiris' } as Principal,
      rule: binding.actors[2],
      input: { body: { niss: '91011715490' }, query: {}, path: {}, headers: {} },
    });

  it('starts it while the subject is hashed, not after, and waits for both', async () => {
    const events: string[] = [];
    let release!: () => void;
    const hashed = new Promise<void>((resolve) => {
      release = resolve;
    });
    const audit = () => ({
      prepare: async () => {
        events.push('hash asked');
        await hashed;
        events.push('hash done');
      },
    });
    const alongside = async () => {
      events.push('work started');
      release();
    };
    await bindSubject({ binding, gate: gate(true), audit, alongside }).before!(citizen('85073003328'));
    expect(events).toEqual(['hash asked', 'work started', 'hash done']);
  });

  it('does not start it for a request its binding refuses, nor before the gate admitted the subject', async () => {
    const started: unknown[] = [];
    const alongside = async (input: unknown) => void started.push(input);
    await refusal(() => bindSubject({ binding, gate: gate(true), alongside }).before!(citizen('78021511718')));
    await refusal(() => bindSubject({ binding, gate: gate(false), alongside }).before!(actiris()));
    expect(started).toEqual([]);
    await bindSubject({ binding, gate: gate(true), alongside }).before!(actiris());
    expect(started).toHaveLength(1);
  });

  it('leaves the work’s failure to the handler; the hash’s failure fails the request', async () => {
    const failing = async () => Promise.reject(new Error('KMS throttled'));
    await bindSubject({ binding, gate: gate(true), audit: () => ({ prepare: async () => {} }), alongside: failing }).before!(citizen('85073003328'));
    await expect(
      bindSubject({ binding, gate: gate(true), audit: () => ({ prepare: failing }), alongside: async () => {} }).before!(citizen('85073003328')),
    ).rejects.toThrow('KMS throttled');
  });
});

describe('bindResource', () => {
  const claim = { claimId: 'c', employerEnterpriseNumber: '0403170701', workerSubject: 't1:worker-hash' } as SealedClaim;
  const employer = (enterpriseNumber: string) =>
    request({
      principal: { role: 'employer', enterpriseNumber },
      rule: { role: 'employer', binding: 'own-enterprise' },
      input: { body: {}, query: {}, path: { claimId: 'c' }, headers: {} },
    });

  it('puts the caller’s own resource on the context and binds its subject', async () => {
    const r = employer('0403170701');
    await bindResource({ binding: readTrainingLeaveClaim, load: async () => claim }).before!(r);
    // The claim keeps no NISS in clear: the audit record names the worker by its stored hash.
    expect(r.context.purpose).toMatchObject({ resource: claim, subjectHash: 't1:worker-hash' });
    expect(r.context.purpose).not.toHaveProperty('subjectNiss');
  });

  it('answers the same 404 for another’s resource and for none', async () => {
    const other = await refusal(() => bindResource({ binding: readTrainingLeaveClaim, load: async () => claim }).before!(employer('0202746430')));
    const none = await refusal(() => bindResource({ binding: readTrainingLeaveClaim, load: async () => undefined }).before!(employer('0403170701')));
    expect([other.status, other.code, other.detail]).toEqual([none.status, none.code, none.detail]);
  });
});

describe('minimise', () => {
  it('projects the object answer on the role’s fields, then serialises it once', async () => {
    const r = request({ principal: CITIZEN });
    r.response = { statusCode: 200, headers: { 'x-a': '1' }, body: { a: 1, b: { c: 2, d: 3 }, e: 4 } };
    await minimise({ binding }).after!(r);
    expect(r.response).toEqual({ statusCode: 200, headers: { 'content-type': 'application/json', 'x-a': '1' }, body: '{"a":1,"b":{"c":2}}' });
  });

  it('fails closed on a string answer, which it could not project', async () => {
    const r = request({ principal: CITIZEN });
    r.response = { statusCode: 200, headers: {}, body: '{"a":1,"secret":2}' };
    await expect(async () => minimise({ binding }).after!(r)).rejects.toThrow(/answered a string/);
  });

  it('fails closed for a role without an output list', async () => {
    const r = request({ principal: { role: 'actiris' } });
    r.response = { statusCode: 200, headers: {}, body: { a: 1 } };
    await expect(async () => minimise({ binding }).after!(r)).rejects.toThrow(/declares no output/);
  });
});

describe('auditAccess', () => {
  it('records the outcome with the subject, and turns an unrecordable allowed access into 503', async () => {
    const entries: AuditEntry[] = [];
    const r = request({ principal: CITIZEN, subjectNiss: '85073003328' });
    r.response = { statusCode: 200, headers: {}, body: '{}' };
    await auditAccess({ binding, audit: () => ({ record: async (e) => void entries.push(e), recordDisclosures: async () => {} }), logger: { error: () => {} } })
      .after!(r);
    expect(entries).toEqual([
      expect.objectContaining({
        purpose: 'TEST',
        outcome: 'ALLOWED',
        actorRole: 'citizen',
        actorOrganisation: 'MYCAREER',
        subjectNiss: '85073003328',
        status: 200,
        route: 'POST /t',
      }),
    ]);
    const failing = request({ principal: CITIZEN });
    failing.response = { statusCode: 200, headers: {}, body: '{}' };
    await auditAccess({
      binding,
      audit: () => ({ record: async () => Promise.reject(new Error('down')), recordDisclosures: async () => {} }),
      logger: { error: () => {} },
    }).after!(failing);
    expect(failing.response.statusCode).toBe(503);
  });
});

describe('auditAccess, for an answer that lists people', () => {
  const DWSE: Principal = { role: 'dwse', team: 'inspectie' };
  const listed = (nisses: string[], statusCode = 200) => {
    const r = request({ principal: DWSE, disclosedSubjects: nisses.map((niss) => ({ niss })) });
    r.response = { statusCode, headers: {}, body: '{"items":[]}' };
    return r;
  };

  it('writes one disclosure per distinct listed person with the request’s fields, then the request’s own record unchanged', async () => {
    const audit = new InMemoryAudit();
    const r = listed(['85073003328', '87091520373', '85073003328']);
    await auditAccess({ binding, audit: () => audit, logger: { error: () => {} } }).after!(r);
    expect(r.response.statusCode).toBe(200);
    const who = { purpose: 'TEST', deliberation: '00/000', requestId: 'r-1', route: 'POST /t', actorRole: 'dwse', actorOrganisation: 'DWSE:inspectie' };
    expect(audit.entries).toEqual([
      { ...who, outcome: 'ALLOWED', status: 200, subjectNiss: '85073003328', listed: true },
      { ...who, outcome: 'ALLOWED', status: 200, subjectNiss: '87091520373', listed: true },
      { ...who, outcome: 'ALLOWED', status: 200 },
    ]);
    // One call for the page: the sink writes it in batches, not one write per person.
    expect(audit.disclosureCalls).toEqual([3]);
  });

  it('does not serve the list when the disclosures cannot be written: 503 AUDIT_UNAVAILABLE, no list, the request recorded as FAILED', async () => {
    const audit = new InMemoryAudit();
    audit.failDisclosures = true;
    const errors: string[] = [];
    const r = listed(['85073003328']);
    await auditAccess({ binding, audit: () => audit, logger: { error: (m: string) => void errors.push(m) } }).after!(r);
    expect(r.response.statusCode).toBe(503);
    expect(r.response.headers['retry-after']).toBe('5');
    expect(JSON.parse(r.response.body)).toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    expect(r.response.body).not.toContain('items');
    expect(audit.entries).toEqual([expect.objectContaining({ outcome: 'FAILED', status: 503, code: 'AUDIT_UNAVAILABLE' })]);
    expect(errors).toEqual(['disclosure records could not be written']);
  });

  it('writes no disclosure for an answer that did not go out, nor for an empty page', async () => {
    const audit = new InMemoryAudit();
    await auditAccess({ binding, audit: () => audit, logger: { error: () => {} } }).after!(listed(['85073003328'], 500));
    await auditAccess({ binding, audit: () => audit, logger: { error: () => {} } }).after!(listed([]));
    expect(audit.disclosureCalls).toEqual([]);
    expect(audit.entries.map((e) => e.outcome)).toEqual(['FAILED', 'ALLOWED']);
  });
});

describe('types inferred from the bindings', () => {
  it('gives the function the validated input, the declared headers and the loaded resource', () => {
    type Submit = PurposeCall<(typeof submitTrainingLeaveClaim)['input'], unknown>;
    expectTypeOf<Submit['input']['body']['workerNiss']>().toEqualTypeOf<string>();
    expectTypeOf<Submit['input']['body']['hoursByMonth']>().toEqualTypeOf<Record<string, number>>();
    expectTypeOf<Submit['input']['headers']['idempotency-key']>().toEqualTypeOf<string | undefined>();
    type Read = PurposeCall<(typeof readTrainingLeaveClaim)['input'], SealedClaim>;
    expectTypeOf<Read['input']['path']>().toEqualTypeOf<{ claimId: string }>();
    expectTypeOf<Read['resource']>().toEqualTypeOf<SealedClaim>();
    type Check = HttpInput<(typeof checkPremium)['input']>;
    expectTypeOf<Check['body']['scheme']>().toEqualTypeOf<'ACS' | 'PTP'>();
    expectTypeOf<Check['query']>().toEqualTypeOf<Record<string, never>>();
  });
});
