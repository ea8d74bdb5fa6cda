import type { RuleTable } from '../effective-dated.js';

/**
 * Figures of the ACS and PTP premium checks (deliberation 05/012;
 * docs/premium-check.md C1-C15), by date. A figure no public source gave is
 * stored as `null` with `confidence: 'UNCONFIRMED'`: the check that needs it answers
 * NOT_APPLICABLE and says so; nothing is invented.
 */
export interface Known<T> {
  value: T | null;
  note: string;
}

/** Employer share of the ACS premium, in basis points (500 = 5 %). */
export const ACS_EMPLOYER_SHARE_BASIS_POINTS: RuleTable<number> = [
  {
    from: '2002-11-28',
    value: 500,
    source: '05/012 §3.1: arts. 21 §2 and 26 of the ACS decree (AGRBC 28 Nov 2002): 5 % borne by the employer unless exempted',
  },
];

// PTP: no employer share. 05/012 §3.1 ties the 5 % to the ACS decree (arts. 21 §2, 26); the PTP
// sources (C14: the ministerial decree fixing the regional premium, groups.be) give a flat monthly
// premium and no share. The rule applied to PTP until now is dropped (PC-4).

/**
 * How the working days of a month are counted for the proration (C5): the weekdays of the month
 * (Monday to Friday) scaled by the regime's days a week over 5, rounded; public holidays are not
 * taken out, because they are assimilated days (C7). The formula quoted in C5 names no regulation
 * and no source says how to count the working days: decided (PC-6), marked unconfirmed.
 */
export const WORKING_DAYS_RULE: RuleTable<{ description: string }> = [
  {
    from: '2002-11-28',
    value: { description: 'the weekdays of the month × days a week ÷ 5, public holidays included' },
    source:
      'C5 (formula from an unnamed regulation), C7 (holidays are assimilated days); counting decided: docs/premium-check.md PC-6; no source on counting the working days found on re-check 2026-12-03',
    confidence: 'UNCONFIRMED',
  },
];

/** PTP monthly regional premium per worker, euro. */
export const PTP_MONTHLY_PREMIUM: RuleTable<Known<string>> = [
  {
    from: '2021-01-01',
    to: '2024-08-31',
    value: { value: '1168.75', note: '€ 1,168.75 a month per PTP worker' },
    source:
      'C14: groups.be; Wolters Kluwer, Brussels minister of employment fixes the regional premium until 2024 (the ministerial decree executing the AGRBC of 29 Jan 1998 on PTP; the one of 23 Sep 2020, numac 2020043172, bears that title)',
  },
  {
    from: '2024-09-01',
    value: { value: null, note: 'no published amount of the PTP regional premium after 31 August 2024' },
    source:
      'docs/premium-check.md open question 13: re-checked 2026-12-03, the only amount published (€ 1,168.75) is fixed from 1 Jan 2021 to 31 Aug 2024 (legalworld, groups.be); no later ministerial decree or amount found',
    confidence: 'UNCONFIRMED',
  },
];

/** PTP occupation: at most this many months over the career. */
export const PTP_CAREER_MONTHS: RuleTable<number> = [{ from: '2021-01-01', value: 24, source: 'C14: PTP occupation is at most 24 months over the career' }];

/** ACS: the capped annual reference salary (traitement de référence annuel plafonné). */
export const ACS_CAPPED_REFERENCE_SALARY: RuleTable<Known<string>> = [
  {
    from: '2002-11-28',
    value: { value: null, note: 'no public figure for the capped annual reference salary was found' },
    source:
      'C9: 05/012 §3.3 names the basis; amount: docs/premium-check.md open question 13 (re-checked 2026-12-03: the "art. 21" premium of the AGRBC of 28 Nov 2002 is the wage up to the annual reference salary plus a flat percentage, Brussels Parliament written question 553 (answered 28 Jan 2021); no amount of that salary published)',
    confidence: 'UNCONFIRMED',
  },
];
