import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPossibilitiesHandler } from '../../functions/career-break/possibilities.js';
import { createCheckPremiumHandler } from '../../functions/premium-check/check-premium.js';
import { createSubmitClaimHandler } from '../../functions/training-leave/submit-claim.js';
import { FUNCTIONS, rateLimitPolicyOf } from '../../shared/deployment/functions.js';
import { PROBLEM_LIMITS } from '../../shared/http/problems.js';
import { careerBreakPossibilities, checkPremium, submitTrainingLeaveClaim } from '../../shared/purposes/catalogue.js';
import { InMemoryClaims, InMemoryPremiumChecks, InMemoryQueue } from '../support/fakes.js';
import { lambdaContext } from '../support/lambda.js';
import { testPseudonymiser } from '../support/pseudonymiser.js';
import { type Harness, httpEvent, startHarness } from '../support/purpose-harness.js';

// The bounds the OpenAPI document states are the ones the edge enforces: the same zod
// schemas validate each request, through the real handlers on in-memory fakes.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const EMPLOYER = { role: 'employer', enterpriseNumber: '0403170701' } as const;
const claim = {
  employerEnterpriseNumber: '0403170701',
  workerNiss: '85073003328',
  schoolYear: '2024-2025',
  training: { id: 'ODB-12345', startDate: '2024-09-01', endDate: '2025-08-31' },
  hoursByMonth: { '2024-10': 8 },
};
const submit = createSubmitClaimHandler(() => ({
  ...h.deps(submitTrainingLeaveClaim.purpose)(),
  claims: new InMemoryClaims(),
  queue: new InMemoryQueue(),
  pseudonymiser: testPseudonymiser(),
}));
const send = async (body: unknown, headers: Record<string, string> = {}) => {
  const response = await submit(httpEvent({ method: 'POST', token: await h.token(EMPLOYER), body, headers }), lambdaContext());
  return { status: response.statusCode, body: JSON.parse(response.body ?? 'null') };
};
const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);

describe('the bounds of the contract, at the edge', () => {
  it('refuses a 12-digit NISS as too long, naming the field', async () => {
    const { status, body } = await send({ ...claim, workerNiss: '850730033281' });
    expect(status).toBe(400);
    expect(body.errors).toContainEqual({ path: 'body.workerNiss', message: 'expected a NISS of 11 digits' });
  });

  it('refuses a string over its maxLength: a 41-character training id, a 129-character Idempotency-Key', async () => {
    const id = await send({ ...claim, training: { ...claim.training, id: 'A'.repeat(41) } });
    expect(id.status).toBe(400);
    expect(id.body.errors).toContainEqual({ path: 'body.training.id', message: 'expected a training-database id of at most 40 characters' });
    const key = await send(claim, { 'Idempotency-Key': 'k'.repeat(129) });
    expect(key.status).toBe(400);
    expect(new Set(paths(key.body))).toEqual(new Set(['headers.idempotency-key']));
  });

  it('refuses more months than a school year has (maxProperties 12), naming the field', async () => {
    const months = ['2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08'];
    const thirteen = Object.fromEntries([...months, '2025-09'].map((m) => [m, 1]));
    const { status, body } = await send({ ...claim, hoursByMonth: thirteen });
    expect(status).toBe(400);
    expect(paths(body)).toContain('body.hoursByMonth');
    expect(body.errors).toContainEqual({ path: 'body.hoursByMonth', message: 'a school year has 12 months' });
  });

  it('refuses an amount longer than its pattern admits, and disregards an over-long Accept-Language', async () => {
    const check = createCheckPremiumHandler(() => ({
      ...h.deps(checkPremium.purpose)(),
      checks: new InMemoryPremiumChecks(),
      pseudonymiser: testPseudonymiser(),
    }));
    const premium = {
      scheme: 'PTP',
      employerEnterpriseNumber: '0403170701',
      workerNiss: '84050550577',
      hiringDate: '2023-06-01',
      month: '2024-05',
      declared: { daysWorked: 20, assimilatedDays: 3, grossSalary: '12345678901.00', amountClaimed: '1168.75', regularStaffFte: '10.00' },
    };
    const tooLong = await check(httpEvent({ method: 'POST', token: await h.token({ role: 'actiris' }), body: premium }), lambdaContext());
    expect(tooLong.statusCode).toBe(400);
    expect(paths(JSON.parse(tooLong.body ?? '{}'))).toContain('body.declared.grossSalary');

    const possibilities = createPossibilitiesHandler(() => h.deps(careerBreakPossibilities.purpose)());
    const token = await h.token({ role: 'citizen', niss: '85073003328' });
    const language = await possibilities(httpEvent({ token, headers: { 'Accept-Language': `nl,${'x'.repeat(300)}` } }), lambdaContext());
    // Disregarded (RFC 9110 §12.5.4), not refused: the route's default language, though Dutch was first.
    expect(language.statusCode).toBe(200);
    expect(language.headers?.['content-language']).toBe('en');
  });

  it('answers at most the first errors of a request with very many bad fields, each cut to size', async () => {
    // Field names longer than an error's path may be, within the body limit.
    const body = { ...claim, hoursByMonth: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`${'9'.repeat(PROBLEM_LIMITS.path + 20)}${i}`, 1])) };
    const { status, body: problem } = await send(body);
    expect(status).toBe(400);
    expect(problem.errors.length).toBeGreaterThan(1);
    expect(problem.errors.length).toBeLessThanOrEqual(PROBLEM_LIMITS.errors);
    expect(problem.errors[0].path).toMatch(/^body\.hoursByMonth\.9+…$/);
    for (const error of problem.errors) {
      expect(error.path.length).toBeLessThanOrEqual(PROBLEM_LIMITS.path);
      expect(error.message.length).toBeLessThanOrEqual(PROBLEM_LIMITS.message);
    }
    expect(problem.detail.length).toBeLessThanOrEqual(PROBLEM_LIMITS.detail);
  });
});

describe('the throttle, stated on every answer', () => {
  it('sends the RateLimit-Policy the deployment catalogue gives the function, on a success and on a problem', async () => {
    const policy = rateLimitPolicyOf('submitTrainingLeaveClaim', FUNCTIONS.submitTrainingLeaveClaim);
    vi.stubEnv('RATE_LIMIT_POLICY', policy ?? '');
    try {
      const token = await h.token(EMPLOYER);
      const accepted = await submit(httpEvent({ method: 'POST', token, body: claim }), lambdaContext());
      const refused = await submit(httpEvent({ method: 'POST', token, body: { ...claim, workerNiss: '1' } }), lambdaContext());
      expect([accepted.statusCode, refused.statusCode]).toEqual([202, 400]);
      expect(accepted.headers?.['ratelimit-policy']).toBe('"submitTrainingLeaveClaim";q=20;w=1');
      expect(refused.headers?.['ratelimit-policy']).toBe(policy);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
