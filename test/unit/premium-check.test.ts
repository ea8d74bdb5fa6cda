import { describe, expect, it } from 'vitest';
import { checkTable } from '../../shared/domain/effective-dated.js';
import { checkPremium, type DeclaredFigures, type PremiumFacts, workingDaysOf } from '../../shared/domain/premium-check/evaluate.js';
import * as parameters from '../../shared/domain/premium-check/parameters.js';
import { checkPremium as checkPremiumBinding } from '../../shared/purposes/premium-check.js';

const aggregates = (current: string, base = ['9.50', '10.00', '10.00', '10.50'], exemption = false) => [
  ...base.map((regularFte, i) => ({ quarter: `2022-Q${i + 1}`, regularFte })),
  { quarter: '2024-Q1', regularFte: current, exemption },
  { quarter: '2024-Q2', regularFte: current, exemption },
];

const DECLARED: DeclaredFigures = { daysWorked: 18, assimilatedDays: 2, grossSalary: '2500.00', regularStaffFte: '10.20' };

/** ACS, March 2024 (21 working days under a 5-day week), matching declaration; the grant's monthly premium € 1,500. */
const facts = (
  over: Partial<PremiumFacts> = {},
  declared: Partial<DeclaredFigures & { grantedMonthlyPremium: string; exemptionClaimed: boolean }> = {},
): PremiumFacts => ({
  request: {
    scheme: 'ACS',
    hiringDate: '2023-01-01',
    month: '2024-03',
    declared: { ...DECLARED, grantedMonthlyPremium: '1500.00', exemptionClaimed: false, ...declared },
  },
  occupation: { daysPerWeek: 5, daysWorked: 18, assimilatedDays: 2, grossSalary: '2500.00', salaryCost: '3300.00', otherPremiums: [] },
  aggregates: aggregates('10.20'),
  ...over,
});
const finding = (result: ReturnType<typeof checkPremium>, check: string) => result.findings.filter((f) => f.check === check);

describe('parameter tables (05/012, §C)', () => {
  it('are sorted, without overlap, and mark what no source gave', () => {
    for (const [name, table] of Object.entries(parameters)) checkTable(table as never, name);
    expect(parameters.PTP_MONTHLY_PREMIUM.at(-1)).toMatchObject({ from: '2024-09-01', value: { value: null }, confidence: 'UNCONFIRMED' });
    expect(parameters.ACS_CAPPED_REFERENCE_SALARY[0]!.value.value).toBeNull();
  });
});

describe('ACS / PTP premium checks', () => {
  it('counts working days under the regime', () => {
    expect(workingDaysOf('2024-03', 5)).toBe(21);
    expect(workingDaysOf('2024-05', 5)).toBe(23);
    expect(workingDaysOf('2024-05', 4)).toBe(18);
  });

  it('PROPORTIONAL_DAYS: 18 worked + 2 assimilated days of 21 → 20/21 of the premium, to the cent', () => {
    const result = checkPremium(facts());
    expect(result.premium).toEqual({ due: '1428.57', employerShare: '71.43', paidByRegion: '1357.14' });
    expect(finding(result, 'PROPORTIONAL_DAYS')[0]).toMatchObject({ outcome: 'PASS', found: '1428.57' });
  });

  it('NON_REPLACEMENT: FTE 9.5 against a previous-year average of 10.0 fails; 10.0 passes', () => {
    expect(finding(checkPremium(facts({ aggregates: aggregates('9.50') })), 'NON_REPLACEMENT')[0]).toMatchObject({ outcome: 'FAIL', found: '9.50' });
    expect(checkPremium(facts({ aggregates: aggregates('9.50') })).outcome).toBe('NON_CONFORM');
    expect(finding(checkPremium(facts({ aggregates: aggregates('10.00') })), 'NON_REPLACEMENT')[0]!.outcome).toBe('PASS');
  });

  it('NON_REPLACEMENT without the aggregates of the base year is not guessed', () => {
    const result = checkPremium(facts({ aggregates: aggregates('10.20').filter((a) => a.quarter !== '2022-Q3') }));
    expect(finding(result, 'NON_REPLACEMENT')[0]).toMatchObject({ outcome: 'NOT_APPLICABLE', detail: expect.stringContaining('2022-Q3') });
  });

  it('EMPLOYER_SHARE: an exemption on record → no employer share; one claimed but not on record fails', () => {
    const exempt = checkPremium(facts({ aggregates: aggregates('10.20', undefined, true) }, { exemptionClaimed: true }));
    expect(exempt.premium).toEqual({ due: '1428.57', employerShare: '0.00', paidByRegion: '1428.57' });
    const claimed = checkPremium(facts({}, { exemptionClaimed: true }));
    expect(finding(claimed, 'EMPLOYER_SHARE')[0]).toMatchObject({ outcome: 'FAIL', declared: true, found: false });
  });

  it('SALARY_BASIS: the ACS reference salary is unknown, so the check says so and the outcome is INCOMPLETE', () => {
    const result = checkPremium(facts());
    expect(finding(result, 'SALARY_BASIS')[0]).toMatchObject({ outcome: 'NOT_APPLICABLE', detail: expect.stringContaining('no public figure') });
    expect(result.outcome).toBe('INCOMPLETE');
  });

  it('SALARY_COST_CAP: the premium never exceeds the salary cost', () => {
    const result = checkPremium(facts({ occupation: { ...facts().occupation!, salaryCost: '1000.00' } }));
    expect(finding(result, 'SALARY_COST_CAP')[0]).toMatchObject({ outcome: 'FAIL', found: '1000.00' });
    expect(result.premium.due).toBe('1000.00');
  });

  it('DOUBLE_SUBSIDY: another premium on the same worker and month fails', () => {
    const result = checkPremium(facts({ occupation: { ...facts().occupation!, otherPremiums: ['ACTIVATION_ALLOWANCE'] } }));
    expect(finding(result, 'DOUBLE_SUBSIDY')[0]).toMatchObject({ outcome: 'FAIL', found: 'ACTIVATION_ALLOWANCE' });
  });

  it('DECLARATION_MATCH: one finding per mismatch, with the declared and the DMFA value', () => {
    const result = checkPremium(facts({}, { daysWorked: 19, grossSalary: '2600', regularStaffFte: '10.0' }));
    expect(finding(result, 'DECLARATION_MATCH')).toEqual([
      expect.objectContaining({ outcome: 'FAIL', declared: 19, found: 18 }),
      expect.objectContaining({ outcome: 'FAIL', declared: '2600.00', found: '2500.00' }),
      expect.objectContaining({ outcome: 'FAIL', declared: '10.00', found: '10.20' }),
    ]);
    expect(finding(checkPremium(facts()), 'DECLARATION_MATCH')).toEqual([expect.objectContaining({ outcome: 'PASS' })]);
  });

  const ptp = (month: string, hiringDate: string, declared: Partial<DeclaredFigures & { amountClaimed: string }> = {}): PremiumFacts['request'] => ({
    scheme: 'PTP',
    hiringDate,
    month,
    declared: { ...DECLARED, amountClaimed: '1168.75', ...declared },
  });

  it('PTP (C14, PC-4): € 1,168.75 a month until 31 Aug 2024, no employer share (an ACS rule), all paid by the region, CONFORM when everything checks', () => {
    const result = checkPremium(
      facts({
        request: ptp('2024-05', '2023-06-01', { daysWorked: 20, assimilatedDays: 3 }),
        occupation: { daysPerWeek: 5, daysWorked: 20, assimilatedDays: 3, grossSalary: '2500.00', salaryCost: '3000.00', otherPremiums: [] },
      }),
    );
    expect(result).toMatchObject({ outcome: 'CONFORM', premium: { due: '1168.75', employerShare: null, paidByRegion: '1168.75' } });
    expect(finding(result, 'EMPLOYER_SHARE')[0]).toMatchObject({ outcome: 'NOT_APPLICABLE', detail: expect.stringContaining('ACS rule') });
    expect(finding(result, 'PTP_CAREER_LIMIT')[0]).toMatchObject({ outcome: 'PASS', found: 12 });
  });

  it('PTP (PC-7): the amount claimed for the month is compared with the premium prorated; ACS prorates the grant’s monthly premium', () => {
    // May 2024: 23 working days; 20 + 0 days paid → 1168.75 × 20 / 23 = 1016.30.
    const occupation = { daysPerWeek: 5, daysWorked: 20, assimilatedDays: 0, grossSalary: '2500.00', salaryCost: '3000.00', otherPremiums: [] };
    const over = checkPremium(facts({ request: ptp('2024-05', '2023-06-01', { daysWorked: 20, assimilatedDays: 0, amountClaimed: '1168.75' }), occupation }));
    expect(over.premium.due).toBe('1016.30');
    expect(finding(over, 'PROPORTIONAL_DAYS')[1]).toMatchObject({ outcome: 'FAIL', declared: '1168.75', found: '1016.30' });
    const fair = checkPremium(facts({ request: ptp('2024-05', '2023-06-01', { daysWorked: 20, assimilatedDays: 0, amountClaimed: '1016.30' }), occupation }));
    expect(finding(fair, 'PROPORTIONAL_DAYS')).toHaveLength(1);
    // ACS: the grant's monthly € 1,500 is what is prorated (20/21 of it in March 2024), whatever the month's claim.
    expect(checkPremium(facts({}, { grantedMonthlyPremium: '2100.00' })).premium.due).toBe('2000.00');
  });

  it('PTP: the claim is judged after the salary-cost cap: above the cost it fails the cap, above the premium due the days', () => {
    const cheap = { daysPerWeek: 5, daysWorked: 20, assimilatedDays: 3, grossSalary: '2500.00', salaryCost: '500.00', otherPremiums: [] };
    const within = checkPremium(
      facts({ request: ptp('2024-05', '2023-06-01', { daysWorked: 20, assimilatedDays: 3, amountClaimed: '400.00' }), occupation: cheap }),
    );
    expect(within.findings.filter((f) => f.outcome === 'FAIL')).toEqual([]);
    expect(within.premium.due).toBe('500.00');
    const over = checkPremium(
      facts({ request: ptp('2024-05', '2023-06-01', { daysWorked: 20, assimilatedDays: 3, amountClaimed: '600.00' }), occupation: cheap }),
    );
    expect(finding(over, 'SALARY_COST_CAP')[0]).toMatchObject({ outcome: 'FAIL', declared: '600.00', found: '500.00' });
    expect(finding(over, 'PROPORTIONAL_DAYS').map((f) => f.outcome)).toEqual(['PASS']);
  });

  it('a regime of no working day in the month is NOT_APPLICABLE, not a division by zero', () => {
    const result = checkPremium(facts({ occupation: { ...facts().occupation!, daysPerWeek: 0.1 } }));
    expect(finding(result, 'PROPORTIONAL_DAYS')[0]).toMatchObject({ outcome: 'NOT_APPLICABLE' });
    expect(result.premium.due).toBeNull();
  });

  it('the request takes a month a table covers, and the exemption on ACS only (PC-4, PC-7)', () => {
    const schema = checkPremiumBinding.input.body;
    const base = { employerEnterpriseNumber: '0403170701', workerNiss: '84050550577', hiringDate: '2020-06-01' };
    const ptpBody = { ...base, scheme: 'PTP', month: '2024-05', declared: { ...DECLARED, amountClaimed: '1168.75' } };
    expect(schema.safeParse(ptpBody).success).toBe(true);
    const early = schema.safeParse({ ...ptpBody, month: '2020-12' });
    expect(early.error?.issues).toEqual([
      expect.objectContaining({ path: ['month'], message: 'PTP premiums are checked from 2021-01 (the regional premium)' }),
    ]);
    const exemption = schema.safeParse({ ...ptpBody, declared: { ...ptpBody.declared, exemptionClaimed: true } });
    expect(exemption.success).toBe(false);
    const acs = { ...base, scheme: 'ACS', month: '2002-11', declared: { ...DECLARED, grantedMonthlyPremium: '1500.00', exemptionClaimed: false } };
    expect(schema.safeParse(acs).error?.issues[0]?.message).toBe('ACS premiums are checked from 2002-12 (the ACS decree)');
    expect(schema.safeParse({ ...acs, month: '2002-12' }).success).toBe(true);
  });

  it('PC-6: says how the working days were counted, since no source settles it', () => {
    expect(parameters.WORKING_DAYS_RULE[0]).toMatchObject({ confidence: 'UNCONFIRMED' });
    expect(finding(checkPremium(facts()), 'PROPORTIONAL_DAYS')[0]?.detail).toContain('not confirmed by a public source');
  });

  it('PTP after 31 Aug 2024: the premium is unknown → NOT_APPLICABLE and INCOMPLETE, no amount guessed', () => {
    const result = checkPremium(
      facts({
        request: ptp('2024-10', '2023-01-01'),
        aggregates: [...aggregates('10.20'), { quarter: '2024-Q4', regularFte: '10.20' }],
      }),
    );
    expect(result.outcome).toBe('INCOMPLETE');
    expect(result.premium).toEqual({ due: null, employerShare: null, paidByRegion: null });
    expect(finding(result, 'PROPORTIONAL_DAYS')[0]).toMatchObject({ outcome: 'NOT_APPLICABLE', detail: expect.stringContaining('31 August 2024') });
  });

  it('PTP: the 25th month exceeds the 24-month career limit', () => {
    const result = checkPremium(facts({ request: ptp('2024-03', '2022-03-01') }));
    expect(finding(result, 'PTP_CAREER_LIMIT')[0]).toMatchObject({ outcome: 'FAIL', found: 25 });
  });

  it('no DMFA occupation for the month is a failed declaration, not a crash', () => {
    const result = checkPremium(facts({ occupation: undefined }));
    expect(result.outcome).toBe('NON_CONFORM');
    expect(finding(result, 'DECLARATION_MATCH')[0]!.outcome).toBe('FAIL');
  });
});
