import type { RuleTable } from '../effective-dated.js';
import type { PlanCaveat, Reason, Regime } from './codes.js';

/**
 * What a planned break takes, per reason and regime, from the counters ONEM keeps
 * (docs/career-break.md A.1–A.5, "What-if"). The figures are the ones the sources publish:
 * which counter a reason draws on, the conversion between regimes, and the shortest and
 * longest period one request may ask for. The what-if (what-if.ts) reads the row in force
 * on the plan's first day.
 *
 * A counter is kept in full-time months. `factor` is how many months of the regime one
 * full-time month is worth (1 FT = 2 HT = 5 × 1/5 = 10 × 1/10 for parental leave): a month
 * taken in the regime uses 1/factor of a full-time month of each counter it draws on.
 */
export type Counter =
  /** Time credit with a motive (private sector): care motives and training together. */
  | 'TIME_CREDIT_POOL'
  /** Training, inside the pool. */
  | 'TIME_CREDIT_TRAINING'
  | 'PARENTAL_LEAVE'
  | 'MEDICAL_ASSISTANCE'
  | 'PALLIATIVE_LEAVE'
  | 'INFORMAL_CARER'
  /** Public sector, ordinary career break: full and partial are two pools. */
  | 'PUBLIC_BREAK_FULL'
  | 'PUBLIC_BREAK_PARTIAL';

/** Codes and labels of the caveats: codes.ts (PLAN_CAVEATS). */
type Caveat = PlanCaveat;

export interface ReasonPlanRule {
  /** Per regime the reason is offered in: the counters it draws on and the regime's factor. */
  regimes: Partial<Record<Regime, { draws: readonly Counter[]; factor: number }>>;
  /** Shortest period one request may ask, per regime (a shorter remaining balance may still be taken, A1.5). */
  minimumMonths?: Partial<Record<Regime, number>>;
  /** Periods are taken in blocks of this many months, per regime (parental leave, A2.1). */
  blockMonths?: Partial<Record<Regime, number>>;
  /** Longest period one request may ask: a longer plan is asked in several (a caveat, not a refusal). */
  periodMonths?: number;
  caveats: Partial<Record<Regime | 'ANY', readonly Caveat[]>>;
  source: string;
}

const timeCredit = (draws: readonly Counter[], minimumMonths: Partial<Record<Regime, number>>, periodMonths?: number) => ({
  regimes: {
    // A1.1: calendar months whatever the regime.
    FULL_TIME: { draws, factor: 1 },
    HALF_TIME: { draws, factor: 1 },
    ONE_FIFTH: { draws, factor: 1 },
  },
  minimumMonths,
  ...(periodMonths ? { periodMonths } : {}),
});

/** A1.5 (CSC, duration of time credit): 3 months full or half time, 6 months at 1/5. */
const TIME_CREDIT_MINIMUM = { FULL_TIME: 3, HALF_TIME: 3, ONE_FIFTH: 6 } as const;
const CHILD = ['CHILD_AGE_NOT_KNOWN'] as const;
const AGREEMENT = { FULL_TIME: ['SECTOR_AGREEMENT_NEEDED'], HALF_TIME: ['SECTOR_AGREEMENT_NEEDED'] } as const;

export const PLAN_RULES: RuleTable<Record<Reason, ReasonPlanRule>> = [
  {
    // Informal carer at 3 months per person since 1 Sep 2021: the latest change of a figure below.
    from: '2021-09-01',
    source: 'docs/career-break.md A.1, A1.1, A1.2, A1.3, A1.5, A.2, A2.1, A2.2, A3.1, A5.5',
    value: {
      CHILD_UNDER_8: {
        ...timeCredit(['TIME_CREDIT_POOL'], TIME_CREDIT_MINIMUM),
        caveats: { ANY: CHILD, ...AGREEMENT },
        source: 'CCT 103 art. 4 (werk.belgie.be, A1.1–A1.3); CSC (A1.5): the 51-month pool, calendar months; FT/HT need a CAO',
      },
      DISABLED_CHILD_UNDER_21: {
        ...timeCredit(['TIME_CREDIT_POOL'], TIME_CREDIT_MINIMUM),
        caveats: { ANY: CHILD },
        source: 'CCT 103 art. 4 (werk.belgie.be, A1.1, A1.2); CSC (A1.5); no CAO needed for FT or HT (A.1)',
      },
      SERIOUSLY_ILL_MINOR_CHILD: {
        ...timeCredit(['TIME_CREDIT_POOL'], TIME_CREDIT_MINIMUM),
        caveats: { ANY: CHILD },
        source: 'CCT 103 art. 4 (werk.belgie.be, A1.1, A1.2); CSC (A1.5); no CAO needed for FT or HT (A.1)',
      },
      SERIOUSLY_ILL_RELATIVE: {
        // Periods of 1 to 3 months (A.1, A1.5).
        ...timeCredit(['TIME_CREDIT_POOL'], { FULL_TIME: 1, HALF_TIME: 1, ONE_FIFTH: 1 }, 3),
        caveats: AGREEMENT,
        source: 'CCT 103 art. 4 (werk.belgie.be, A1.1–A1.3); CSC (A1.5): periods of 1 to 3 months',
      },
      PALLIATIVE_CARE_TIME_CREDIT: {
        // A month at least, extendable by a month (A.1, A1.5).
        ...timeCredit(['TIME_CREDIT_POOL'], { FULL_TIME: 1, HALF_TIME: 1, ONE_FIFTH: 1 }, 1),
        caveats: AGREEMENT,
        source: 'CCT 103 art. 4 (werk.belgie.be, A.1, A1.1–A1.3): the 51-month pool; CSC (A1.5): 1 month, extendable by 1 month',
      },
      TRAINING: {
        ...timeCredit(['TIME_CREDIT_POOL', 'TIME_CREDIT_TRAINING'], TIME_CREDIT_MINIMUM),
        caveats: AGREEMENT,
        source: 'CCT 103 art. 4 (werk.belgie.be, A1.1–A1.3): 36 months inside the 51; CSC (A1.5)',
      },
      PALLIATIVE_CARE: {
        // The thematic leave (A.2): 1 + 1 + 1 months per patient, every form 1:1 (A5.5).
        regimes: {
          FULL_TIME: { draws: ['PALLIATIVE_LEAVE'], factor: 1 },
          HALF_TIME: { draws: ['PALLIATIVE_LEAVE'], factor: 1 },
          ONE_FIFTH: { draws: ['PALLIATIVE_LEAVE'], factor: 1 },
        },
        minimumMonths: { FULL_TIME: 1, HALF_TIME: 1, ONE_FIFTH: 1 },
        periodMonths: 1,
        caveats: { ANY: ['COUNTED_PER_PERSON'] },
        source: 'Partena, BOSA (A.2): 3 months per patient, taken a month at a time; A5.5: every form 1:1',
      },
      PARENTAL_LEAVE: {
        regimes: {
          FULL_TIME: { draws: ['PARENTAL_LEAVE'], factor: 1 },
          HALF_TIME: { draws: ['PARENTAL_LEAVE'], factor: 2 },
          ONE_FIFTH: { draws: ['PARENTAL_LEAVE'], factor: 5 },
          ONE_TENTH: { draws: ['PARENTAL_LEAVE'], factor: 10 },
        },
        // Taken by periods of 1 month full time, 2 half time, 5 at 1/5, 10 at 1/10, or a multiple (A2.1).
        blockMonths: { FULL_TIME: 1, HALF_TIME: 2, ONE_FIFTH: 5, ONE_TENTH: 10 },
        caveats: { ANY: [...CHILD, 'COUNTED_PER_PERSON'], ONE_TENTH: ['EMPLOYER_AGREEMENT_NEEDED'] },
        source:
          'ONEM FAQ parental leave (A.2); Securex, forms of parental leave (A2.1): 1 FT = 2 HT = 5 × 1/5 = 10 × 1/10, by periods of 1, 2, 5 or 10 months or a multiple; 1/10 with the employer’s agreement',
      },
      MEDICAL_ASSISTANCE: {
        regimes: {
          FULL_TIME: { draws: ['MEDICAL_ASSISTANCE'], factor: 1 },
          HALF_TIME: { draws: ['MEDICAL_ASSISTANCE'], factor: 2 },
          ONE_FIFTH: { draws: ['MEDICAL_ASSISTANCE'], factor: 2 },
        },
        minimumMonths: { FULL_TIME: 1, HALF_TIME: 1, ONE_FIFTH: 1 },
        periodMonths: 3,
        caveats: { ANY: ['COUNTED_PER_PERSON'] },
        source: 'RVA, belgium.be (A.2): periods of 1 to 3 months per patient; BOSA (A2.2): 1 FT = 2 partial',
      },
      INFORMAL_CARER: {
        regimes: {
          FULL_TIME: { draws: ['INFORMAL_CARER'], factor: 1 },
          HALF_TIME: { draws: ['INFORMAL_CARER'], factor: 2 },
          ONE_FIFTH: { draws: ['INFORMAL_CARER'], factor: 2 },
        },
        caveats: { ANY: ['COUNTED_PER_PERSON'] },
        source: 'RVA T164 (A.2): 3 FT / 6 partial per person, career 6 / 12; A5.5: 1 FT = 2 partial',
      },
      OTHER: {
        // Two pools; partial months count whole against the 60 whatever the fraction (BOSA, federal; A3.1, A5.7).
        regimes: {
          FULL_TIME: { draws: ['PUBLIC_BREAK_FULL'], factor: 1 },
          HALF_TIME: { draws: ['PUBLIC_BREAK_PARTIAL'], factor: 1 },
          ONE_FIFTH: { draws: ['PUBLIC_BREAK_PARTIAL'], factor: 1 },
        },
        minimumMonths: { FULL_TIME: 3, HALF_TIME: 3, ONE_FIFTH: 3 },
        periodMonths: 12,
        caveats: {},
        source: 'socialsecurity.be, fedweb, BOSA (A3.1): 60 months full + 60 partial, periods of 3 to 12 months, partial months counted whole (A5.7)',
      },
    },
  },
];
