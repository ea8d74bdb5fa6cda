import * as z from 'zod';
import { definePurpose, httpBinding } from './purpose.js';

/**
 * Deliberation 24/012: ONEM → MyCareer. The citizen sees their own remaining
 * career-break / time-credit rights; SIGEDIS neither stores nor interprets them (§9, §16, §18).
 */
export const careerBreakLookup = definePurpose({
  id: 'CAREER_BREAK_POSSIBILITIES',
  deliberation: '24/012',
  description: 'Show a logged-in citizen, on MyCareer, the career-break, time-credit and thematic-leave rights they have left.',
  sources: {
    // Pre-filter (§8, §15): age and sector of the career, nothing else.
    career: ['niss', 'birthDate', 'periods[].sector', 'periods[].from', 'periods[].to'],
    // §2, §14: NISS, employer's enterprise number, counter per reason and regime.
    onem: ['niss', 'employerEnterpriseNumber', 'counters[].reason', 'counters[].regime', 'counters[].remainingMonths', 'closures[].reason', 'closures[].code'],
  },
  retention: { kind: 'none', source: 'deliberation 24/012 §9, §16, §18: shown during the MyCareer session only, never stored' },
});

export const careerBreakPossibilities = httpBinding({
  purpose: careerBreakLookup,
  route: { method: 'GET', path: '/v1/career-break/possibilities', successStatus: 200 },
  actors: [{ role: 'citizen', binding: 'own-niss' }],
  // No query parameter at all: the subject comes from the token, never from the request.
  input: { query: z.strictObject({}) },
  subject: {},
  output: {
    citizen: [
      'preconditions.met',
      'preconditions.failed',
      'employer.enterpriseNumber',
      'reasons[].reason',
      'reasons[].label',
      'reasons[].available',
      'reasons[].remainingMonths.FULL_TIME',
      'reasons[].remainingMonths.HALF_TIME',
      'reasons[].remainingMonths.ONE_FIFTH',
      'reasons[].remainingMonths.ONE_TENTH',
      'reasons[].closedBecause[].code',
      'reasons[].closedBecause[].label',
    ],
  },
});
