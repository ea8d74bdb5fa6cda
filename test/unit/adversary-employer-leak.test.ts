import { describe, expect, it } from 'vitest';
import { type ClaimFacts, evaluateClaim, NOTHING_APPROVED } from '../../shared/domain/training-leave/evaluate.js';
import { renderReason } from '../../shared/domain/training-leave/render.js';

/**
 * Adversarial: the employer must never learn the worker's occupation with other employers.
 * The personal maximum is 125 h × the occupation fraction summed over EVERY employer
 * (docs/training-leave.md B3), and 125 h is public: a maximum shown to the employer is the
 * fraction in disguise. Here the claiming employer employs the worker at 50 % (19 h / 38 h)
 * and another employer at 30 %: any employer text carrying 100 h (= 125 h × 80 %) tells the
 * claiming employer that the worker works 30 % elsewhere.
 */
const EMPLOYER = '0403170701';
const OTHER = '0202239951';
const NISS = '85073003328';

const facts = (over: Partial<ClaimFacts> = {}): ClaimFacts => ({
  claim: {
    employerEnterpriseNumber: EMPLOYER,
    workerNiss: NISS,
    schoolYear: '2024-2025',
    training: { id: 'ODB-12345', startDate: '2024-10-01', endDate: '2025-03-31' },
    hoursByMonth: { '2024-10': 8, '2024-11': 12 },
    filedOn: '2024-11-15',
  },
  person: {},
  employments: [
    { employerEnterpriseNumber: EMPLOYER, from: '2008-09-01' },
    { employerEnterpriseNumber: OTHER, from: '2015-01-01' },
  ],
  workerLines: ['2024-Q1', '2024-Q4', '2025-Q1'].flatMap((quarter) => [
    {
      quarter,
      employerEnterpriseNumber: EMPLOYER,
      sector: 'PRIVATE',
      localUnitRegion: 'FLANDERS',
      occupations: [{ from: '2010-01-01', q: 19, s: 38, workingTimeCode5Hours: 40 }],
    },
    {
      quarter,
      employerEnterpriseNumber: OTHER,
      sector: 'PRIVATE',
      localUnitRegion: 'WALLONIA',
      occupations: [{ from: '2010-01-01', q: 11.4, s: 38, workingTimeCode5Hours: 99 }],
    },
  ]),
  training: { recognisedFrom: '2019-09-01', contactHours: 60, attendance: [{ niss: NISS, hoursAttended: 60 }] },
  alreadyApproved: NOTHING_APPROVED,
  ...over,
});

/** 125 h × 80 % (the total occupation) in the three reader languages' formats. */
const TOTAL_MAXIMUM = /\b100(?:[.,]0+)?\s?(?:h|uur)\b/;

describe('the employer cannot derive the worker’s occupation elsewhere from the personal maximum', () => {
  const scenarios: Record<string, ClaimFacts> = {
    approved: facts(),
    maximumExceeded: facts({ alreadyApproved: { schoolYear: 95, training: 0, quarters: {} } }),
    maximumFixed: facts({ alreadyApproved: { schoolYear: 10, training: 0, quarters: {}, schoolYearLimit: 62.5 } }),
  };
  for (const [name, f] of Object.entries(scenarios)) {
    it(`${name}: no employer text states 125 h × the total occupation`, () => {
      for (const reason of evaluateClaim(f).reasons) {
        for (const language of ['nl', 'fr', 'en'] as const) {
          const { detail } = renderReason(reason, language, 'employer');
          expect(detail, `${reason.rule}.${reason.sentence} (${language})`).not.toMatch(TOTAL_MAXIMUM);
        }
      }
    });
  }
});
