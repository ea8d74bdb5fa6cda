import type { Language } from '../../i18n/language.js';
import { defineCheck, formatFte, formatQuarter, text } from '../findings.js';
import { fteHundredths, fteText, mulDiv } from '../arithmetic.js';
import type { CheckContext, StepResult } from '../evaluate.js';

/**
 * NON_REPLACEMENT (C1-C3): the employer's regular (non-subsidised) FTE in the checked quarter is at
 * least the average of the 4 quarters of the calendar year before the hiring. Employer-level
 * aggregates only: no other worker's data enters the check.
 */
export const NON_REPLACEMENT = defineCheck({
  check: 'NON_REPLACEMENT',
  paragraph: '05/012 §2.2 · ACS: art. 4 AGRBC 28.11.2002 · PTP: art. 3 AC 4.3.1997',
  title: { nl: 'Geen vervanging van reguliere banen', fr: 'Pas de remplacement d’emplois réguliers', en: 'No replacement of regular jobs' },
  texts: {
    missing: text<{ quarters: string }>({
      nl: (p) => `De DmfA bevat geen totalen van de werkgever voor ${list(p.quarters, 'nl')}.`,
      fr: (p) => `La DMFA ne contient pas d’agrégat de l’employeur pour ${list(p.quarters, 'fr')}.`,
      en: (p) => `DMFA holds no employer aggregate for ${list(p.quarters, 'en')}.`,
    }),
    kept: text<{ now: string; quarter: string; average: string; baseYear: number }>({
      nl: (p) =>
        `${formatFte(p.now, 'nl')} reguliere VTE in ${formatQuarter(p.quarter, 'nl')}, tegenover een gemiddelde van ${formatFte(p.average, 'nl')} in ${p.baseYear} (het jaar vóór de aanwerving): het niveau is behouden.`,
      fr: (p) =>
        `${formatFte(p.now, 'fr')} ETP réguliers au ${formatQuarter(p.quarter, 'fr')}, pour une moyenne de ${formatFte(p.average, 'fr')} en ${p.baseYear} (l’année avant l’engagement) : le niveau est maintenu.`,
      en: (p) =>
        `Regular FTE ${formatFte(p.now, 'en')} in ${formatQuarter(p.quarter, 'en')} against an average of ${formatFte(p.average, 'en')} over ${p.baseYear} (the year before the hiring): the level is kept.`,
    }),
    reduced: text<{ now: string; quarter: string; average: string; baseYear: number }>({
      nl: (p) =>
        `${formatFte(p.now, 'nl')} reguliere VTE in ${formatQuarter(p.quarter, 'nl')}, minder dan het gemiddelde van ${formatFte(p.average, 'nl')} in ${p.baseYear} (het jaar vóór de aanwerving): reguliere banen werden vervangen.`,
      fr: (p) =>
        `${formatFte(p.now, 'fr')} ETP réguliers au ${formatQuarter(p.quarter, 'fr')}, moins que la moyenne de ${formatFte(p.average, 'fr')} en ${p.baseYear} (l’année avant l’engagement) : des emplois réguliers ont été remplacés.`,
      en: (p) =>
        `Regular FTE ${formatFte(p.now, 'en')} in ${formatQuarter(p.quarter, 'en')}, below the average of ${formatFte(p.average, 'en')} over ${p.baseYear} (the year before the hiring): regular jobs were replaced.`,
    }),
  },
});

const list = (quarters: string, language: Language) =>
  quarters
    .split(',')
    .map((q) => formatQuarter(q, language))
    .join(', ');

export const nonReplacement = ({ request, aggregates, quarter, current }: CheckContext): StepResult => {
  const baseYear = Number(request.hiringDate.slice(0, 4)) - 1;
  const baseQuarters = [1, 2, 3, 4].map((q) => `${baseYear}-Q${q}`);
  const base = baseQuarters.map((q) => aggregates.find((a) => a.quarter === q));
  if (!current || base.some((b) => !b)) {
    const missing = [...(current ? [] : [quarter]), ...baseQuarters.filter((_, i) => !base[i])];
    return { findings: [NON_REPLACEMENT.finding('NOT_APPLICABLE', 'missing', { quarters: missing.join(',') })], incomplete: true };
  }
  const sum = base.reduce((s, b) => s + fteHundredths(b!.regularFte), 0);
  const now = fteHundredths(current.regularFte);
  const params = { now: fteText(now), quarter, average: fteText(mulDiv(sum, 1, 4)), baseYear };
  // now ≥ sum / 4, compared exactly as 4 × now ≥ sum.
  const kept = 4 * now >= sum;
  return { findings: [NON_REPLACEMENT.finding(kept ? 'PASS' : 'FAIL', kept ? 'kept' : 'reduced', params, { found: fteText(now) })] };
};
