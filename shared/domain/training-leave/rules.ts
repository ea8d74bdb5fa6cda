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
      filingDeadlineMonths: 3,
    },
    source: `B4 (March before); ${B3}; ${B6}; ${B11}`,
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
      filingDeadlineMonths: 3,
    },
    // Re-checked 2026-12-03 (docs/training-leave.md, "Confidence re-check"): the amending decree is
    // published; the thresholds are read in its art. 2, the forfait in the decision and in reports of
    // the rules in force from 1 September 2025.
    source:
      'B5a: BVR amending the BVR of 21 Dec 2018, Moniteur belge numac 2025005167 (refli.be/fr/lex/2025005167), art. 2 (art. 22, al. 4-6 of the BVR of 21 Dec 2018): in 2025-26 a worker employed < 80 % or < 28 h a week on average is excluded; hours pro rata of the March DmfA fraction, at least 80 %; ' +
      'B6: € 14.91/h (− 30 % from € 21.30), Flemish Government decision of 25 Apr 2025 (vlaanderen.be, "Tijdelijke technische aanpassingen voorwaarden … Vlaams opleidingsverlof") and bizplus.be (rules of 2025-26); the article of the decree stating € 14.91 was not in the text read',
    confidence: 'CONFIRMED',
  },
  // 2026-27 and later: nothing published was found (open question 11; re-checked 2026-12-03).
  // No row: a claim for those years is not decided on a guess; it waits, RECEIVED, with a
  // reason (SCHOOL_YEAR_FIGURES_NOT_PUBLISHED, waiting.ts) until a row lands here.
];

/**
 * The share of the contact hours a worker must have attended (B10), in its own table: its
 * source is not the school year's. Before 2024-25 there was none (the provider attested
 * unjustified absences). From 2024-25 it rests on a draft decree reported by Prato on 31 May
 * 2024. Re-checked 2026-12-03: that draft appears to have become the BVR of 17 Jan 2025
 * ("optimalisatie van het operationele proces", numac 2025000680; in force 1 Apr 2025 according
 * to Acerta), but its text on the 50 % share was not seen, nor whether it applies from
 * 1 Sep 2024 or from 1 Apr 2025 (docs/training-leave.md B10): the row stays unconfirmed.
 */
export const MINIMUM_ATTENDANCE_SHARE: RuleTable<number | null> = [
  { from: '2019-09-01', to: '2024-08-31', value: null, source: 'B10: no share of contact hours before 2024-25 (unjustified absences were attested instead)' },
  {
    from: '2024-09-01',
    value: 0.5,
    source:
      'B10 Prato, 31 May 2024: draft BVR (before the Council of State and the SERV): at least 50 % of the contact hours attended, shown on the attestation; the final BVR (probably that of 17 Jan 2025, numac 2025000680) was not read on this point (re-checked 2026-12-03)',
    confidence: 'UNCONFIRMED',
  },
];
