import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monthsText, REASONS, REGIMES, type Reason, type Regime } from '../../shared/domain/career-break/codes.js';
import { PLAN_RULES } from '../../shared/domain/career-break/plan-rules.js';
import { type OnemCounters, presentPossibilities } from '../../shared/domain/career-break/present.js';
import { evaluatePlan, type Plan, planEnd } from '../../shared/domain/career-break/what-if.js';
import { checkTable } from '../../shared/domain/effective-dated.js';

// The what-if on ONEM answers written out (the shape of shared/sources/onem-contract.md),
// with the worked examples of the sources (docs/career-break.md).
const TODAY = '2026-11-25';
const row = (reason: Reason, months: Partial<Record<Regime, number>>) =>
  Object.entries(months).map(([regime, remainingMonths]) => ({ reason, regime: regime as Regime, remainingMonths: remainingMonths as number }));

/** A private-sector worker who took 18 months of 1/5 for a child under 8: 33 of the 51 left (the dataset's 85073003328). */
const PRIVATE: OnemCounters = {
  niss: '85073003328',
  employerEnterpriseNumber: '0403170701',
  counters: [
    ...row('CHILD_UNDER_8', { FULL_TIME: 33, HALF_TIME: 33, ONE_FIFTH: 33 }),
    ...row('SERIOUSLY_ILL_RELATIVE', { FULL_TIME: 33, HALF_TIME: 33, ONE_FIFTH: 33 }),
    ...row('TRAINING', { FULL_TIME: 33, HALF_TIME: 33, ONE_FIFTH: 33 }),
    ...row('PARENTAL_LEAVE', { FULL_TIME: 4, HALF_TIME: 8, ONE_FIFTH: 20, ONE_TENTH: 40 }),
    ...row('MEDICAL_ASSISTANCE', { FULL_TIME: 12, HALF_TIME: 24, ONE_FIFTH: 24 }),
    ...row('PALLIATIVE_CARE', { FULL_TIME: 3, HALF_TIME: 3, ONE_FIFTH: 3 }),
  ],
  closures: [{ reason: 'OTHER', code: 'NOT_AVAILABLE_IN_SECTOR' }],
};

/** Nothing taken yet: the whole 51-month pool, 36 of it for training (A1.2). */
const FRESH: OnemCounters = {
  niss: '90061512301',
  employerEnterpriseNumber: '0403170701',
  counters: [...row('CHILD_UNDER_8', { FULL_TIME: 51, HALF_TIME: 51, ONE_FIFTH: 51 }), ...row('TRAINING', { FULL_TIME: 36, HALF_TIME: 36, ONE_FIFTH: 36 })],
  closures: [],
};

const plan = (over: Partial<Plan>): Plan => ({ reason: 'TRAINING', regime: 'ONE_FIFTH', months: 12, from: '2027-01-01', ...over });
const left = (view: ReturnType<typeof evaluatePlan>, reason: Reason) => view.reasons.find((r) => r.reason === reason);

describe('the career-break what-if (deliberation 24/012; docs/career-break.md, What-if)', () => {
  it('werk.belgie.be (A1.2): after 36 months of training, 15 remain for care, and training is used up', () => {
    const view = evaluatePlan(FRESH, plan({ months: 36, from: '2027-01-01' }), TODAY, 'en');
    expect(view.plan).toMatchObject({ fits: true, until: '2029-12-31', refusedBecause: [] });
    expect(left(view, 'CHILD_UNDER_8')?.remainingMonths).toEqual({ FULL_TIME: 15, HALF_TIME: 15, ONE_FIFTH: 15 });
    expect(left(view, 'TRAINING')).toMatchObject({
      available: false,
      remainingMonths: { FULL_TIME: 0, HALF_TIME: 0, ONE_FIFTH: 0 },
      closedBecause: [{ code: 'POOL_EXHAUSTED', label: 'You have used up the maximum allowed' }],
    });
  });

  it('A1.1, A1.2: care months come out of the shared pool in calendar months whatever the regime; training keeps its own cap inside it', () => {
    // 30 months of half time for the child: 3 of the pool left, so training has 3 too.
    const care = evaluatePlan(PRIVATE, plan({ reason: 'CHILD_UNDER_8', regime: 'HALF_TIME', months: 30 }), TODAY, 'en');
    expect(care.plan.fits).toBe(true);
    expect(left(care, 'CHILD_UNDER_8')?.remainingMonths).toEqual({ FULL_TIME: 3, HALF_TIME: 3, ONE_FIFTH: 3 });
    expect(left(care, 'SERIOUSLY_ILL_RELATIVE')?.remainingMonths).toEqual({ FULL_TIME: 3, HALF_TIME: 3, ONE_FIFTH: 3 });
    expect(left(care, 'TRAINING')?.remainingMonths).toEqual({ FULL_TIME: 3, HALF_TIME: 3, ONE_FIFTH: 3 });
    // The thematic leaves are never charged (A2.3).
    expect(left(care, 'PARENTAL_LEAVE')?.remainingMonths).toEqual({ FULL_TIME: 4, HALF_TIME: 8, ONE_FIFTH: 20, ONE_TENTH: 40 });
    // Training on a fresh pool: 10 months leave 41 for care and 26 for training.
    const training = evaluatePlan(FRESH, plan({ months: 10 }), TODAY, 'en');
    expect(left(training, 'CHILD_UNDER_8')?.remainingMonths.FULL_TIME).toBe(41);
    expect(left(training, 'TRAINING')?.remainingMonths.FULL_TIME).toBe(26);
    // Care on a fresh pool: 20 months leave 31, so training is bound by the pool (31), not by its own 36.
    expect(left(evaluatePlan(FRESH, plan({ reason: 'CHILD_UNDER_8', months: 20 }), TODAY, 'en'), 'TRAINING')?.remainingMonths.FULL_TIME).toBe(31);
  });

  it('A2.1: parental leave converts between regimes, 1 FT = 2 HT = 5 × 1/5 = 10 × 1/10, by periods of 1, 2, 5 or 10 months', () => {
    const view = evaluatePlan(PRIVATE, plan({ reason: 'PARENTAL_LEAVE', regime: 'HALF_TIME', months: 4 }), TODAY, 'en');
    expect(left(view, 'PARENTAL_LEAVE')?.remainingMonths).toEqual({ FULL_TIME: 2, HALF_TIME: 4, ONE_FIFTH: 10, ONE_TENTH: 20 });
    expect(left(view, 'TRAINING')?.remainingMonths.FULL_TIME).toBe(33);
    expect(view.plan.caveats.map((c) => c.code)).toEqual(['CHILD_AGE_NOT_KNOWN', 'COUNTED_PER_PERSON']);
    const fifth = evaluatePlan(PRIVATE, plan({ reason: 'PARENTAL_LEAVE', regime: 'ONE_FIFTH', months: 5 }), TODAY, 'en');
    expect(left(fifth, 'PARENTAL_LEAVE')?.remainingMonths).toEqual({ FULL_TIME: 3, HALF_TIME: 6, ONE_FIFTH: 15, ONE_TENTH: 30 });
    // Not a whole period: refused, with the period in the language asked.
    expect(evaluatePlan(PRIVATE, plan({ reason: 'PARENTAL_LEAVE', regime: 'ONE_FIFTH', months: 3 }), TODAY, 'nl').plan.refusedBecause).toEqual([
      { code: 'NOT_IN_BLOCKS', label: 'In dit stelsel wordt dit verlof opgenomen per periode van 5 maanden of een veelvoud (behalve voor een korter saldo)' },
    ]);
    expect(evaluatePlan(PRIVATE, plan({ reason: 'PARENTAL_LEAVE', regime: 'HALF_TIME', months: 3 }), TODAY, 'en').plan.fits).toBe(false);
    // What is left when less than a period remains may be taken: 2.5 months at 1/5 → 2 whole months.
    const rest = { ...PRIVATE, counters: row('PARENTAL_LEAVE', { FULL_TIME: 0.5, HALF_TIME: 1, ONE_FIFTH: 2.5, ONE_TENTH: 5 }) };
    const taken = evaluatePlan(rest, plan({ reason: 'PARENTAL_LEAVE', regime: 'ONE_FIFTH', months: 2 }), TODAY, 'fr');
    expect(taken.plan.fits).toBe(true);
    expect(left(taken, 'PARENTAL_LEAVE')?.remainingMonths).toEqual({ FULL_TIME: 0.1, HALF_TIME: 0.2, ONE_FIFTH: 0.5, ONE_TENTH: 1 });
    expect(evaluatePlan(rest, plan({ reason: 'PARENTAL_LEAVE', regime: 'ONE_FIFTH', months: 3 }), TODAY, 'fr').plan.refusedBecause[0]?.label).toBe(
      'Il vous reste 2,5 mois dans ce régime',
    );
    const tenth = evaluatePlan(PRIVATE, plan({ reason: 'PARENTAL_LEAVE', regime: 'ONE_TENTH', months: 40 }), TODAY, 'nl');
    expect(tenth.plan.caveats.map((c) => c.code)).toContain('EMPLOYER_AGREEMENT_NEEDED');
    expect(left(tenth, 'PARENTAL_LEAVE')).toMatchObject({ available: false, closedBecause: [{ code: 'POOL_EXHAUSTED' }] });
  });

  it('reads a counter back from its finest figure, and writes months per language, rounded down', () => {
    // ONEM rounds each regime on its own: 3.335 months full time reads 3.33 / 6.67 / 16.68 / 33.35.
    const onem = { ...PRIVATE, counters: row('PARENTAL_LEAVE', { FULL_TIME: 3.33, HALF_TIME: 6.67, ONE_FIFTH: 16.68, ONE_TENTH: 33.35 }) };
    const view = evaluatePlan(onem, plan({ reason: 'PARENTAL_LEAVE', regime: 'FULL_TIME', months: 1 }), TODAY, 'en');
    expect(left(view, 'PARENTAL_LEAVE')?.remainingMonths).toEqual({ FULL_TIME: 2.33, HALF_TIME: 4.67, ONE_FIFTH: 11.67, ONE_TENTH: 23.35 });
    expect(monthsText(20.666, 'fr')).toBe('20,66 mois');
    expect(monthsText(1.001, 'nl')).toBe('1 maand');
    expect(monthsText(1, 'de')).toBe('1 Monat');
    expect(monthsText(2.5, 'en')).toBe('2.5 months');
    const one = { ...FRESH, counters: row('TRAINING', { FULL_TIME: 1, HALF_TIME: 1, ONE_FIFTH: 1 }) };
    expect(evaluatePlan(one, plan({ months: 2 }), TODAY, 'de').plan.refusedBecause[0]?.label).toBe('Ihnen bleibt in dieser Regelung 1 Monat');
  });

  it('never shows more than is left: a fractional counter is rounded down after a plan', () => {
    const counters = { ...FRESH, counters: row('TRAINING', { FULL_TIME: 20.666666, HALF_TIME: 20.666666, ONE_FIFTH: 20.666666 }) };
    const view = evaluatePlan(counters, plan({ regime: 'FULL_TIME', months: 3 }), TODAY, 'en');
    expect(left(view, 'TRAINING')?.remainingMonths.ONE_FIFTH).toBe(17.66);
  });

  it('A2.2: medical assistance converts 1 FT = 2 partial, and is asked for in periods of at most 3 months', () => {
    const view = evaluatePlan(PRIVATE, plan({ reason: 'MEDICAL_ASSISTANCE', regime: 'ONE_FIFTH', months: 4 }), TODAY, 'fr');
    expect(left(view, 'MEDICAL_ASSISTANCE')?.remainingMonths).toEqual({ FULL_TIME: 10, HALF_TIME: 20, ONE_FIFTH: 20 });
    expect(view.plan.caveats).toContainEqual({
      code: 'ASKED_IN_PERIODS',
      label: 'Une demande porte sur 3 mois au plus : ce plan se demande en plusieurs périodes',
    });
  });

  it('palliative care as a time-credit motive draws on the shared pool, a month per request; the thematic leave is not touched', () => {
    const counters = { ...PRIVATE, counters: [...PRIVATE.counters, ...row('PALLIATIVE_CARE_TIME_CREDIT', { FULL_TIME: 33, HALF_TIME: 33, ONE_FIFTH: 33 })] };
    const view = evaluatePlan(counters, plan({ reason: 'PALLIATIVE_CARE_TIME_CREDIT', regime: 'HALF_TIME', months: 2 }), TODAY, 'en');
    expect(view.plan.fits).toBe(true);
    expect(view.plan.caveats.map((c) => c.code)).toEqual(['SECTOR_AGREEMENT_NEEDED', 'ASKED_IN_PERIODS']);
    expect(left(view, 'CHILD_UNDER_8')?.remainingMonths.FULL_TIME).toBe(31);
    expect(left(view, 'PALLIATIVE_CARE')?.remainingMonths.FULL_TIME).toBe(3);
  });

  it('says why a plan does not fit, in the asked language, and changes nothing then', () => {
    const tooLong = evaluatePlan(PRIVATE, plan({ months: 34 }), TODAY, 'de');
    expect(tooLong.plan).toMatchObject({ fits: false, refusedBecause: [{ code: 'NOT_ENOUGH_MONTHS', label: 'Ihnen bleiben in dieser Regelung 33 Monate' }] });
    expect(left(tooLong, 'TRAINING')?.remainingMonths.ONE_FIFTH).toBe(33);
    // A1.5: at least 6 months at 1/5…
    expect(evaluatePlan(PRIVATE, plan({ months: 3 }), TODAY, 'en').plan.refusedBecause.map((r) => r.code)).toEqual(['PERIOD_TOO_SHORT']);
    // …unless less than that is left, which may be taken whole.
    const short = { ...FRESH, counters: row('TRAINING', { FULL_TIME: 2, HALF_TIME: 2, ONE_FIFTH: 2 }) };
    expect(evaluatePlan(short, plan({ months: 2 }), TODAY, 'en').plan.fits).toBe(true);
    expect(evaluatePlan(short, plan({ months: 1 }), TODAY, 'en').plan.refusedBecause.map((r) => r.code)).toEqual(['PERIOD_TOO_SHORT']);
    expect(evaluatePlan(PRIVATE, plan({ reason: 'OTHER', regime: 'FULL_TIME' }), TODAY, 'en').plan.refusedBecause.map((r) => r.code)).toEqual([
      'REASON_CLOSED',
    ]);
    expect(evaluatePlan(PRIVATE, plan({ reason: 'TRAINING', regime: 'ONE_TENTH' }), TODAY, 'en').plan.refusedBecause.map((r) => r.code)).toEqual([
      'NOT_IN_YOUR_POSSIBILITIES',
    ]);
    expect(evaluatePlan(PRIVATE, plan({ reason: 'INFORMAL_CARER', regime: 'FULL_TIME', months: 1 }), TODAY, 'en').plan.refusedBecause[0]?.code).toBe(
      'NOT_IN_YOUR_POSSIBILITIES',
    );
    const past = evaluatePlan(PRIVATE, plan({ from: '2026-11-24' }), TODAY, 'en');
    expect(past.plan.refusedBecause).toEqual([{ code: 'STARTS_BEFORE_TODAY', label: 'The plan starts before today (2026-11-25): choose a date to come' }]);
    expect(evaluatePlan(PRIVATE, plan({ from: TODAY }), TODAY, 'en').plan.fits).toBe(true);
  });

  it('gives the plan’s last day: the day before the same date the months later, or the end of a shorter month (WI-5)', () => {
    expect(planEnd('2027-03-15', 6)).toBe('2027-09-14');
    expect(planEnd('2028-01-01', 6)).toBe('2028-06-30');
    expect(planEnd('2027-01-28', 1)).toBe('2027-02-27');
    for (const day of ['29', '30', '31']) expect(planEnd(`2027-01-${day}`, 1), day).toBe('2027-02-28');
    expect(planEnd('2027-03-31', 1)).toBe('2027-04-30');
    expect(planEnd('2024-02-29', 120)).toBe('2034-02-28');
    expect(evaluatePlan(PRIVATE, plan({ from: '2027-03-15', months: 6 }), TODAY, 'en').plan.until).toBe('2027-09-14');
  });

  it('keeps its figures in an effective-dated table whose conversions are exact in tenths of a month', () => {
    checkTable(PLAN_RULES, 'PLAN_RULES');
    for (const { value } of PLAN_RULES) {
      for (const reason of REASONS) {
        for (const regime of REGIMES) {
          const factor = value[reason].regimes[regime]?.factor;
          if (factor !== undefined) expect(10 % factor, `${reason} ${regime}`).toBe(0);
        }
        expect(value[reason].source.length).toBeGreaterThan(10);
      }
    }
  });

  it('never raises a counter, and takes exactly the plan’s months from the plan’s own regime when it fits', () => {
    const reasons = [...new Set(PRIVATE.counters.map((c) => c.reason))];
    fc.assert(
      fc.property(fc.constantFrom(...reasons), fc.constantFrom(...REGIMES), fc.integer({ min: 1, max: 60 }), (reason, regime, months) => {
        const view = evaluatePlan(PRIVATE, { reason, regime, months, from: '2027-02-01' }, TODAY, 'en');
        for (const before of PRIVATE.counters) {
          const after = left(view, before.reason)?.remainingMonths[before.regime];
          expect(after).toBeLessThanOrEqual(before.remainingMonths);
          if (view.plan.fits && before.reason === reason && before.regime === regime) expect(after).toBe(before.remainingMonths - months);
        }
        if (!view.plan.fits) expect(view.reasons).toEqual(presentPossibilities(PRIVATE, 'en').reasons);
      }),
      { numRuns: 300 },
    );
  });
});
