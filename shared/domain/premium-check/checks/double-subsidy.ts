import { formatMonth } from '../../i18n/formats.js';
import { defineCheck, text } from '../findings.js';
import type { CheckContext, StepResult } from '../evaluate.js';

/** DOUBLE_SUBSIDY (PC-2): no other premium or reduction on the same worker and month. */
export const DOUBLE_SUBSIDY = defineCheck({
  check: 'DOUBLE_SUBSIDY',
  paragraph: '05/012 §1.2, §3.8 · PC-2',
  title: { nl: 'Geen dubbele subsidie', fr: 'Pas de double subside', en: 'No double subsidy' },
  texts: {
    none: text<{ month: string }>({
      nl: (p) => `Geen andere premie of vermindering geregistreerd voor ${formatMonth(p.month, 'nl')}.`,
      fr: (p) => `Aucune autre prime ni réduction enregistrée pour ${formatMonth(p.month, 'fr')}.`,
      en: (p) => `No other premium or reduction recorded for ${formatMonth(p.month, 'en')}.`,
    }),
    others: text<{ month: string; codes: string }>({
      nl: (p) => `Andere premie(s) of vermindering(en) geregistreerd voor ${formatMonth(p.month, 'nl')}: ${p.codes.split(',').join(', ')}.`,
      fr: (p) => `Autre(s) prime(s) ou réduction(s) enregistrée(s) pour ${formatMonth(p.month, 'fr')} : ${p.codes.split(',').join(', ')}.`,
      en: (p) => `Other premium(s) recorded for ${formatMonth(p.month, 'en')}: ${p.codes.split(',').join(', ')}.`,
    }),
  },
});

export const doubleSubsidy = ({ request }: CheckContext, occupation: NonNullable<CheckContext['occupation']>): StepResult => {
  if (occupation.otherPremiums.length === 0) return { findings: [DOUBLE_SUBSIDY.finding('PASS', 'none', { month: request.month })] };
  const codes = occupation.otherPremiums.join(',');
  return { findings: [DOUBLE_SUBSIDY.finding('FAIL', 'others', { month: request.month, codes }, { found: codes })] };
};
