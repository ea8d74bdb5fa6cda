import type { RuleTable } from '../effective-dated.js';

/**
 * Flemish training leave (VOV), deliberation 19/038, with every figure beside its source
 * (docs/training-leave.md, ids B1-B18). Tables are keyed by date: a school-year row
 * runs from 1 September to 31 August.
 */

/** The regime exists from 1 September 2019 (19/038 §5, §26; BVR 21 Dec 2018). */
export const REGIME_START = '2019-09-01';

export interface SchoolYearParameters {
  /** Which month's occupation sets the personal maximum. */
  referenceMonth: 'SEPTEMBER_OF_SCHOOL_YEAR' | 'MARCH_BEFORE_SCHOOL_YEAR';
  /** Minimum occupation fraction in the reference month (or the month the first training starts). */
  minimumFraction: number;
  /** Minimum average weekly hours (Σ Q), when the school year sets one. */
  minimumWeeklyHours?: number;
  /** Hours per school year for a full-time worker. */
  hoursPerYear: number;
  /** Reimbursement per approved hour, in euro. */
  hourlyForfait: string;
  /** Minimum share of contact hours attended, when the school year sets one. */
  minimumAttendanceShare?: number;
  /** Months after the training start within which the claim must be filed. */
  filingDeadlineMonths: number;
}

const B3 = 'B3 vlaanderen.be "duur van het verlof": 125 h per school year × occupation %';
const B6 = 'B6 werk.be: € 21.30 per hour since 2015-16';
const B11 = 'B11 vlaanderen.be (werkgever): at the latest 3 months after the training start';

export const SCHOOL_YEAR_PARAMETERS: RuleTable<SchoolYearParameters> = [
  {
    from: '2019-09-01',
    to: '2023-08-31',
    value: { referenceMonth: 'SEPTEMBER_OF_SCHOOL_YEAR', minimumFraction: 0.5, hoursPerYear: 125, hourlyForfait: '21.30', filingDeadlineMonths: 3 },
    source: `19/038 §17 (September, ≥ 50 %); ${B3}; ${B6}; ${B11}`,
  },
  {
    from: '2023-09-01',
    to: '2024-08-31',
    value: { referenceMonth: 'MARCH_BEFORE_SCHOOL_YEAR', minimumFraction: 0.5, hoursPerYear: 125, hourlyForfait: '21.30', filingDeadlineMonths: 3 },
    source: `B4 Sodalis (BS 19 Oct 2023): March before the school year from 1 Sep 2023; ${B3}; ${B6}; ${B11}`,
  },
  {
    from: '2024-09-01',
    to: '2025-08-31',
    value: {
      referenceMonth: 'MARCH_BEFORE_SCHOOL_YEAR',
      minimumFraction: 0.5,
      hoursPerYear: 125,
      hourlyForfait: '21.30',
      minimumAttendanceShare: 0.5,
      filingDeadlineMonths: 3,
    },
    source: `B4 (March before); B10 Prato: ≥ 50 % of contact hours attended since 2024-25; ${B3}; ${B6}; ${B11}`,
  },
  {
    from: '2025-09-01',
    to: '2026-08-31',
    value: {
      referenceMonth: 'MARCH_BEFORE_SCHOOL_YEAR',
      minimumFraction: 0.8,
      minimumWeeklyHours: 28,
      hoursPerYear: 125,
      hourlyForfait: '14.91',
      minimumAttendanceShare: 0.5,
      filingDeadlineMonths: 3,
    },
    source:
      'B5a, B6: Flemish Government decision of 25 Apr 2025 (≥ 80 %, ≥ 28 h/week, € 14.91/h), approved subject to SERV and Council of State opinions; final BVR not seen',
    confidence: 'UNCONFIRMED',
  },
  // 2026-27 and later: nothing published was found (open question 11). No row: a claim
  // for those years is not decided on a guess; it waits in the dead-letter queue.
];
