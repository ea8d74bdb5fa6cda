import { inForce } from '../../effective-dated.js';
import { defineCheck, text } from '../findings.js';
import { ACS_CAPPED_REFERENCE_SALARY } from '../parameters.js';
import type { CheckContext, StepResult } from '../evaluate.js';

/**
 * SALARY_BASIS (C9): an ACS premium rests on the capped annual reference salary, or on the
 * joint-committee minimum wage with the listed extras when that is higher. No public figure of
 * the reference salary was found (PC-5): the check says so and the result is INCOMPLETE.
 */
export const SALARY_BASIS = defineCheck({
  check: 'SALARY_BASIS',
  paragraph: '05/012 §3.3 · art. 24 AGRBC 28.11.2002',
  title: { nl: 'Loonbasis van de premie', fr: 'Base salariale de la prime', en: 'Salary basis of the premium' },
  texts: {
    unknownReference: text({
      nl: 'Kan niet worden nagegaan: er is geen openbaar bedrag van de geplafonneerde jaarlijkse referentiewedde gevonden, en de minimumlonen van de paritaire comités staan evenmin in de parametertabel.',
      fr: 'Vérification impossible : aucun chiffre public du traitement de référence annuel plafonné n’a été trouvé, et les salaires minimums des commissions paritaires ne figurent pas non plus dans la table des paramètres.',
      en: 'Cannot be checked: no public figure for the capped annual reference salary was found; the joint-committee minimum wages are not in the parameter table either.',
    }),
    flatPremium: text({
      nl: 'De PTP-premie is een forfaitair gewestelijk bedrag, geen loonbasis.',
      fr: 'La prime PTP est un montant régional forfaitaire, pas une base salariale.',
      en: 'The PTP premium is a flat regional amount, not a salary basis.',
    }),
  },
});

export const salaryBasis = ({ request, firstDay }: CheckContext): StepResult => {
  if (request.scheme !== 'ACS') return { findings: [SALARY_BASIS.finding('NOT_APPLICABLE', 'flatPremium', {})] };
  const reference = inForce(ACS_CAPPED_REFERENCE_SALARY, firstDay, 'ACS reference salary');
  // With a figure in force there would be something to compare; until one is published there is not.
  if (reference.value !== null) return { findings: [] };
  return { findings: [SALARY_BASIS.finding('NOT_APPLICABLE', 'unknownReference', {})], incomplete: true };
};
