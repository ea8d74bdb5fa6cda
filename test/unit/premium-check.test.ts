import { describe, expect, it } from 'vitest';
import { checkTable } from '../../shared/domain/effective-dated.js';
import {
  CHECK_NAMES,
  checkPremium,
  type DeclaredFigures,
  dmfaDeadline,
  evaluatePremium,
  type FindingView,
  type PremiumFacts,
  presentPremium,
  workingDaysOf,
} from '../../shared/domain/premium-check/evaluate.js';
import { LANGUAGES, say, type Texts } from '../../shared/domain/i18n/language.js';
import { CHECKS, presentFinding } from '../../shared/domain/premium-check/present.js';
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

describe('not declared yet (PC-8): a month whose DMFA is not due on the day of the check', () => {
  /** ACS, the month given, with DMFA holding nothing for its quarter (the employer has not filed yet). */
  const undeclared = (month: string, today: string): PremiumFacts => ({
    ...facts(),
    request: { ...facts().request, month } as PremiumFacts['request'],
    occupation: undefined,
    aggregates: aggregates('10.20').filter((a) => a.quarter.startsWith('2022')),
    today,
  });

  it('the deadline is the last day of the month after the quarter', () => {
    expect(['2026-01', '2026-02', '2026-03'].map(dmfaDeadline)).toEqual(['2026-04-30', '2026-04-30', '2026-04-30']);
    expect(dmfaDeadline('2026-05')).toBe('2026-07-31');
    expect(dmfaDeadline('2025-12')).toBe('2026-01-31');
  });

  it('inside the quarter, and up to the deadline itself: INCOMPLETE, one finding, no failure against the employer', () => {
    for (const [month, today] of [
      ['2026-02', '2026-03-31'],
      ['2026-03', '2026-04-30'],
      ['2025-12', '2026-01-31'],
      ['2027-01', '2026-04-30'],
    ] as const) {
      const result = checkPremium(undeclared(month, today));
      expect(result, `${month} on ${today}`).toMatchObject({ outcome: 'INCOMPLETE', premium: { due: null, employerShare: null, paidByRegion: null } });
      expect(result.findings).toEqual([expect.objectContaining({ check: 'DMFA_DUE', outcome: 'NOT_DUE_YET', found: dmfaDeadline(month) })]);
    }
  });

  it('the day after the deadline, the DMFA is due: an occupation still missing is a failed declaration', () => {
    for (const [month, today] of [
      ['2026-03', '2026-05-01'],
      ['2025-12', '2026-02-01'],
    ] as const) {
      const result = checkPremium(undeclared(month, today));
      expect(result.outcome, `${month} on ${today}`).toBe('NON_CONFORM');
      expect(finding(result, 'DECLARATION_MATCH')[0]).toMatchObject({ outcome: 'FAIL' });
      expect(finding(result, 'DMFA_DUE')).toEqual([]);
    }
  });

  it('says when the DMFA is due and when to check again, in the reader’s language', () => {
    const evaluation = evaluatePremium(undeclared('2026-03', '2026-04-30'));
    expect(presentPremium(evaluation, 'fr').findings[0]).toMatchObject({
      title: 'DMFA du mois déclarée',
      detail:
        'La DMFA du T1 2026 (dont mars 2026) doit être introduite au plus tard le 30/04/2026 : pas encore déclarée. Vérifiez la prime à nouveau à partir du 01/05/2026.',
    });
    expect(presentPremium(evaluation, 'nl').findings[0]!.detail).toContain('uiterlijk op 30/04/2026');
    expect(presentPremium(evaluation, 'en').findings[0]!.detail).toContain('is due by 30/04/2026: not declared yet');
  });
});

describe('findings in the reader’s language', () => {
  it('each finding has its paragraph, its title and its sentence, with Belgian formats', () => {
    const [fr, nl, en] = (['fr', 'nl', 'en'] as const).map((l) => finding(checkPremium(facts(), l), 'PROPORTIONAL_DAYS')[0]!) as [
      FindingView,
      FindingView,
      FindingView,
    ];
    expect(fr).toMatchObject({
      check: 'PROPORTIONAL_DAYS',
      outcome: 'PASS',
      paragraph: expect.stringContaining('05/012 §3.2'),
      title: 'Prime proportionnelle aux jours prestés',
    });
    expect(fr.detail).toContain('1\u202f500,00\u00a0€ × (18 jours prestés + 2 assimilés) / 21 jours ouvrables');
    expect(nl.detail).toContain('€\u00a01.500,00 × (18 gewerkte + 2 gelijkgestelde dagen)');
    expect(en.detail).toContain('€1,500.00 × (18 worked + 2 assimilated) / 21 working days');
    expect(fr.found).toBe('1428.57');
  });

  it('every text of every check is written in nl, fr and en, and de falls back to fr', () => {
    expect(Object.keys(CHECKS).sort()).toEqual([...CHECK_NAMES].sort());
    // Parameters that fit every text: each text reads only its own.
    const params = new Proxy({}, { get: (_, key) => (key === 'codes' || key === 'quarters' ? '2024-Q1' : key === 'field' ? 'grossSalary' : '2024-03') });
    for (const definition of Object.values(CHECKS)) {
      for (const language of LANGUAGES) expect(say(definition.title, language), `${definition.check} title`).not.toBe('');
      for (const [key, texts] of Object.entries(definition.texts) as [string, Texts<never>][]) {
        for (const language of ['nl', 'fr', 'en'] as const) expect(texts[language], `${definition.check}.${key} ${language}`).toBeDefined();
        const said = LANGUAGES.map((l) => say(texts as Texts<{ any: string }>, l, params as { any: string }));
        expect(new Set(said.slice(0, 2)).size, `${definition.check}.${key}: nl and fr differ`).toBe(2);
        expect(said[2], `${definition.check}.${key}: de falls back to fr`).toBe(said[1]);
      }
    }
  });

  it('a finding stored before the texts were keyed shows its sentence as it was', () => {
    const legacy = { check: 'DOUBLE_SUBSIDY', outcome: 'PASS', detail: 'No other premium or reduction recorded for 2024-03.' } as never;
    expect(presentFinding(legacy, 'nl')).toMatchObject({ title: 'Geen dubbele subsidie', detail: 'No other premium or reduction recorded for 2024-03.' });
  });
});
