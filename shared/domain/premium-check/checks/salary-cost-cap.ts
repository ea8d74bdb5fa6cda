import { formatCents, toCents } from '../../amounts.js';
import { formatEuro } from '../../i18n/formats.js';
import { defineCheck, text } from '../findings.js';
import type { CheckContext, StepResult } from '../evaluate.js';
import { ptpClaimWithinDue } from './proportional-days.js';

/**
 * SALARY_COST_CAP (PC-2): the premium never exceeds the month's salary cost in DMFA. ACS: a premium
 * above it fails and is capped. PTP: the employer's claim is what is judged: above the salary cost
 * it fails the cap; within it but above the premium due, it fails PROPORTIONAL_DAYS (PC-7).
 */
export const SALARY_COST_CAP = defineCheck({
  check: 'SALARY_COST_CAP',
  paragraph: '05/012 §3.8 · PC-2',
  title: { nl: 'Niet meer dan de loonkost', fr: 'Pas plus que le coût salarial', en: 'No more than the salary cost' },
  texts: {
    premiumWithinCost: text<{ due: string; cost: string }>({
      nl: (p) => `De premie van ${formatEuro(p.due, 'nl')} blijft binnen de loonkost van ${formatEuro(p.cost, 'nl')} in de DmfA.`,
      fr: (p) => `La prime de ${formatEuro(p.due, 'fr')} reste dans le coût salarial de ${formatEuro(p.cost, 'fr')} de la DMFA.`,
      en: (p) => `The premium of ${formatEuro(p.due, 'en')} stays within the salary cost of ${formatEuro(p.cost, 'en')} in DMFA.`,
    }),
    premiumAboveCost: text<{ due: string; cost: string }>({
      nl: (p) =>
        `De premie van ${formatEuro(p.due, 'nl')} is hoger dan de loonkost van ${formatEuro(p.cost, 'nl')} in de DmfA: ze wordt beperkt tot ${formatEuro(p.cost, 'nl')}.`,
      fr: (p) =>
        `La prime de ${formatEuro(p.due, 'fr')} dépasse le coût salarial de ${formatEuro(p.cost, 'fr')} de la DMFA : elle est limitée à ${formatEuro(p.cost, 'fr')}.`,
      en: (p) =>
        `The premium of ${formatEuro(p.due, 'en')} is above the salary cost of ${formatEuro(p.cost, 'en')} in DMFA: it is capped at ${formatEuro(p.cost, 'en')}.`,
    }),
    claimWithinCost: text<{ claimed: string; cost: string }>({
      nl: (p) => `Het gevraagde bedrag, ${formatEuro(p.claimed, 'nl')}, blijft binnen de loonkost van ${formatEuro(p.cost, 'nl')} in de DmfA.`,
      fr: (p) => `Le montant demandé, ${formatEuro(p.claimed, 'fr')}, reste dans le coût salarial de ${formatEuro(p.cost, 'fr')} de la DMFA.`,
      en: (p) => `The amount claimed, ${formatEuro(p.claimed, 'en')}, stays within the salary cost of ${formatEuro(p.cost, 'en')} in DMFA.`,
    }),
    claimAboveCost: text<{ claimed: string; cost: string }>({
      nl: (p) => `Het gevraagde bedrag, ${formatEuro(p.claimed, 'nl')}, is hoger dan de loonkost van ${formatEuro(p.cost, 'nl')} in de DmfA.`,
      fr: (p) => `Le montant demandé, ${formatEuro(p.claimed, 'fr')}, dépasse le coût salarial de ${formatEuro(p.cost, 'fr')} de la DMFA.`,
      en: (p) => `The amount claimed, ${formatEuro(p.claimed, 'en')}, is above the salary cost of ${formatEuro(p.cost, 'en')} in DMFA.`,
    }),
  },
});

/** The cap, and the premium due after it. */
export const salaryCostCap = (
  { request }: CheckContext,
  occupation: NonNullable<CheckContext['occupation']>,
  dueCents: number | null,
): StepResult & { dueCents: number | null } => {
  if (dueCents === null) return { findings: [], dueCents };
  const cost = toCents(occupation.salaryCost);
  if (request.scheme === 'PTP') {
    const claimed = request.declared.amountClaimed;
    const params = { claimed: formatCents(toCents(claimed)), cost: occupation.salaryCost };
    const figures = { declared: claimed, found: occupation.salaryCost };
    const allowed = Math.min(dueCents, cost);
    if (toCents(claimed) > cost) return { findings: [SALARY_COST_CAP.finding('FAIL', 'claimAboveCost', params, figures)], dueCents: allowed };
    const days = ptpClaimWithinDue(claimed, allowed);
    return { findings: [SALARY_COST_CAP.finding('PASS', 'claimWithinCost', params, figures), ...days.findings], dueCents: allowed };
  }
  const params = { due: formatCents(dueCents), cost: occupation.salaryCost };
  if (dueCents > cost) return { findings: [SALARY_COST_CAP.finding('FAIL', 'premiumAboveCost', params, { found: occupation.salaryCost })], dueCents: cost };
  return { findings: [SALARY_COST_CAP.finding('PASS', 'premiumWithinCost', params, { found: occupation.salaryCost })], dueCents };
};
