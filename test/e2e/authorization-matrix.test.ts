import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../shared/auth/principal.js';
import {
  HTTP_BINDINGS,
  submitTrainingLeaveClaim,
  readTrainingLeaveClaim,
  listTrainingLeaveClaims,
  withdrawTrainingLeaveClaim,
  readAccessLog,
  careerBreakPossibilities,
  careerBreakWhatIf,
  checkPremium,
} from '../../shared/purposes/catalogue.js';
import type { HttpBinding } from '../../shared/purposes/purpose.js';

type Binding = HttpBinding<any, any>;
import { api, tokenFor } from '../support/tokens.js';

/**
 * The authorization matrix, generated from the purpose declarations: every HTTP route ×
 * every kind of caller × own / other subject, over HTTP against the local cloud. The
 * expected status is derived from the declaration, not written by hand, so a change to
 * a declaration changes the matrix.
 */

const OWN_ENTERPRISE = '0403170701';
const OTHER_ENTERPRISE = '0202746430';
const REGISTERED_001 = '91011715490'; // registered by Actiris with quality code 001
const REGISTERED_002 = '82061119872'; // registered by Actiris with quality code 002

type Caller = { name: string; principal?: Principal };
const CALLERS: Caller[] = [
  { name: 'no token' },
  { name: 'citizen', principal: { role: 'citizen', niss: '85073003328' } },
  { name: 'employer', principal: { role: 'employer', enterpriseNumber: OWN_ENTERPRISE } },
  { name: 'dwse competenties', principal: { role: 'dwse', team: 'competenties' } },
  { name: 'dwse inspectie', principal: { role: 'dwse', team: 'inspectie' } },
  { name: 'dwse geldboetes', principal: { role: 'dwse', team: 'geldboetes' } },
  { name: 'dwse other team', principal: { role: 'dwse', team: 'communicatie' } },
  { name: 'actiris', principal: { role: 'actiris' } },
];

type Subject = 'own' | 'other';

/** A well-formed request for the route, about the caller's own subject or someone else's. */
/** A claim of OWN_ENTERPRISE, submitted once for the reading route. */
let storedClaimId = '';
/** One that stays waiting (a school year without published figures), for the withdrawal route. */
let waitingClaimId = '';
beforeAll(async () => {
  const token = await tokenFor({ role: 'employer', enterpriseNumber: OWN_ENTERPRISE });
  const { path, init } = requestFor(submitTrainingLeaveClaim, 'own');
  const response = await api(path, { ...init, token });
  storedClaimId = ((await response.json()) as { claimId: string }).claimId;
  const waiting = await api('/v1/training-leave/claims', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      employerEnterpriseNumber: OWN_ENTERPRISE,
      workerNiss: '83040440483',
      schoolYear: '2026-2027',
      training: { id: 'ODB-12345', startDate: '2026-10-01', endDate: '2027-03-31' },
      hoursByMonth: { '2026-10': 2 },
    }),
    token,
  });
  waitingClaimId = ((await waiting.json()) as { claimId: string }).claimId;
});

const requestFor = (binding: Binding, subject: Subject): { path: string; init: RequestInit } => {
  const route = binding.route;
  const path = route.path.replace('{claimId}', binding === withdrawTrainingLeaveClaim ? waitingClaimId : storedClaimId);
  const json = (body: unknown): RequestInit => ({ method: route.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  switch (binding) {
    case submitTrainingLeaveClaim:
      return {
        path,
        init: json({
          // "other": a claim in the name of another employer than the token's.
          employerEnterpriseNumber: subject === 'own' ? OWN_ENTERPRISE : OTHER_ENTERPRISE,
          // A worker unknown to the BCSS registers: the claim is rejected without taking hours
          // from the ledger that the training-leave scenarios count on.
          workerNiss: '83040440483',
          schoolYear: '2024-2025',
          training: { id: 'ODB-12345', startDate: '2024-10-01', endDate: '2025-03-31' },
          hoursByMonth: { '2024-10': 8 },
        }),
      };
    case checkPremium:
      return {
        path,
        init: json({
          scheme: 'ACS',
          employerEnterpriseNumber: OWN_ENTERPRISE,
          // "other": a worker Actiris did not register as a job seeker.
          workerNiss: subject === 'own' ? REGISTERED_001 : REGISTERED_002,
          hiringDate: '2023-01-01',
          month: '2024-05',
          declared: {
            daysWorked: 18,
            assimilatedDays: 2,
            grossSalary: '2500.00',
            grantedMonthlyPremium: '1500.00',
            exemptionClaimed: false,
            regularStaffFte: '10.0',
          },
        }),
      };
    case careerBreakWhatIf:
      // The plan names no subject: it is the token's.
      return { path, init: json({ reason: 'TRAINING', regime: 'ONE_FIFTH', months: 12, from: '2027-01-01' }) };
    case listTrainingLeaveClaims:
      // "other": the list of another employer, asked for by name.
      return { path: subject === 'own' ? path : `${path}?employerEnterpriseNumber=${OTHER_ENTERPRISE}`, init: { method: route.method } };
    case readTrainingLeaveClaim:
      // "other": the claim of another employer (the caller's token is swapped below).
      return { path, init: { method: route.method } };
    default:
      return { path, init: { method: route.method } };
  }
};

/** Which subjects a route lets a caller name at all (the career-break lookup names none: it is the token's). */
const subjectsOf = (binding: Binding): Subject[] =>
  binding === careerBreakPossibilities || binding === careerBreakWhatIf || binding === readAccessLog ? ['own'] : ['own', 'other'];

const expectedStatus = (binding: Binding, caller: Caller, subject: Subject): number => {
  const principal = caller.principal;
  if (!principal) return 401;
  const rule = binding.actors.find((a) => a.role === principal.role);
  if (!rule) return 403;
  if (rule.binding === 'team' && principal.role === 'dwse' && !(rule.teams as readonly string[]).includes(principal.team)) return 403;
  if ((rule.binding === 'own-enterprise' || rule.binding === 'reference-directory') && subject === 'other') {
    // A stored resource of another employer is not revealed: 404, as if it did not exist.
    return binding.resource ? 404 : 403;
  }
  return binding.route.successStatus;
};

const cases = HTTP_BINDINGS.flatMap((binding: Binding) =>
  CALLERS.flatMap((caller) => subjectsOf(binding).map((subject) => ({ binding, caller, subject, expected: expectedStatus(binding, caller, subject) }))),
);

describe('authorization matrix over HTTP', () => {
  it('covers every route, every caller and both outcomes', () => {
    expect(new Set(cases.map((c) => c.binding)).size).toBe(HTTP_BINDINGS.length);
    expect(cases.some((c) => c.expected === 403)).toBe(true);
    expect(cases.some((c) => c.expected === 401)).toBe(true);
    expect(cases.some((c) => c.expected < 400)).toBe(true);
  });

  it.each(cases.map((c) => [`${c.binding.route.method} ${c.binding.route.path}`, c.caller.name, c.subject, c.expected, c] as const))(
    '%s as %s (%s subject) → %i',
    async (_route, _caller, _subject, expected, { binding, caller, subject }) => {
      const { path, init } = requestFor(binding, subject);
      const principal =
        subject === 'other' && (binding === readTrainingLeaveClaim || binding === withdrawTrainingLeaveClaim) && caller.principal?.role === 'employer'
          ? { role: 'employer' as const, enterpriseNumber: OTHER_ENTERPRISE }
          : caller.principal;
      const token = principal ? await tokenFor(principal) : undefined;
      const response = await api(path, { ...init, ...(token ? { token } : {}) });
      const body = await response.text();
      expect(response.status, body).toBe(expected);
      if (expected >= 400) expect(response.headers.get('content-type')).toBe('application/problem+json');
    },
  );
});
