import { describe, expect, it } from 'vitest';
import { amountForHours, formatCents, toCents } from '../../shared/domain/amounts.js';
import { checkTable, NoRuleInForceError } from '../../shared/domain/effective-dated.js';
import { addMonths } from '../../shared/domain/calendar.js';
import { evaluateClaim, NOTHING_APPROVED, occupationIn, REASON_CODES, type ClaimFacts } from '../../shared/domain/training-leave/evaluate.js';
import { MINIMUM_ATTENDANCE_SHARE, SCHOOL_YEAR_PARAMETERS } from '../../shared/domain/training-leave/rules.js';
import { submitTrainingLeaveClaim } from '../../shared/purposes/catalogue.js';

const EMPLOYER = '0403170701';
const NISS = '85073003328';

/** A full-time private-sector worker in Flanders, school year 2024-25 (reference month March 2024). */
const facts = (over: Partial<ClaimFacts> = {}, occupations?: ClaimFacts['workerLines'][number]['occupations']): ClaimFacts => {
  const occ = occupations ?? [{ from: '2010-01-01', q: 38, s: 38, workingTimeCode5Hours: 40 }];
  const line = (quarter: string, employer = EMPLOYER) => ({
    quarter,
    employerEnterpriseNumber: employer,
    sector: 'PRIVATE',
    localUnitRegion: 'FLANDERS',
    occupations: occ,
  });
  return {
    claim: {
      employerEnterpriseNumber: EMPLOYER,
      workerNiss: NISS,
      schoolYear: '2024-2025',
      training: { id: 'ODB-12345', startDate: '2024-10-01', endDate: '2025-03-31' },
      hoursByMonth: { '2024-10': 8, '2024-11': 12 },
      filedOn: '2024-11-15',
    },
    person: {},
    employments: [{ employerEnterpriseNumber: EMPLOYER, from: '2008-09-01' }],
    workerLines: [line('2024-Q1'), line('2024-Q4'), line('2025-Q1')],
    training: { recognisedFrom: '2019-09-01', contactHours: 60, attendance: [{ niss: NISS, hoursAttended: 60 }] },
    alreadyApproved: NOTHING_APPROVED,
    ...over,
  };
};
const codes = (decision: ReturnType<typeof evaluateClaim>) => decision.reasons.filter((r) => r.code).map((r) => `${r.outcome}:${r.code}`);

describe('exact amounts', () => {
  it('multiplies hours by the forfait in integers, rounding half up once', () => {
    expect(formatCents(amountForHours(2000, toCents('21.30')))).toBe('426.00');
    expect(formatCents(amountForHours(50, toCents('14.91')))).toBe('7.46'); // 0.5 h × 14.91 = 7.455
    expect(formatCents(amountForHours(10, toCents('0.10')))).toBe('0.01');
    // 0.1 + 0.2 style drift cannot happen: 10 010 hundredths × 2130 cents.
    expect(formatCents(amountForHours(10_010, 2130))).toBe('2132.13');
  });
});

describe('school-year parameters (B3-B6)', () => {
  it('are sorted, do not overlap, and name their source; 2025-26 rests on the published decree (numac 2025005167)', () => {
    checkTable(SCHOOL_YEAR_PARAMETERS, 'school years');
    expect(SCHOOL_YEAR_PARAMETERS.at(-1)).toMatchObject({
      from: '2025-09-01',
      confidence: 'CONFIRMED',
      source: expect.stringContaining('numac 2025005167'),
      value: { minimumFraction: 0.8, minimumWeeklyHours: 28, hourlyForfait: '14.91' },
    });
  });

  it('B10: the 2024-25 attendance share rests on a draft decree, so a decision that applies it says so, with the source', () => {
    // 2024-25: the school-year figures are confirmed; the 50 % share of contact hours is not.
    const applied = evaluateClaim(facts());
    expect(applied.figures.rulesConfidence).toMatch(/^UNCONFIRMED: B10 Prato, 31 May 2024: draft BVR/);
    expect(MINIMUM_ATTENDANCE_SHARE.at(-1)).toMatchObject({ from: '2024-09-01', value: 0.5, confidence: 'UNCONFIRMED' });
    // Without contact hours the share is not applied, and the decision rests on confirmed figures only.
    const f = facts();
    const without = evaluateClaim({ ...f, training: { ...f.training!, contactHours: undefined } as never });
    expect(without.figures.rulesConfidence).toBeUndefined();
    // 2023-24 had no share at all.
    checkTable(MINIMUM_ATTENDANCE_SHARE, 'attendance share');
    expect(MINIMUM_ATTENDANCE_SHARE[0]).toMatchObject({ to: '2024-08-31', value: null });
  });

  it('decides nothing for a school year without published figures', () => {
    const f = facts();
    expect(() => evaluateClaim({ ...f, claim: { ...f.claim, schoolYear: '2026-2027', training: { ...f.claim.training, startDate: '2026-10-01' } } })).toThrow(
      NoRuleInForceError,
    );
  });
});

describe('personal maximum (B3, B4, B5): 125 h × occupation fraction', () => {
  it('80 % → 100 h', () => {
    const decision = evaluateClaim(
      facts({ claim: { ...facts().claim, hoursByMonth: { '2024-10': 60, '2024-11': 60 } } }, [
        { from: '2010-01-01', q: 30.4, s: 38, workingTimeCode5Hours: 80 },
      ]),
    );
    expect(decision.figures).toMatchObject({ occupationFraction: 0.8, personalMaximumHours: 100, referenceMonth: '2024-03' });
    expect(decision.approvedHours).toBe(60); // attended 60 caps first
  });

  it('60 % → 75 h, and hours beyond it are cut with MAXIMUM_HOURS_EXCEEDED', () => {
    const occupations = [{ from: '2010-01-01', q: 22.8, s: 38, workingTimeCode5Hours: 80 }];
    const base = facts({}, occupations);
    const decision = evaluateClaim({
      ...base,
      claim: { ...base.claim, hoursByMonth: { '2024-10': 40, '2024-11': 40 } },
      training: { ...base.training!, contactHours: 100, attendance: [{ niss: NISS, hoursAttended: 100 }] },
    });
    expect(decision.figures.personalMaximumHours).toBe(75);
    expect(decision).toMatchObject({ outcome: 'PARTIALLY_APPROVED', claimedHours: 80, approvedHours: 75, amount: '1597.50' });
    expect(codes(decision)).toEqual(['LIMITED:MAXIMUM_HOURS_EXCEEDED']);
  });

  it('40 % in the reference month but 50 % in the month the training starts → the start month, 62.5 h', () => {
    const occupations = [
      { from: '2024-01-01', to: '2024-06-30', q: 15.2, s: 38, workingTimeCode5Hours: 0 },
      { from: '2024-09-01', q: 19, s: 38, workingTimeCode5Hours: 40 },
    ];
    const decision = evaluateClaim(facts({}, occupations));
    expect(decision.figures).toMatchObject({ referenceMonth: '2024-10', occupationFraction: 0.5, personalMaximumHours: 62.5 });
    expect(decision.reasons.find((r) => r.rule === 'OCCUPATION')!.detail).toContain('40 % in the reference month 2024-03');
    expect(decision.outcome).toBe('APPROVED');
  });

  it('below 50 % in both months → OCCUPATION_BELOW_MINIMUM', () => {
    const decision = evaluateClaim(facts({}, [{ from: '2010-01-01', q: 15.2, s: 38, workingTimeCode5Hours: 40 }]));
    expect(decision).toMatchObject({ outcome: 'REJECTED', approvedHours: 0, amount: '0.00' });
    expect(codes(decision)).toEqual(['FAILED:OCCUPATION_BELOW_MINIMUM']);
  });

  it('a worker with two employers: the fractions add up (30 % + 50 % = 80 % → 100 h)', () => {
    const base = facts();
    const other = '0202746430';
    const line = (quarter: string, employer: string, q: number, code5 = 0) => ({
      quarter,
      employerEnterpriseNumber: employer,
      sector: 'PRIVATE',
      localUnitRegion: 'FLANDERS',
      occupations: [{ from: '2010-01-01', q, s: 38, workingTimeCode5Hours: code5 }],
    });
    const decision = evaluateClaim({ ...base, workerLines: ['2024-Q1', '2024-Q4'].flatMap((q) => [line(q, EMPLOYER, 19, 40), line(q, other, 11.4)]) });
    expect(decision.figures).toMatchObject({ occupationFraction: 0.8, personalMaximumHours: 100 });
    expect(decision).toMatchObject({ outcome: 'APPROVED', approvedHours: 20, amount: '426.00' });
  });

  it('earlier decided claims of the same school year use up the maximum', () => {
    const decision = evaluateClaim(facts({ alreadyApproved: { ...NOTHING_APPROVED, schoolYear: 115 } }));
    expect(decision).toMatchObject({ outcome: 'PARTIALLY_APPROVED', approvedHours: 10, amount: '213.00' });
  });

  it('2025-26: 80 % and 28 h a week, € 14.91 an hour; only the B10 share is cited as unconfirmed', () => {
    const base = facts();
    const claim = {
      ...base.claim,
      schoolYear: '2025-2026',
      training: { ...base.claim.training, startDate: '2025-10-01' },
      hoursByMonth: { '2025-10': 10 },
      filedOn: '2025-10-20',
    };
    const line = (quarter: string, q: number) => ({
      quarter,
      employerEnterpriseNumber: EMPLOYER,
      sector: 'PRIVATE',
      localUnitRegion: 'FLANDERS',
      occupations: [{ from: '2010-01-01', q, s: 38, workingTimeCode5Hours: 10 }],
    });
    const full = evaluateClaim({ ...base, claim, workerLines: [line('2025-Q1', 38), line('2025-Q4', 38)] });
    expect(full).toMatchObject({ outcome: 'APPROVED', amount: '149.10' });
    expect(full.figures.rulesConfidence).toMatch(/^UNCONFIRMED: B10 /);
    expect(full.figures.rulesConfidence).not.toContain('2025005167');
    expect(codes(evaluateClaim({ ...base, claim, workerLines: [line('2025-Q1', 26.6), line('2025-Q4', 26.6)] }))).toEqual(['FAILED:OCCUPATION_BELOW_MINIMUM']);
  });
});

describe('the other rules of 19/038', () => {
  it('approves the example claim: 20 h × € 21.30 = € 426.00', () => {
    const decision = evaluateClaim(facts());
    expect(decision).toMatchObject({ outcome: 'APPROVED', claimedHours: 20, approvedHours: 20, amount: '426.00' });
    expect(decision.reasons.every((r) => r.outcome === 'PASSED')).toBe(true);
  });

  it('BEFORE_REGIME_START before 1 September 2019', () => {
    const base = facts();
    const decision = evaluateClaim({
      ...base,
      claim: { ...base.claim, schoolYear: '2018-2019', training: { ...base.claim.training, startDate: '2019-02-01' } },
    });
    expect(codes(decision)).toEqual(['FAILED:BEFORE_REGIME_START']);
  });

  it('CLAIM_TOO_LATE more than 3 months after the training start (31 Oct + 3 months = 31 Jan)', () => {
    expect(addMonths('2024-10-31', 3)).toBe('2025-01-31');
    expect(addMonths('2024-11-30', 3)).toBe('2025-02-28');
    const base = facts();
    expect(codes(evaluateClaim({ ...base, claim: { ...base.claim, filedOn: '2025-01-01' } }))).toEqual([]);
    expect(codes(evaluateClaim({ ...base, claim: { ...base.claim, filedOn: '2025-01-02' } }))).toEqual(['FAILED:CLAIM_TOO_LATE']);
  });

  it('TRAINING_NOT_RECOGNISED when absent from the training database or not yet recognised', () => {
    expect(codes(evaluateClaim(facts({ training: undefined })))).toEqual(['FAILED:TRAINING_NOT_RECOGNISED']);
    expect(codes(evaluateClaim(facts({ training: { recognisedFrom: '2025-01-01', attendance: [] } })))).toEqual(['FAILED:TRAINING_NOT_RECOGNISED']);
  });

  it('NOT_ATTENDED: no attendance, or below half of the contact hours since 2024-25', () => {
    expect(codes(evaluateClaim(facts({ training: { recognisedFrom: '2019-09-01', attendance: [] } })))).toEqual(['FAILED:NOT_ATTENDED']);
    expect(
      codes(evaluateClaim(facts({ training: { recognisedFrom: '2019-09-01', contactHours: 60, attendance: [{ niss: NISS, hoursAttended: 29 }] } }))),
    ).toEqual(['FAILED:NOT_ATTENDED']);
    const cut = evaluateClaim(facts({ training: { recognisedFrom: '2019-09-01', contactHours: 30, attendance: [{ niss: NISS, hoursAttended: 15 }] } }));
    expect(cut).toMatchObject({ outcome: 'PARTIALLY_APPROVED', approvedHours: 15 });
    expect(codes(cut)).toEqual(['LIMITED:NOT_ATTENDED']);
  });

  // Issue 14's worked example: 20 of a 120-hour training running October to June, claimed in
  // December. The ≥ 50 % share compares with the whole training's contact hours, so it can
  // only be judged once the training has ended (docs/training-leave.md, settlement).
  describe('a training still running: provisional, then settled', () => {
    const running = (over: Partial<ClaimFacts> = {}) =>
      facts({
        claim: {
          ...facts().claim,
          training: { id: 'ODB-40001', startDate: '2024-10-01', endDate: '2025-06-30' },
          hoursByMonth: { '2024-10': 10, '2024-11': 10 },
        },
        training: { recognisedFrom: '2019-09-01', contactHours: 120, attendance: [{ niss: NISS, hoursAttended: 20 }] },
        ...over,
      });

    it('in December: decided on the hours attended so far, never rejected on the share, final: false', () => {
      const decision = evaluateClaim(running({ today: '2024-12-15' }));
      expect(decision).toMatchObject({ outcome: 'APPROVED', approvedHours: 20, final: false });
      expect(decision.reasons.find((r) => r.rule === 'ATTENDANCE')?.detail).toMatch(
        /20 h so far of 120 contact hours; .*judged when the training has ended \(2025-06-30\)/,
      );
    });

    it('after the end (or once the provider reports attendance final): the share is judged, final: true', () => {
      expect(evaluateClaim(running({ today: '2025-07-01' }))).toMatchObject({ outcome: 'REJECTED', final: true });
      expect(codes(evaluateClaim(running({ today: '2025-07-01' })))).toEqual(['FAILED:NOT_ATTENDED']);
      const reportedFinal = running({
        today: '2024-12-15',
        training: { recognisedFrom: '2019-09-01', contactHours: 120, attendanceFinal: true, attendance: [{ niss: NISS, hoursAttended: 70 }] },
      });
      expect(evaluateClaim(reportedFinal)).toMatchObject({ outcome: 'APPROVED', approvedHours: 20, final: true });
    });

    it('a far-off end date does not put the rule off: provisional at most until the end of the school year (adversarial review)', () => {
      const farOff = (today: string) =>
        evaluateClaim(running({ today, claim: { ...running().claim, training: { id: 'ODB-40001', startDate: '2024-10-01', endDate: '9999-12-31' } } }));
      expect(farOff('2025-08-31').final).toBe(false);
      expect(farOff('2025-09-01')).toMatchObject({ outcome: 'REJECTED', final: true });
    });

    it('the last day of the training still counts as running; without a day given, every decision is final', () => {
      expect(evaluateClaim(running({ today: '2025-06-30' })).final).toBe(false);
      expect(evaluateClaim(running()).final).toBe(true);
    });
  });

  it('WORKER_UNKNOWN when the BCSS registers do not know the worker', () => {
    expect(codes(evaluateClaim(facts({ person: undefined })))).toEqual(['FAILED:WORKER_UNKNOWN']);
  });

  it('WORKER_DECEASED: a death mid-training stops the hours of the months after it', () => {
    const decision = evaluateClaim(facts({ person: { deathDate: '2024-10-20' } }));
    expect(decision).toMatchObject({ outcome: 'PARTIALLY_APPROVED', approvedHours: 8, amount: '170.40' });
    expect(codes(decision)).toEqual(['LIMITED:WORKER_DECEASED']);
    expect(codes(evaluateClaim(facts({ person: { deathDate: '2024-09-15' } })))).toEqual(['FAILED:WORKER_DECEASED']);
  });

  it('NO_EMPLOYMENT_WITH_EMPLOYER when DIMONA shows none with the claiming employer', () => {
    expect(codes(evaluateClaim(facts({ employments: [{ employerEnterpriseNumber: '0202746430', from: '2008-09-01' }] })))).toEqual([
      'FAILED:NO_EMPLOYMENT_WITH_EMPLOYER',
    ]);
    const partly = evaluateClaim(facts({ employments: [{ employerEnterpriseNumber: EMPLOYER, from: '2024-11-01' }] }));
    expect(partly).toMatchObject({ approvedHours: 12 });
    expect(codes(partly)).toEqual(['LIMITED:NO_EMPLOYMENT_WITH_EMPLOYER']);
  });

  it('NOT_PRIVATE_SECTOR and WORKPLACE_NOT_IN_FLANDERS from the DMFA worker line', () => {
    const base = facts();
    const publicLines = base.workerLines.map((l) => ({ ...l, sector: 'PUBLIC' }));
    expect(codes(evaluateClaim({ ...base, workerLines: publicLines }))).toEqual(['FAILED:NOT_PRIVATE_SECTOR']);
    const brussels = base.workerLines.map((l) => ({ ...l, localUnitRegion: 'BRUSSELS' }));
    expect(codes(evaluateClaim({ ...base, workerLines: brussels }))).toEqual(['FAILED:WORKPLACE_NOT_IN_FLANDERS']);
  });

  it('HOURS_NOT_DECLARED_IN_DMFA: approved hours never exceed code-5 hours of the quarter', () => {
    const decision = evaluateClaim(facts({}, [{ from: '2010-01-01', q: 38, s: 38, workingTimeCode5Hours: 15 }]));
    expect(decision).toMatchObject({ outcome: 'PARTIALLY_APPROVED', approvedHours: 15, amount: '319.50' });
    expect(codes(decision)).toEqual(['LIMITED:HOURS_NOT_DECLARED_IN_DMFA']);
    expect(codes(evaluateClaim(facts({ workerLines: [] })))).toEqual(['FAILED:HOURS_NOT_DECLARED_IN_DMFA']);
  });

  it('reads the occupation of a month from the occupations in force in it', () => {
    const f = facts({}, [{ from: '2024-03-16', q: 19, s: 38 }]);
    expect(occupationIn(f, '2024-03')).toEqual({ fraction: 0.5, weeklyHours: 19 });
    expect(occupationIn(f, '2024-02')).toEqual({ fraction: 0, weeklyHours: 0 });
  });
});

describe('bounds held across claims (the ledger): what earlier decisions took is not paid again', () => {
  const year = (h: number) => ({ ...NOTHING_APPROVED, schoolYear: h });

  it('the example claim posts 20 h on the school year, the training and the quarter, each with its limit', () => {
    const decision = evaluateClaim(facts());
    expect(decision.approvedHoursByMonth).toEqual({ '2024-10': 8, '2024-11': 12 });
    expect(decision.ledger).toEqual([
      { bound: 'SCHOOL_YEAR', scope: '2024-2025', limitHours: 125, alreadyApprovedHours: 0, hours: 20 },
      { bound: 'TRAINING', scope: 'ODB-12345', limitHours: 60, alreadyApprovedHours: 0, hours: 20 },
      { bound: 'QUARTER', scope: '2024-Q4', limitHours: 40, alreadyApprovedHours: 0, hours: 20 },
    ]);
  });

  it('issue reproduction: attended 20 h, 20 h declared; the same claim again gets nothing, with the reason', () => {
    const one = facts({}, [{ from: '2010-01-01', q: 38, s: 38, workingTimeCode5Hours: 20 }]);
    const attended20 = { ...one, training: { recognisedFrom: '2019-09-01', contactHours: 40, attendance: [{ niss: NISS, hoursAttended: 20 }] } };
    expect(evaluateClaim(attended20)).toMatchObject({ outcome: 'APPROVED', approvedHours: 20 });
    const again = evaluateClaim({ ...attended20, alreadyApproved: { schoolYear: 20, training: 20, quarters: { '2024-Q4': 20 } } });
    expect(again).toMatchObject({ outcome: 'REJECTED', approvedHours: 0, amount: '0.00', ledger: [], approvedHoursByMonth: {} });
    // The quarter's code-5 hours cut first; a bound that had nothing left to cut says nothing.
    expect(codes(again)).toEqual(['LIMITED:QUARTER_HOURS_ALREADY_REIMBURSED']);
    expect(again.reasons.find((r) => r.code === 'QUARTER_HOURS_ALREADY_REIMBURSED')!.detail).toBe(
      'Hours under working-time code 5 with this employer: 2024-Q4: 20 h of the 20 h declared were already reimbursed by earlier claims, 0 h left.',
    );
    const trainingOnly = evaluateClaim({ ...attended20, alreadyApproved: { schoolYear: 20, training: 20, quarters: {} } });
    expect(codes(trainingOnly)).toEqual(['LIMITED:TRAINING_HOURS_ALREADY_REIMBURSED']);
    expect(trainingOnly.reasons.find((r) => r.code === 'TRAINING_HOURS_ALREADY_REIMBURSED')!.detail).toBe(
      '20 h of the 20 h attended in training ODB-12345 were already reimbursed by earlier claims: 0 h left.',
    );
  });

  it('a reason names only the bounds that cut: the quarter leaves 10 h, the year 25 h, 30 h claimed → 10 h, the quarter only (adversarial review)', () => {
    const base = facts({ alreadyApproved: { schoolYear: 100, training: 0, quarters: { '2024-Q4': 30 } } });
    const decision = evaluateClaim({ ...base, claim: { ...base.claim, hoursByMonth: { '2024-10': 15, '2024-11': 15 } } });
    expect(decision).toMatchObject({ approvedHours: 10, approvedHoursByMonth: { '2024-10': 10 } });
    expect(codes(decision)).toEqual(['LIMITED:QUARTER_HOURS_ALREADY_REIMBURSED']);
    expect(decision.reasons.find((r) => r.rule === 'PERSONAL_MAXIMUM')?.outcome).toBe('PASSED');
  });

  it('one school year, one maximum: the maximum the first decision set holds a later claim whose own figures give more (adversarial review)', () => {
    // 40 % in March, 50 % when the first training starts in October (62.5 h), 100 % from January.
    const lines = (q: number) => [{ from: '2010-01-01', q, s: 38, workingTimeCode5Hours: 200 }];
    const first = facts({}, lines(19));
    const worker = {
      ...first,
      workerLines: [...first.workerLines.filter((l) => l.quarter !== '2024-Q1'), { ...first.workerLines[0]!, quarter: '2024-Q1', occupations: lines(15.2) }],
    };
    const october = evaluateClaim({
      ...worker,
      claim: { ...worker.claim, hoursByMonth: { '2024-10': 60 } },
      training: { recognisedFrom: '2019-09-01', contactHours: 60, attendance: [{ niss: NISS, hoursAttended: 60 }] },
    });
    expect(october.figures.personalMaximumHours).toBe(62.5);
    // A second training from January, at 100 %: its own figures would give 125 h; the year's maximum stays 62.5 h.
    const january = { ...worker, workerLines: [...worker.workerLines, { ...worker.workerLines[0]!, quarter: '2025-Q1', occupations: lines(38) }] };
    const later = evaluateClaim({
      ...january,
      claim: {
        ...january.claim,
        training: { id: 'ODB-20001', startDate: '2025-01-06', endDate: '2025-06-30' },
        hoursByMonth: { '2025-01': 40 },
        filedOn: '2025-01-20',
      },
      training: { recognisedFrom: '2019-09-01', contactHours: 60, attendance: [{ niss: NISS, hoursAttended: 60 }] },
      alreadyApproved: { schoolYear: 60, training: 0, quarters: {}, schoolYearLimit: 62.5 },
    });
    expect(later).toMatchObject({ approvedHours: 2.5, figures: { personalMaximumHours: 62.5 } });
    expect(later.reasons.find((r) => r.rule === 'PERSONAL_MAXIMUM_FIXED')?.detail).toContain('would give 125 h');
    expect(later.ledger[0]).toMatchObject({ bound: 'SCHOOL_YEAR', limitHours: 62.5, alreadyApprovedHours: 60, hours: 2.5 });
  });

  it('a second claim on the same training gets only what is left of the hours attended, cut on the last months', () => {
    const decision = evaluateClaim(facts({ alreadyApproved: { ...NOTHING_APPROVED, training: 50 } }));
    expect(decision).toMatchObject({
      outcome: 'PARTIALLY_APPROVED',
      approvedHours: 10,
      amount: '213.00',
      approvedHoursByMonth: { '2024-10': 8, '2024-11': 2 },
    });
    expect(codes(decision)).toEqual(['LIMITED:TRAINING_HOURS_ALREADY_REIMBURSED']);
  });

  it('the code-5 hours of a quarter are counted per quarter: an earlier claim on Q4 leaves Q1 untouched', () => {
    const base = facts({ alreadyApproved: { schoolYear: 35, training: 0, quarters: { '2024-Q4': 35 } } });
    const decision = evaluateClaim({ ...base, claim: { ...base.claim, hoursByMonth: { '2024-12': 10, '2025-01': 10 } } });
    expect(decision).toMatchObject({ approvedHours: 15, approvedHoursByMonth: { '2024-12': 5, '2025-01': 10 } });
    expect(decision.ledger.filter((p) => p.bound === 'QUARTER')).toEqual([
      { bound: 'QUARTER', scope: '2024-Q4', limitHours: 40, alreadyApprovedHours: 35, hours: 5 },
      { bound: 'QUARTER', scope: '2025-Q1', limitHours: 40, alreadyApprovedHours: 0, hours: 10 },
    ]);
    expect(codes(decision)).toEqual(['LIMITED:QUARTER_HOURS_ALREADY_REIMBURSED']);
  });

  it('the personal maximum is what is left of it, exactly: 125 − 124.5 = 0.5 h', () => {
    const decision = evaluateClaim(facts({ alreadyApproved: year(124.5) }));
    expect(decision).toMatchObject({ approvedHours: 0.5, amount: '10.65', approvedHoursByMonth: { '2024-10': 0.5 } });
    expect(evaluateClaim(facts({ alreadyApproved: year(125) }))).toMatchObject({ outcome: 'REJECTED', approvedHours: 0 });
  });

  it('never posts above a limit, whatever was read: approved + already ≤ limit for every posting', () => {
    for (const already of [0, 7.5, 20, 59.5, 60, 200]) {
      for (const d of [evaluateClaim(facts({ alreadyApproved: { schoolYear: already, training: already, quarters: { '2024-Q4': already } } }))]) {
        for (const p of d.ledger) expect(p.alreadyApprovedHours + p.hours).toBeLessThanOrEqual(p.limitHours);
        expect(d.ledger.every((p) => p.bound === 'QUARTER' || p.hours === d.approvedHours)).toBe(true);
      }
    }
  });

  it('every reason code is produced by some rule here', () => {
    expect(REASON_CODES).toHaveLength(14);
  });
});

describe('hours at the edge: positive half hours up to the yearly maximum', () => {
  const schema = submitTrainingLeaveClaim.input.body!;
  const body = (hoursByMonth: Record<string, number>) => ({
    employerEnterpriseNumber: EMPLOYER,
    workerNiss: NISS,
    schoolYear: '2024-2025',
    training: { id: 'ODB-12345', startDate: '2024-10-01', endDate: '2025-03-31' },
    hoursByMonth,
  });
  const paths = (hoursByMonth: Record<string, number>) => {
    const result = schema.safeParse(body(hoursByMonth));
    return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
  };

  it('accepts 0.5, 12.5 and 125', () => {
    for (const h of [0.5, 12.5, 125]) expect(paths({ '2024-10': h }), String(h)).toEqual([]);
  });

  it('refuses what a float trick would slip past, naming the month', () => {
    for (const h of [1e-100, 1e-152, 5e-324, Number.MIN_VALUE, 0.25, 0.5000000000000001, 0, -0.5, 125.5, Number.MAX_VALUE]) {
      expect(paths({ '2024-10': h }), String(h)).toEqual(['hoursByMonth.2024-10']);
    }
  });

  it('refuses more than 12 months', () => {
    const thirteen = Object.fromEntries(
      Array.from({ length: 13 }, (_, i) => [`20${24 + Math.floor((i + 8) / 12)}-${String(((i + 8) % 12) + 1).padStart(2, '0')}`, 0.5]),
    );
    expect(Object.keys(thirteen)).toHaveLength(13);
    expect(paths(thirteen)).toContain('hoursByMonth');
  });

  it('refuses more than the yearly maximum in all', () => {
    expect(paths({ '2024-10': 100, '2024-11': 25 })).toEqual([]);
    expect(paths({ '2024-10': 100, '2024-11': 25.5 })).toEqual(['hoursByMonth']);
  });
});
