import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CLIENT_TYPES, renderClientTypes } from '../../local/write-contracts.js';
import { lintOpenApi, SPECTRAL_OVERRIDES, spectralFindings } from '../../local/lint-openapi.js';
import { CLOSURE_LABELS, PLAN_CAVEAT_LABELS, PLAN_REFUSAL_LABELS, REASON_LABELS } from '../../shared/domain/career-break/codes.js';
import { TEXT_MAX_LENGTH } from '../../shared/schemas/fields.js';
import { answerComponent, buildOpenApiDocument, narrowSchema, problemsOf } from '../../shared/contract/openapi.js';
import { FUNCTIONS, type FunctionDeclaration } from '../../shared/deployment/functions.js';
import { PROBLEM_CODES, problems } from '../../shared/http/problems.js';
import { compileFields, project } from '../../shared/privacy/project.js';
import { HTTP_BINDINGS, checkPremium, readTrainingLeaveClaim, submitTrainingLeaveClaim, withdrawTrainingLeaveClaim } from '../../shared/purposes/catalogue.js';
import type { AnyHttpBinding } from '../../shared/purposes/purpose.js';
import { checkAnswer, ContractViolation, documentValidator } from '../support/contract.js';

const document = buildOpenApiDocument({ version: '0.0.0-test' });
type Json = Record<string, any>;
const ajv = documentValidator(document);
const component = (name: string) =>
  ajv.getSchema(`openapi#/components/schemas/${name.replaceAll('/', '~1')}`) ?? ajv.compile({ $ref: `openapi#/components/schemas/${name}` });
const operation = (b: AnyHttpBinding): Json => (document.paths as Json)[b.route.path][b.route.method.toLowerCase()];

/** A decided claim as a DWSE team is answered it, with every field it may see. */
const answeredClaim = {
  claimId: '6f1c7d3e-8a42-4b6f-9a10-2c3d4e5f6a7b',
  status: 'DECIDED',
  employerEnterpriseNumber: '0403170701',
  workerNiss: '85073003328',
  schoolYear: '2025-2026',
  training: { id: 'ODB-12345', startDate: '2025-09-01', endDate: '2026-06-30' },
  hoursByMonth: { '2025-10': 10 },
  submittedAt: '2025-11-02T09:00:00.000Z',
  decision: {
    outcome: 'APPROVED',
    final: true,
    approvedHours: 10,
    approvedHoursByMonth: { '2025-10': 10 },
    amount: '217.80',
    decidedAt: '2025-11-02T09:00:05.000Z',
    reasons: [{ rule: 'FILING_DEADLINE', outcome: 'PASSED', paragraph: 'BVR 21 Dec 2018 · B11', title: 'Filing deadline', detail: 'in time' }],
    ledger: [{ bound: 'SCHOOL_YEAR', scope: '2025-2026', limitHours: 125, alreadyApprovedHours: 0, hours: 10 }],
    figures: { hourlyForfait: '21.78' },
  },
};

describe('the OpenAPI document, generated from the purpose catalogue', () => {
  it('passes Redocly’s recommended-strict rules and Spectral’s spectral:oas and OWASP API Security rules (no error, no warning)', async () => {
    expect(await lintOpenApi()).toEqual([]);
  });

  it('waives a Spectral finding only where an override says why, and every override still waives one', async () => {
    const findings = await spectralFindings(document);
    for (const override of SPECTRAL_OVERRIDES) {
      expect(override.why.length, override.rule).toBeGreaterThan(20);
      expect(
        findings.some((f) => f.code === override.rule && override.applies(document, f.path)),
        `${override.rule} waives nothing: remove it`,
      ).toBe(true);
    }
  });

  it('declares on every route its throttle, a 429 with Retry-After, a 500, and a 401 where a token is read', () => {
    const operations = Object.values(document.paths as Json).flatMap((item) => Object.values(item as Json)) as Json[];
    expect(operations.length).toBe(HTTP_BINDINGS.length + 4);
    for (const op of operations) {
      const where = op.operationId;
      expect(op['x-throttle'], where).toMatchObject({ ratePerSecond: expect.any(Number), burst: expect.any(Number) });
      expect(op.responses['429'].headers['Retry-After'], where).toBeDefined();
      // API Gateway's throttle is plain JSON; a function's is a problem.
      expect(Object.keys(op.responses['429'].content).sort(), where).toEqual(['application/json', 'application/problem+json']);
      expect(op.responses['500'].content['application/problem+json'], where).toBeDefined();
      if (op.security.length > 0) expect(op.responses['401'].content['application/problem+json'], where).toBeDefined();
      for (const [status, response] of Object.entries(op.responses as Json)) expect(response.headers?.['RateLimit-Policy'], `${where} ${status}`).toBeDefined();
    }
    const possibilities = operation(HTTP_BINDINGS[0]);
    const fn = (FUNCTIONS as Record<string, FunctionDeclaration>)[possibilities.operationId]!;
    expect(possibilities['x-throttle']).toEqual({ ...fn.throttle, policy: `"${possibilities.operationId}";q=${fn.throttle?.ratePerSecond};w=1` });
  });

  it('has the contract checker take API Gateway’s throttle answer where a 429 is declared, and check the headers declared', async () => {
    const request = new Request('http://127.0.0.1:3000/v1/premium-checks', { method: 'POST' });
    const gateway = new Response('{"message":"Too Many Requests"}', { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '1' } });
    expect(await checkAnswer(request, gateway)).toEqual({ operation: 'checkPremium', status: 429 });
    const other = new Response('{"message":"Slow down"}', { status: 429, headers: { 'content-type': 'application/json' } });
    await expect(checkAnswer(request, other)).rejects.toThrow(ContractViolation);
    const policy = (value: string) =>
      new Response('{"message":"Too Many Requests"}', { status: 429, headers: { 'content-type': 'application/json', 'ratelimit-policy': value } });
    expect((await checkAnswer(request, policy('"checkPremium";q=20;w=1'))).status).toBe(429);
    await expect(checkAnswer(request, policy('twenty a second'))).rejects.toThrow(/RateLimit-Policy/);
  });

  it('bounds every label the career-break answers carry, in every language, within the document’s maxLength', () => {
    const figures = { n: 120, d: '2099-12-31' };
    const texts = [
      ...[REASON_LABELS, CLOSURE_LABELS].flatMap((table) => Object.values(table).flatMap((byLanguage) => Object.values(byLanguage))),
      ...[PLAN_REFUSAL_LABELS, PLAN_CAVEAT_LABELS].flatMap((table) =>
        Object.values(table).flatMap((byLanguage) => Object.values(byLanguage).map((t) => t(figures))),
      ),
    ];
    expect(texts.length).toBeGreaterThan(40);
    expect(texts.filter((t) => t.length > TEXT_MAX_LENGTH)).toEqual([]);
  });

  it('has one operation per HTTP binding, named after its function, with its roles, purpose and bearer security', () => {
    for (const binding of HTTP_BINDINGS as readonly AnyHttpBinding[]) {
      const op = operation(binding);
      expect(op, binding.route.path).toBeDefined();
      expect(FUNCTIONS).toHaveProperty(op.operationId);
      expect(op['x-roles']).toEqual(binding.actors.map((a) => a.role));
      expect(op['x-deliberation']).toBe(binding.purpose.deliberation);
      expect(op.security).toEqual([{ bearer: [] }]);
      expect(op.responses[String(binding.route.successStatus)].content['application/json']).toBeDefined();
      for (const role of Object.keys(binding.output)) expect(document.components.schemas).toHaveProperty(answerComponent(op.operationId, role as never));
    }
    expect((document.paths as Json)['/v1/health'].get.security).toEqual([]);
  });

  it('describes each role’s answer as its output fields only: a field another role sees fails it', () => {
    const employer = component(answerComponent('getTrainingLeaveClaim', 'employer'));
    const dwse = component(answerComponent('getTrainingLeaveClaim', 'dwse'));
    expect(dwse(answeredClaim), ajv.errorsText(dwse.errors)).toBe(true);
    // The whole claim is not an employer's answer (worker NISS, ledger, figures)…
    expect(employer(answeredClaim)).toBe(false);
    expect(ajv.errorsText(employer.errors)).toContain('must NOT have additional properties');
    // …what the middleware lets through to an employer is.
    const minimised = project(answeredClaim, readTrainingLeaveClaim.output.employer ?? []);
    expect(employer(minimised), ajv.errorsText(employer.errors)).toBe(true);
    expect(minimised).not.toHaveProperty('workerNiss');
  });

  it('narrows nested and array fields as the projection does, keeping null', () => {
    const schema = {
      type: 'object',
      required: ['a', 'list', 'gone'],
      properties: {
        a: { anyOf: [{ type: 'object', properties: { x: { type: 'string' }, y: { type: 'string' } } }, { type: 'null' }] },
        list: { type: 'array', items: { type: 'object', properties: { k: { type: 'string' }, secret: { type: 'string' } } } },
        gone: { type: 'string' },
      },
    };
    expect(narrowSchema(schema, compileFields(['a.x', 'list[].k']))).toEqual({
      type: 'object',
      required: ['a', 'list'],
      additionalProperties: false,
      properties: {
        a: { anyOf: [{ type: 'object', properties: { x: { type: 'string' } }, additionalProperties: false }, { type: 'null' }] },
        list: { type: 'array', items: { type: 'object', properties: { k: { type: 'string' } }, additionalProperties: false } },
      },
    });
  });

  it('takes the request bodies of events/ as valid, and refuses what the route refuses', async () => {
    const body = (b: AnyHttpBinding) =>
      ajv.compile({ $ref: `openapi#/paths/${b.route.path.replaceAll('/', '~1')}/post/requestBody/content/application~1json/schema` });
    const claim = JSON.parse(await readFile(new URL('../../events/bodies/training-leave-claim.json', import.meta.url), 'utf8'));
    const premium = JSON.parse(await readFile(new URL('../../events/bodies/premium-check.json', import.meta.url), 'utf8'));
    expect(body(submitTrainingLeaveClaim)(claim)).toBe(true);
    expect(body(checkPremium)(premium)).toBe(true);
    expect(body(submitTrainingLeaveClaim)({ ...claim, extra: 1 })).toBe(false);
    expect(body(checkPremium)({ ...premium, workerNiss: 'not a niss' })).toBe(false);
  });

  it('lists, per route, the problems its middlewares and function may answer, each under its status', () => {
    expect(problemsOf(withdrawTrainingLeaveClaim)).toEqual(expect.arrayContaining(['NOT_FOUND', 'CLAIM_ALREADY_DECIDED', 'CLAIM_BUSY']));
    expect(problemsOf(withdrawTrainingLeaveClaim)).not.toContain('INVALID_JSON');
    expect(problemsOf(checkPremium)).toEqual(expect.arrayContaining(['NOT_REGISTERED_AS_JOB_SEEKER', 'INVALID_JSON', 'SOURCE_UNAVAILABLE']));
    expect(problemsOf(readTrainingLeaveClaim)).toContain('TEAM_NOT_ALLOWED');
    const withdrawal = operation(withdrawTrainingLeaveClaim);
    expect(withdrawal.responses['409'].content['application/problem+json'].schema.allOf[1].properties.code.enum).toEqual(['CLAIM_ALREADY_DECIDED']);
    expect(withdrawal.responses['503'].content['application/problem+json'].schema.allOf[1].properties.code.enum).toContain('CLAIM_BUSY');
  });

  it('gives every problem its status from one table', () => {
    expect(problems.claimBusy().status).toBe(PROBLEM_CODES.CLAIM_BUSY);
    expect(problems.unauthorized('expired', 'x').code).toBe('TOKEN_EXPIRED');
    expect(problems.forbidden('NOT_OWN_DATA', {}).status).toBe(403);
  });

  it('keeps the typed client’s types in step with the document (npm run contracts)', async () => {
    expect(await readFile(CLIENT_TYPES, 'utf8'), 'shared/client/api.d.ts is stale: run npm run contracts').toBe(await renderClientTypes());
  });
});

describe('the contract check of an operation the document does not have', () => {
  const request = (method: string, path: string) => new Request(`http://127.0.0.1:1${path}`, { method });
  const answer = (status: number, type: string, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
  const notFound = { type: 'https://bcss-exchanges.example/problems/not-found', title: 'Not found', status: 404, detail: 'x', code: 'NOT_FOUND' };

  it('accepts only the default route’s problem+json 404 NOT_FOUND', async () => {
    expect(await checkAnswer(request('GET', '/v1/nope'), answer(404, 'application/problem+json', notFound))).toEqual({ operation: 'notFound', status: 404 });
    expect(await checkAnswer(request('DELETE', '/v1/training-leave/claims'), answer(404, 'application/problem+json', notFound))).toMatchObject({ status: 404 });
  });

  it.each([
    ['the emulator’s list of routes', answer(404, 'application/json', { error: 'Serverless-offline: route not found.', statusCode: 404 })],
    ['a bare 404', new Response('Not Found', { status: 404, headers: { 'content-type': 'text/plain' } })],
    ['another code', answer(404, 'application/problem+json', { ...notFound, code: 'UNKNOWN_TO_ONEM' })],
    ['a success', answer(200, 'application/json', {})],
  ])('refuses %s', async (_, response) => {
    await expect(checkAnswer(request('GET', '/v1/nope'), response)).rejects.toThrow(ContractViolation);
  });
});
