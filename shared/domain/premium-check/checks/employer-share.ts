import { formatCents } from '../../amounts.js';
import { rowInForce } from '../../effective-dated.js';
import { formatEuro, formatNumber } from '../../i18n/formats.js';
import { mulDiv } from '../arithmetic.js';
import { defineCheck, text } from '../findings.js';
import { ACS_EMPLOYER_SHARE_BASIS_POINTS } from '../parameters.js';
import type { CheckContext, StepResult } from '../evaluate.js';

/**
 * EMPLOYER_SHARE (C8, PC-4): the employer bears 5 % of an ACS premium unless an exemption is on
 * record. PTP has no employer share in its sources: the whole premium is the region's.
 */
export const EMPLOYER_SHARE = defineCheck({
  check: 'EMPLOYER_SHARE',
  paragraph: '05/012 §3.1 · ACS: art. 21 §2, 26 AGRBC 28.11.2002',
  title: { nl: 'Aandeel van de werkgever', fr: 'Part de l’employeur', en: 'Employer share' },
  texts: {
    ptpNone: text({
      nl: 'Een PTP-premie heeft geen werkgeversaandeel: het aandeel van 5 % is een ACS-regel (05/012 §3.1).',
      fr: 'Une prime PTP ne comporte pas de part de l’employeur : la part de 5 % est une règle ACS (05/012 §3.1).',
      en: 'PTP premiums carry no employer share: the 5 % share is an ACS rule (05/012 §3.1).',
    }),
    exemptionNotOnRecord: text({
      nl: 'Er wordt een vrijstelling van het werkgeversaandeel gevraagd, maar er is er geen geregistreerd.',
      fr: 'Une dispense de la part de l’employeur est invoquée, mais aucune n’est enregistrée.',
      en: 'An exemption from the employer share is claimed but none is on record.',
    }),
    exempt: text({
      nl: 'Er is een vrijstelling geregistreerd: de werkgever draagt geen aandeel.',
      fr: 'Une dispense est enregistrée : l’employeur ne supporte aucune part.',
      en: 'An exemption is on record: the employer bears no share.',
    }),
    share: text<{ percent: number; amount: string }>({
      nl: (p) => `${formatNumber(p.percent, 'nl')} % van de premie draagt de werkgever: ${formatEuro(p.amount, 'nl')}.`,
      fr: (p) => `${formatNumber(p.percent, 'fr')} % de la prime est à la charge de l’employeur : ${formatEuro(p.amount, 'fr')}.`,
      en: (p) => `${formatNumber(p.percent, 'en')} % of the premium is borne by the employer: ${formatEuro(p.amount, 'en')}.`,
    }),
    shareOfUnknownPremium: text<{ percent: number }>({
      nl: (p) => `${formatNumber(p.percent, 'nl')} % van de premie draagt de werkgever; de premie zelf kon niet worden berekend.`,
      fr: (p) => `${formatNumber(p.percent, 'fr')} % de la prime est à la charge de l’employeur ; la prime elle-même n’a pas pu être calculée.`,
      en: (p) => `${formatNumber(p.percent, 'en')} % of the premium is borne by the employer; the premium itself could not be computed.`,
    }),
  },
});

export const employerShare = ({ request, firstDay, current }: CheckContext, dueCents: number | null): StepResult & { shareCents: number | null } => {
  if (request.scheme === 'PTP') return { findings: [EMPLOYER_SHARE.finding('NOT_APPLICABLE', 'ptpNone', {})], shareCents: null };
  const exemption = current?.exemption === true;
  const basisPoints = rowInForce(ACS_EMPLOYER_SHARE_BASIS_POINTS, firstDay, 'employer share').value;
  const shareCents = dueCents === null ? null : exemption ? 0 : mulDiv(dueCents, basisPoints, 10_000);
  if (request.declared.exemptionClaimed && !exemption)
    return { findings: [EMPLOYER_SHARE.finding('FAIL', 'exemptionNotOnRecord', {}, { declared: true, found: false })], shareCents };
  const outcome = dueCents === null ? 'NOT_APPLICABLE' : 'PASS';
  const percent = basisPoints / 100;
  const finding = exemption
    ? EMPLOYER_SHARE.finding(outcome, 'exempt', {}, { found: true })
    : shareCents === null
      ? EMPLOYER_SHARE.finding(outcome, 'shareOfUnknownPremium', { percent }, { found: false })
      : EMPLOYER_SHARE.finding(outcome, 'share', { percent, amount: formatCents(shareCents) }, { found: false });
  return { findings: [finding], shareCents };
};
