import { formatCents, toCents } from '../../amounts.js';
import { dayBefore } from '../../calendar.js';
import { rowInForce } from '../../effective-dated.js';
import { formatEuro, formatMonth, formatNumber } from '../../i18n/formats.js';
import { mulDiv } from '../arithmetic.js';
import { defineCheck, formatLongDate, text } from '../findings.js';
import { PTP_MONTHLY_PREMIUM, WORKING_DAYS_RULE } from '../parameters.js';
import type { CheckContext, StepResult } from '../evaluate.js';

/**
 * PROPORTIONAL_DAYS (C5, C6, PC-6, PC-7): the monthly premium × (days worked + assimilated days, from
 * DMFA) ÷ the working days of the month under the worker's regime. ACS prorates the grant's
 * monthly premium; PTP the flat regional premium, and the employer's claim is judged against it.
 */
export const PROPORTIONAL_DAYS = defineCheck({
  check: 'PROPORTIONAL_DAYS',
  paragraph: '05/012 §3.2 · ACS: art. 16 AGRBC 28.11.2002 · PTP: art. 5, 6 AGRBC 29.01.1998',
  title: { nl: 'Premie in verhouding tot de gewerkte dagen', fr: 'Prime proportionnelle aux jours prestés', en: 'Premium in proportion to the days worked' },
  texts: {
    unknownPremium: text<{ after: string }>({
      nl: (p) => `Kan niet worden berekend: er is geen bedrag van de gewestelijke PTP-premie bekendgemaakt na ${formatLongDate(p.after, 'nl')}.`,
      fr: (p) => `Calcul impossible : aucun montant de la prime régionale PTP n’a été publié après le ${formatLongDate(p.after, 'fr')}.`,
      en: (p) => `Cannot be computed: no published amount of the PTP regional premium after ${formatLongDate(p.after, 'en')}.`,
    }),
    noOccupation: text({
      nl: 'Er is geen tewerkstelling in de DmfA om de dagen uit te tellen.',
      fr: 'Aucune occupation dans la DMFA dont compter les jours.',
      en: 'No DMFA occupation to count the days from.',
    }),
    noWorkingDay: text<{ daysPerWeek: number; month: string }>({
      nl: (p) => `De DmfA vermeldt ${formatNumber(p.daysPerWeek, 'nl')} dagen per week: geen enkele werkdag in ${formatMonth(p.month, 'nl')}.`,
      fr: (p) => `La DMFA indique ${formatNumber(p.daysPerWeek, 'fr')} jours par semaine : aucun jour ouvrable en ${formatMonth(p.month, 'fr')}.`,
      en: (p) => `DMFA gives ${formatNumber(p.daysPerWeek, 'en')} days a week: no working day in ${formatMonth(p.month, 'en')}.`,
    }),
    prorated: text<{ monthly: string; worked: number; assimilated: number; workingDays: number; daysPerWeek: number; due: string; unconfirmed: boolean }>({
      nl: (p) =>
        `${formatEuro(p.monthly, 'nl')} × (${p.worked} gewerkte + ${p.assimilated} gelijkgestelde dagen) / ${p.workingDays} werkdagen (${formatNumber(p.daysPerWeek, 'nl')} dagen per week) = ${formatEuro(p.due, 'nl')}.${p.unconfirmed ? ' Werkdagen geteld als de weekdagen van de maand × dagen per week ÷ 5, feestdagen inbegrepen (niet bevestigd door een openbare bron).' : ''}`,
      fr: (p) =>
        `${formatEuro(p.monthly, 'fr')} × (${p.worked} jours prestés + ${p.assimilated} assimilés) / ${p.workingDays} jours ouvrables (${formatNumber(p.daysPerWeek, 'fr')} jours par semaine) = ${formatEuro(p.due, 'fr')}.${p.unconfirmed ? ' Jours ouvrables comptés comme les jours de semaine du mois × jours par semaine ÷ 5, jours fériés compris (non confirmé par une source publique).' : ''}`,
      en: (p) =>
        `${formatEuro(p.monthly, 'en')} × (${p.worked} worked + ${p.assimilated} assimilated) / ${p.workingDays} working days (${formatNumber(p.daysPerWeek, 'en')} days a week) = ${formatEuro(p.due, 'en')}.${p.unconfirmed ? ' Working days counted as the weekdays of the month × days a week ÷ 5, public holidays included (not confirmed by a public source).' : ''}`,
    }),
    claimAboveDue: text<{ claimed: string; due: string }>({
      nl: (p) => `Het gevraagde bedrag, ${formatEuro(p.claimed, 'nl')}, is hoger dan de premie die voor de maand verschuldigd is, ${formatEuro(p.due, 'nl')}.`,
      fr: (p) => `Le montant demandé, ${formatEuro(p.claimed, 'fr')}, dépasse la prime due pour le mois, ${formatEuro(p.due, 'fr')}.`,
      en: (p) => `The amount claimed, ${formatEuro(p.claimed, 'en')}, exceeds the premium due for the month, ${formatEuro(p.due, 'en')}.`,
    }),
  },
});

/** Working days of the month under a regime of `daysPerWeek` (public holidays are assimilated days in Belgium). */
export const workingDaysOf = (month: string, daysPerWeek: number): number => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  let weekdays = 0;
  for (let d = 1; d <= days; d++) {
    const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
    if (day !== 0 && day !== 6) weekdays++;
  }
  return Math.round((weekdays * daysPerWeek) / 5);
};

/** The monthly premium before proration: PTP from the parameter table, ACS the grant's. `null` when no figure is in force. */
export const monthlyPremium = ({ request, firstDay }: CheckContext): StepResult & { monthlyCents: number | null } => {
  if (request.scheme === 'ACS') return { findings: [], monthlyCents: toCents(request.declared.grantedMonthlyPremium) };
  const row = rowInForce(PTP_MONTHLY_PREMIUM, firstDay, 'PTP premium');
  if (row.value.value !== null) return { findings: [], monthlyCents: toCents(row.value.value) };
  return { findings: [PROPORTIONAL_DAYS.finding('NOT_APPLICABLE', 'unknownPremium', { after: dayBefore(row.from) })], incomplete: true, monthlyCents: null };
};

/** No DMFA occupation: nothing to prorate (the missing declaration is DECLARATION_MATCH's finding). */
export const noDaysToCount = (monthlyCents: number | null): StepResult =>
  monthlyCents === null ? { findings: [] } : { findings: [PROPORTIONAL_DAYS.finding('NOT_APPLICABLE', 'noOccupation', {})], incomplete: true };

export const proportionalDays = (
  { request, firstDay }: CheckContext,
  occupation: NonNullable<CheckContext['occupation']>,
  monthlyCents: number | null,
): StepResult & { dueCents: number | null } => {
  if (monthlyCents === null) return { findings: [], dueCents: null };
  const workingDays = workingDaysOf(request.month, occupation.daysPerWeek);
  if (workingDays === 0) {
    // A regime of (almost) no days a week leaves no working day to prorate over: not a division by zero.
    const finding = PROPORTIONAL_DAYS.finding('NOT_APPLICABLE', 'noWorkingDay', { daysPerWeek: occupation.daysPerWeek, month: request.month });
    return { findings: [finding], incomplete: true, dueCents: null };
  }
  const counting = rowInForce(WORKING_DAYS_RULE, firstDay, 'working-days rule');
  const paidDays = Math.min(workingDays, occupation.daysWorked + occupation.assimilatedDays);
  const dueCents = mulDiv(monthlyCents, paidDays, workingDays);
  const params = {
    monthly: formatCents(monthlyCents),
    worked: occupation.daysWorked,
    assimilated: occupation.assimilatedDays,
    workingDays,
    daysPerWeek: occupation.daysPerWeek,
    due: formatCents(dueCents),
    unconfirmed: counting.confidence === 'UNCONFIRMED',
  };
  return { findings: [PROPORTIONAL_DAYS.finding('PASS', 'prorated', params, { found: formatCents(dueCents) })], dueCents };
};

/** PTP: a claim within the salary cost but above the premium due fails the days (after SALARY_COST_CAP). */
export const ptpClaimWithinDue = (claimed: string, allowedCents: number): StepResult =>
  toCents(claimed) > allowedCents
    ? {
        findings: [
          PROPORTIONAL_DAYS.finding(
            'FAIL',
            'claimAboveDue',
            { claimed, due: formatCents(allowedCents) },
            { declared: claimed, found: formatCents(allowedCents) },
          ),
        ],
      }
    : { findings: [] };
