import { inForce } from '../../effective-dated.js';
import { formatDate } from '../../i18n/formats.js';
import { defineCheck, text } from '../findings.js';
import { PTP_CAREER_MONTHS } from '../parameters.js';
import type { CheckContext, StepResult } from '../evaluate.js';

/** PTP_CAREER_LIMIT (C14): a PTP occupation lasts at most 24 months over the career. */
export const PTP_CAREER_LIMIT = defineCheck({
  check: 'PTP_CAREER_LIMIT',
  paragraph: '05/012 §3.2 · AGRBC 29.01.1998 · C14',
  title: { nl: 'Loopbaanlimiet van PTP', fr: 'Limite de carrière PTP', en: 'PTP career limit' },
  texts: {
    acsOnly: text({
      nl: 'Alleen een PTP-tewerkstelling heeft een loopbaanlimiet.',
      fr: 'Seule une occupation PTP connaît une limite de carrière.',
      en: 'Only PTP occupation has a career limit.',
    }),
    counted: text<{ months: number; since: string; limit: number }>({
      nl: (p) => `Maand ${p.months} van PTP-tewerkstelling sinds ${formatDate(p.since, 'nl')}; hoogstens ${p.limit}.`,
      fr: (p) => `${p.months}${p.months === 1 ? 'er' : 'e'} mois d’occupation PTP depuis le ${formatDate(p.since, 'fr')} ; ${p.limit} au plus.`,
      en: (p) => `Month ${p.months} of PTP occupation since ${formatDate(p.since, 'en')}; at most ${p.limit}.`,
    }),
  },
});

const monthsBetweenInclusive = (fromDate: string, month: string) =>
  (Number(month.slice(0, 4)) - Number(fromDate.slice(0, 4))) * 12 + (Number(month.slice(5, 7)) - Number(fromDate.slice(5, 7))) + 1;

export const ptpCareerLimit = ({ request, firstDay }: CheckContext): StepResult => {
  if (request.scheme !== 'PTP') return { findings: [PTP_CAREER_LIMIT.finding('NOT_APPLICABLE', 'acsOnly', {})] };
  const limit = inForce(PTP_CAREER_MONTHS, firstDay, 'PTP career limit');
  const months = monthsBetweenInclusive(request.hiringDate, request.month);
  return {
    findings: [PTP_CAREER_LIMIT.finding(months <= limit ? 'PASS' : 'FAIL', 'counted', { months, since: request.hiringDate, limit }, { found: months })],
  };
};
