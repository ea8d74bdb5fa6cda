import { describe, expect, it } from 'vitest';
import { REASONS } from '../../shared/domain/career-break/codes.js';
import { ageOn, evaluatePreconditions } from '../../shared/domain/career-break/prefilter.js';
import { presentPossibilities, type OnemCounters } from '../../shared/domain/career-break/present.js';
import { checkTable, inForce, NoRuleInForceError, type RuleTable } from '../../shared/domain/effective-dated.js';
import { COUNTER_RULES } from '../../local/fake-sources/onem/counter-rules.js';
import { computeCounters, monthsBetween, type CareerBreakHistory } from '../../local/fake-sources/onem/counters.js';

const TODAY = '2026-11-24';

describe('pre-filter (24/012 §8, §15)', () => {
  const privateCareer = { birthDate: '1985-07-30', periods: [{ sector: 'PRIVATE', from: '2008-09-01' }] };

  it('lets an adult with a private-sector career through', () => {
    expect(evaluatePreconditions({ niss: '85073003328', career: privateCareer, today: TODAY })).toEqual({ met: true, failed: [] });
  });

  it('counts the 18th birthday from its own day', () => {
    expect(ageOn('2008-11-24', TODAY)).toBe(18);
    expect(ageOn('2008-11-25', TODAY)).toBe(17);
    const career = (birthDate: string) => ({ birthDate, periods: [{ sector: 'PUBLIC', from: '2025-01-01' }] });
    expect(evaluatePreconditions({ niss: '85073003328', career: career('2008-11-24'), today: TODAY }).met).toBe(true);
    expect(evaluatePreconditions({ niss: '85073003328', career: career('2008-11-25'), today: TODAY }).failed).toEqual(['UNDER_18']);
  });

  it('refuses a self-employed career', () => {
    const career = { birthDate: '1975-09-21', periods: [{ sector: 'SELF_EMPLOYED', from: '1999-01-01' }] };
    expect(evaluatePreconditions({ niss: '75092106174', career, today: TODAY }).failed).toEqual(['NO_PUBLIC_OR_PRIVATE_SECTOR_CAREER']);
  });

  it('does not count a period that starts after the request date', () => {
    const career = { birthDate: '1985-07-30', periods: [{ sector: 'PRIVATE', from: '2027-01-01' }] };
    expect(evaluatePreconditions({ niss: '85073003328', career, today: TODAY }).failed).toEqual(['NO_PUBLIC_OR_PRIVATE_SECTOR_CAREER']);
  });

  it('treats a person unknown to the career source as having no career, with the age from the NISS', () => {
    expect(evaluatePreconditions({ niss: '88041212335', career: undefined, today: TODAY }).failed).toEqual(['NO_PUBLIC_OR_PRIVATE_SECTOR_CAREER']);
    expect(evaluatePreconditions({ niss: '10050324536', career: undefined, today: TODAY }).failed).toEqual(['UNDER_18', 'NO_PUBLIC_OR_PRIVATE_SECTOR_CAREER']);
  });
});

// Language negotiation is the HTTP layer's (@middy/http-content-negotiation): test/unit/purpose-handler.test.ts.

describe('presenting ONEM counters', () => {
  const onem: OnemCounters = {
    niss: '85073003328',
    employerEnterpriseNumber: '0403170701',
    counters: [
      { reason: 'TRAINING', regime: 'ONE_FIFTH', remainingMonths: 33 },
      { reason: 'PARENTAL_LEAVE', regime: 'ONE_TENTH', remainingMonths: 0 },
      { reason: 'CHILD_UNDER_8', regime: 'FULL_TIME', remainingMonths: 33 },
      { reason: 'TRAINING', regime: 'FULL_TIME', remainingMonths: 33 },
    ],
    closures: [
      { reason: 'PARENTAL_LEAVE', code: 'CHILD_TOO_OLD' },
      { reason: 'OTHER', code: 'NOT_AVAILABLE_IN_SECTOR' },
    ],
  };

  it('groups per reason in the fixed order, labels in the asked language, and does not echo the NISS', () => {
    const view = presentPossibilities(onem, 'nl');
    expect(view.reasons.map((r) => r.reason)).toEqual(['CHILD_UNDER_8', 'TRAINING', 'PARENTAL_LEAVE', 'OTHER']);
    expect(view.reasons[1]).toEqual({
      reason: 'TRAINING',
      label: 'Opleiding',
      available: true,
      remainingMonths: { FULL_TIME: 33, ONE_FIFTH: 33 },
      closedBecause: [],
    });
    expect(view.reasons[2]).toMatchObject({
      available: false,
      closedBecause: [{ code: 'CHILD_TOO_OLD', label: 'Uw kind heeft de leeftijdsgrens overschreden' }],
    });
    expect(view.employer).toEqual({ enterpriseNumber: '0403170701' });
    expect(JSON.stringify(view)).not.toContain('85073003328');
  });

  it('keeps the order whatever order ONEM answers in', () => {
    const reversed = { ...onem, counters: [...onem.counters].reverse(), closures: [...onem.closures].reverse() };
    expect(presentPossibilities(reversed, 'fr')).toEqual(presentPossibilities(onem, 'fr'));
  });
});

describe('ONEM emulator counters (docs/career-break.md A.5)', () => {
  const history = (over: Partial<CareerBreakHistory>): CareerBreakHistory => ({
    niss: '85073003328',
    sector: 'PRIVATE',
    employerEnterpriseNumber: '0403170701',
    seniorityMonths: 120,
    children: [],
    interruptions: [],
    ...over,
  });
  const counter = (h: CareerBreakHistory, reason: string, regime: string) =>
    computeCounters(h, TODAY).counters.find((c) => c.reason === reason && c.regime === regime)?.remainingMonths;
  const closuresOf = (h: CareerBreakHistory, reason: string) =>
    computeCounters(h, TODAY)
      .closures.filter((c) => c.reason === reason)
      .map((c) => c.code);

  it('every rule table is sorted, without overlap, and names its source', () => {
    for (const [name, table] of Object.entries(COUNTER_RULES)) {
      checkTable(table as RuleTable<unknown>, name);
      for (const row of table) expect(row.source, name).toMatch(/\w{4,}/);
    }
  });

  it('counts calendar months, whatever the regime', () => {
    expect(monthsBetween('2021-01-01', '2022-06-30')).toBe(18);
    expect(monthsBetween('2024-02-01', '2024-02-29')).toBe(1);
    expect(monthsBetween('2024-01-01', '2024-01-15')).toBe(0.5);
  });

  it('A1.1: 36 months of training at 1/5 use 36 months of the 51, not 7.2 (A1.2: 15 left for care)', () => {
    const h = history({ interruptions: [{ reason: 'TRAINING', regime: 'ONE_FIFTH', from: '2020-01-01', to: '2022-12-31' }] });
    expect(counter(h, 'TRAINING', 'ONE_FIFTH')).toBe(0);
    expect(closuresOf(h, 'TRAINING')).toEqual(['POOL_EXHAUSTED']);
    for (const regime of ['FULL_TIME', 'HALF_TIME', 'ONE_FIFTH']) expect(counter(h, 'SERIOUSLY_ILL_RELATIVE', regime)).toBe(15);
  });

  it('A1.2: 51 months for one care motive leave nothing for the others, training included', () => {
    const h = history({ interruptions: [{ reason: 'SERIOUSLY_ILL_RELATIVE', regime: 'HALF_TIME', from: '2018-01-01', to: '2022-03-31' }] });
    for (const reason of ['CHILD_UNDER_8', 'TRAINING', 'SERIOUSLY_ILL_RELATIVE']) {
      expect(counter(h, reason, 'FULL_TIME')).toBe(0);
      expect(closuresOf(h, reason)).toContain('POOL_EXHAUSTED');
    }
  });

  it('A5.1: a past break without a motive is charged pro rata, after its first 12 FTE months', () => {
    // 24 months half time = 12 FTE months, all uncharged; 36 months full time = 36 FTE, 24 charged.
    expect(counter(history({ interruptions: [{ reason: 'OTHER', regime: 'HALF_TIME', from: '2010-01-01', to: '2011-12-31' }] }), 'TRAINING', 'FULL_TIME')).toBe(
      36,
    );
    expect(
      counter(history({ interruptions: [{ reason: 'OTHER', regime: 'FULL_TIME', from: '2010-01-01', to: '2012-12-31' }] }), 'CHILD_UNDER_8', 'FULL_TIME'),
    ).toBe(27);
  });

  it('A4.1: time credit needs 24 months of seniority', () => {
    expect(closuresOf(history({ seniorityMonths: 23 }), 'TRAINING')).toEqual(['SENIORITY_NOT_MET']);
    expect(closuresOf(history({ seniorityMonths: 24 }), 'TRAINING')).toEqual([]);
  });

  it('closes the child motives by the children’s ages', () => {
    const h = history({ children: [{ birthDate: '2015-01-01' }, { birthDate: '2004-01-01', disabled: true }] });
    expect(closuresOf(h, 'CHILD_UNDER_8')).toEqual(['CHILD_TOO_OLD']);
    expect(closuresOf(h, 'DISABLED_CHILD_UNDER_21')).toEqual(['CHILD_TOO_OLD']);
    expect(closuresOf(history({}), 'CHILD_UNDER_8')).toEqual(['NO_ELIGIBLE_CHILD']);
    expect(closuresOf(history({ children: [{ birthDate: '2020-01-01' }] }), 'CHILD_UNDER_8')).toEqual([]);
  });

  it('A2.1: parental leave, 4 months per child, 1 FT = 2 HT = 5 × 1/5 = 10 × 1/10', () => {
    const h = history({
      children: [{ birthDate: '2018-01-01' }, { birthDate: '2022-06-01' }],
      // 2 months half time = 1 FT month for the first child.
      interruptions: [{ reason: 'PARENTAL_LEAVE', regime: 'HALF_TIME', from: '2019-01-01', to: '2019-02-28', childIndex: 0 }],
    });
    expect(counter(h, 'PARENTAL_LEAVE', 'FULL_TIME')).toBe(7);
    expect(counter(h, 'PARENTAL_LEAVE', 'HALF_TIME')).toBe(14);
    expect(counter(h, 'PARENTAL_LEAVE', 'ONE_FIFTH')).toBe(35);
    expect(counter(h, 'PARENTAL_LEAVE', 'ONE_TENTH')).toBe(70);
  });

  it('A2.1: a child of 12 or more no longer opens parental leave, unless disabled (21)', () => {
    expect(closuresOf(history({ children: [{ birthDate: '2014-01-01' }] }), 'PARENTAL_LEAVE')).toEqual(['CHILD_TOO_OLD']);
    expect(counter(history({ children: [{ birthDate: '2010-01-01', disabled: true }] }), 'PARENTAL_LEAVE', 'FULL_TIME')).toBe(4);
  });

  it('only parental leave has a one-tenth regime', () => {
    const counters = computeCounters(history({ children: [{ birthDate: '2022-01-01' }] }), TODAY).counters;
    expect(counters.filter((c) => c.regime === 'ONE_TENTH').map((c) => c.reason)).toEqual(['PARENTAL_LEAVE']);
    expect(new Set(counters.map((c) => c.reason))).toEqual(new Set(REASONS.filter((r) => r !== 'OTHER')));
  });

  it('A2.2: medical assistance, 6 months FT + 12 months HT use up the 12 per patient', () => {
    const h = history({
      interruptions: [
        { reason: 'MEDICAL_ASSISTANCE', regime: 'FULL_TIME', from: '2023-01-01', to: '2023-06-30', careFor: 'mother' },
        { reason: 'MEDICAL_ASSISTANCE', regime: 'HALF_TIME', from: '2023-07-01', to: '2024-06-30', careFor: 'mother' },
      ],
    });
    expect(counter(h, 'MEDICAL_ASSISTANCE', 'FULL_TIME')).toBe(0);
    expect(closuresOf(h, 'MEDICAL_ASSISTANCE')).toEqual(['POOL_EXHAUSTED']);
    const half = history({ interruptions: [{ reason: 'MEDICAL_ASSISTANCE', regime: 'FULL_TIME', from: '2023-01-01', to: '2023-06-30', careFor: 'mother' }] });
    expect(counter(half, 'MEDICAL_ASSISTANCE', 'FULL_TIME')).toBe(6);
    expect(counter(half, 'MEDICAL_ASSISTANCE', 'HALF_TIME')).toBe(12);
  });

  it('palliative care: 3 months per patient in any form since 1 Feb 2017 (2 before)', () => {
    const h = history({ interruptions: [{ reason: 'PALLIATIVE_CARE', regime: 'ONE_FIFTH', from: '2025-01-01', to: '2025-01-31', careFor: 'father' }] });
    expect(counter(h, 'PALLIATIVE_CARE', 'HALF_TIME')).toBe(2);
    expect(inForce(COUNTER_RULES.palliativeMonthsPerPatient, '2017-01-31')).toBe(2);
    expect(inForce(COUNTER_RULES.palliativeMonthsPerPatient, '2017-02-01')).toBe(3);
    // Before the informal-carer leave existed, the emulator has no figure: an error, not a guess.
    expect(() => computeCounters(history({}), '2019-01-01')).toThrow(NoRuleInForceError);
  });

  it('24/012 §7, CCT 103 art. 4 (werk.belgie.be A.1): palliative care is also a time-credit motive, on the shared pool, apart from the thematic leave', () => {
    // 12 months of 1/5 time credit for palliative care: 39 of the 51 left for every care motive, and training stays at its 36.
    const h = history({ interruptions: [{ reason: 'PALLIATIVE_CARE_TIME_CREDIT', regime: 'ONE_FIFTH', from: '2024-01-01', to: '2024-12-31' }] });
    expect(counter(h, 'PALLIATIVE_CARE_TIME_CREDIT', 'FULL_TIME')).toBe(39);
    expect(counter(h, 'CHILD_UNDER_8', 'ONE_FIFTH')).toBe(39);
    expect(counter(h, 'TRAINING', 'HALF_TIME')).toBe(36);
    // The thematic palliative leave is a separate right: untouched, and it stays open when the pool is used up.
    expect(counter(h, 'PALLIATIVE_CARE', 'FULL_TIME')).toBe(3);
    const used = history({ interruptions: [{ reason: 'SERIOUSLY_ILL_RELATIVE', regime: 'FULL_TIME', from: '2018-01-01', to: '2022-03-31' }] });
    expect(closuresOf(used, 'PALLIATIVE_CARE_TIME_CREDIT')).toEqual(['POOL_EXHAUSTED']);
    expect(closuresOf(used, 'PALLIATIVE_CARE')).toEqual([]);
    // Both are shown, each with its own label.
    const view = presentPossibilities(computeCounters(h, TODAY), 'nl');
    expect(view.reasons.filter((r) => r.reason.startsWith('PALLIATIVE')).map((r) => r.label)).toEqual([
      'Tijdskrediet voor palliatieve zorgen',
      'Verlof voor palliatieve zorgen',
    ]);
    // In the public sector, time credit does not exist: closed there, the thematic leave open.
    const publicSector = history({ sector: 'PUBLIC' });
    expect(closuresOf(publicSector, 'PALLIATIVE_CARE_TIME_CREDIT')).toEqual(['NOT_AVAILABLE_IN_SECTOR']);
    expect(counter(publicSector, 'PALLIATIVE_CARE', 'FULL_TIME')).toBe(3);
  });

  it('A3.1 (BOSA): federal statutory staff break partially at half time only; contractual staff, and other levels, at 1/5 too; partial months count whole against the 60', () => {
    const partial = [{ reason: 'OTHER', regime: 'ONE_FIFTH' as const, from: '2023-01-01', to: '2023-12-31' }];
    const statutory = history({ sector: 'PUBLIC', publicStaff: { level: 'FEDERAL', statute: 'STATUTORY' }, interruptions: partial });
    expect(counter(statutory, 'OTHER', 'HALF_TIME')).toBe(48);
    expect(counter(statutory, 'OTHER', 'ONE_FIFTH')).toBeUndefined();
    const contractual = history({ sector: 'PUBLIC', publicStaff: { level: 'FEDERAL', statute: 'CONTRACTUAL' }, interruptions: partial });
    expect(counter(contractual, 'OTHER', 'ONE_FIFTH')).toBe(48);
    expect(counter(history({ sector: 'PUBLIC', interruptions: partial }), 'OTHER', 'ONE_FIFTH')).toBe(48);
  });

  it('A5.5: informal carer, 3 FT per person within a career maximum of 6 FT / 12 partial', () => {
    const h = history({
      interruptions: [
        { reason: 'INFORMAL_CARER', regime: 'FULL_TIME', from: '2022-01-01', to: '2022-03-31', careFor: 'mother' },
        { reason: 'INFORMAL_CARER', regime: 'HALF_TIME', from: '2023-01-01', to: '2023-02-28', careFor: 'father' },
      ],
    });
    // Career: 3 + 2/2 = 4 FTE used, 2 left; the father has 3 − 1 = 2 left.
    expect(counter(h, 'INFORMAL_CARER', 'FULL_TIME')).toBe(2);
    expect(counter(h, 'INFORMAL_CARER', 'HALF_TIME')).toBe(4);
  });

  it('A3.1: public sector, ordinary career break 60 + 60, and no time credit', () => {
    const h = history({
      sector: 'PUBLIC',
      interruptions: [
        { reason: 'OTHER', regime: 'FULL_TIME', from: '2015-01-01', to: '2015-12-31' },
        { reason: 'OTHER', regime: 'HALF_TIME', from: '2016-01-01', to: '2017-12-31' },
      ],
    });
    expect(counter(h, 'OTHER', 'FULL_TIME')).toBe(48);
    expect(counter(h, 'OTHER', 'HALF_TIME')).toBe(36);
    expect(closuresOf(h, 'TRAINING')).toEqual(['NOT_AVAILABLE_IN_SECTOR']);
    expect(counter(h, 'TRAINING', 'FULL_TIME')).toBeUndefined();
    expect(counter(h, 'PARENTAL_LEAVE', 'FULL_TIME')).toBe(0);
  });
});
