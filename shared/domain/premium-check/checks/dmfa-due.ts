import { addMonths, monthEnd, quarterOf } from '../../calendar.js';
import { rowInForce } from '../../effective-dated.js';
import { formatDate, formatMonth } from '../../i18n/formats.js';
import { defineCheck, type Finding, formatQuarter, text } from '../findings.js';
import { DMFA_DECLARATION_DEADLINE } from '../parameters.js';

/**
 * DMFA_DUE: a month's DMFA can be relied on once its quarter's declaration deadline has passed
 * (the last day of the month after the quarter, ONSS). Before then the employer may still file or
 * correct it: a missing or partial declaration is "not declared yet", not a failure of the
 * employer, and the check is INCOMPLETE (docs/premium-check.md PC-8).
 */
export const DMFA_DUE = defineCheck({
  check: 'DMFA_DUE',
  paragraph: '05/012 §3.4 · ONSS/RSZ, DmfA: the last day of the month after the quarter',
  title: { nl: 'DmfA van de maand aangegeven', fr: 'DMFA du mois déclarée', en: 'DMFA of the month declared' },
  texts: {
    notDueYet: text<{ month: string; quarter: string; deadline: string; from: string }>({
      nl: (p) =>
        `De DmfA van ${formatQuarter(p.quarter, 'nl')} (met ${formatMonth(p.month, 'nl')}) moet uiterlijk op ${formatDate(p.deadline, 'nl')} worden ingediend: nog niet aangegeven. Controleer de premie opnieuw vanaf ${formatDate(p.from, 'nl')}.`,
      fr: (p) =>
        `La DMFA du ${formatQuarter(p.quarter, 'fr')} (dont ${formatMonth(p.month, 'fr')}) doit être introduite au plus tard le ${formatDate(p.deadline, 'fr')} : pas encore déclarée. Vérifiez la prime à nouveau à partir du ${formatDate(p.from, 'fr')}.`,
      en: (p) =>
        `The DMFA of ${formatQuarter(p.quarter, 'en')} (which holds ${formatMonth(p.month, 'en')}) is due by ${formatDate(p.deadline, 'en')}: not declared yet. Check the premium again from ${formatDate(p.from, 'en')}.`,
    }),
  },
});

/** The last day an employer may file the DMFA of `month`'s quarter. */
export const dmfaDeadline = (month: string): string => {
  const { monthsAfterQuarter } = rowInForce(DMFA_DECLARATION_DEADLINE, `${month}-01`, 'DMFA declaration deadline').value;
  const lastMonthOfQuarter = `${month.slice(0, 4)}-${String(Math.ceil(Number(month.slice(5, 7)) / 3) * 3).padStart(2, '0')}`;
  return monthEnd(addMonths(`${lastMonthOfQuarter}-01`, monthsAfterQuarter).slice(0, 7));
};

/** Whether the DMFA of `month` is due on `today` (a Belgian calendar day): its deadline has passed. */
export const isDmfaDue = (month: string, today: string): boolean => today > dmfaDeadline(month);

/** The finding when the month's DMFA is not due on `today`; none when it is. */
export const dmfaNotDueYet = (month: string, today: string): Finding | undefined => {
  if (isDmfaDue(month, today)) return undefined;
  const deadline = dmfaDeadline(month);
  return DMFA_DUE.finding('NOT_DUE_YET', 'notDueYet', { month, quarter: quarterOf(month), deadline, from: addDay(deadline) }, { found: deadline });
};

const addDay = (date: string): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
};
