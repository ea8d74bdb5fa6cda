import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPossibilitiesHandler } from '../../functions/career-break/possibilities.js';
import { createWhatIfHandler } from '../../functions/career-break/what-if.js';
import { careerBreakPossibilities, careerBreakWhatIf } from '../../shared/purposes/catalogue.js';
import { lambdaContext } from '../support/lambda.js';
import { type Harness, httpEvent, startHarness } from '../support/purpose-harness.js';

// Both career-break handlers on the purpose stack, with scripted sources on loopback (the
// harness's clock says 2026-11-24): the pre-filter, one ONEM call, the answer in the language asked.
let h: Harness;
const ADULT = '85073003328';
const MINOR = '10050324536';
beforeAll(async () => {
  h = await startHarness();
  h.sourceAnswers.set(`/career/careers/${ADULT}`, {
    status: 200,
    body: { niss: ADULT, birthDate: '1985-07-30', periods: [{ sector: 'PRIVATE', from: '2008-09-01' }] },
  });
  h.sourceAnswers.set(`/career/careers/${MINOR}`, {
    status: 200,
    body: { niss: MINOR, birthDate: '2010-05-03', periods: [{ sector: 'PRIVATE', from: '2026-07-01' }] },
  });
  h.sourceAnswers.set(`/onem/counters/${ADULT}`, {
    status: 200,
    body: {
      niss: ADULT,
      employerEnterpriseNumber: '0403170701',
      counters: ['FULL_TIME', 'HALF_TIME', 'ONE_FIFTH'].flatMap((regime) => [
        { reason: 'CHILD_UNDER_8', regime, remainingMonths: 33 },
        { reason: 'TRAINING', regime, remainingMonths: 33 },
      ]),
      closures: [],
    },
  });
});
afterAll(() => h.close());

const whatIf = createWhatIfHandler(() => h.deps(careerBreakWhatIf.purpose)());
const possibilities = createPossibilitiesHandler(() => h.deps(careerBreakPossibilities.purpose)());
const ask = async (handler: typeof whatIf, niss: string, body?: unknown, language = 'fr') => {
  const hitsBefore = h.sourceHits.filter((p) => p.startsWith('/onem')).length;
  const response = await handler(
    httpEvent({
      method: body === undefined ? 'GET' : 'POST',
      path: body === undefined ? '/v1/career-break/possibilities' : '/v1/career-break/what-if',
      token: await h.token({ role: 'citizen', niss }),
      headers: { 'accept-language': language },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    lambdaContext(),
  );
  return {
    status: response.statusCode,
    body: JSON.parse(response.body ?? 'null'),
    onemCalls: h.sourceHits.filter((p) => p.startsWith('/onem')).length - hitsBefore,
  };
};

describe('the career-break handlers', () => {
  it('answer the possibilities and the plan from one ONEM call each, in the language asked', async () => {
    const lookup = await ask(possibilities, ADULT);
    expect(lookup).toMatchObject({ status: 200, onemCalls: 1 });
    expect(lookup.body.reasons.map((r: { label: string }) => r.label)).toEqual(['Soins à votre enfant de moins de 8 ans', 'Formation']);
    const planned = await ask(whatIf, ADULT, { reason: 'CHILD_UNDER_8', regime: 'FULL_TIME', months: 6, from: '2027-01-04' });
    expect(planned).toMatchObject({ status: 200, onemCalls: 1 });
    expect(planned.body.plan).toMatchObject({ fits: true, until: '2027-07-03' });
    expect(planned.body.plan.caveats.map((c: { code: string }) => c.code)).toEqual(['CHILD_AGE_NOT_KNOWN', 'SECTOR_AGREEMENT_NEEDED']);
    expect(planned.body.reasons.map((r: { remainingMonths: { FULL_TIME: number } }) => r.remainingMonths.FULL_TIME)).toEqual([27, 27]);
    expect(JSON.stringify(planned.body)).not.toContain(ADULT);
    // The audit records the purpose of each: a simulation is told from a lookup.
    expect(h.audits.slice(-2).map((a) => a.purpose)).toEqual(['CAREER_BREAK_POSSIBILITIES', 'CAREER_BREAK_WHAT_IF']);
  });

  it('stop at the pre-filter without calling ONEM', async () => {
    const planned = await ask(whatIf, MINOR, { reason: 'TRAINING', regime: 'FULL_TIME', months: 6, from: '2027-01-04' }, 'en');
    expect(planned).toMatchObject({ status: 200, onemCalls: 0 });
    expect(planned.body).toMatchObject({ preconditions: { met: false, failed: ['UNDER_18'] }, plan: { fits: false, until: '2027-07-03' } });
    const lookup = await ask(possibilities, MINOR);
    expect(lookup).toMatchObject({ status: 200, onemCalls: 0, body: { preconditions: { met: false, failed: ['UNDER_18'] }, reasons: [] } });
  });

  it('answer 404 when ONEM does not know the person', async () => {
    h.sourceAnswers.set('/career/careers/78021511718', {
      status: 200,
      body: { niss: '78021511718', birthDate: '1978-02-15', periods: [{ sector: 'PUBLIC', from: '2000-01-01' }] },
    });
    const planned = await ask(whatIf, '78021511718', { reason: 'OTHER', regime: 'FULL_TIME', months: 6, from: '2027-01-04' });
    expect(planned).toMatchObject({ status: 404, body: { code: 'UNKNOWN_TO_ONEM' } });
  });
});
