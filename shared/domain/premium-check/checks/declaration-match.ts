import { formatCents, toCents } from '../../amounts.js';
import { formatEuro, formatMonth } from '../../i18n/formats.js';
import type { Language } from '../../i18n/language.js';
import { fteHundredths, fteText } from '../arithmetic.js';
import { defineCheck, type Figure, type Finding, formatFte, formatQuarter, text } from '../findings.js';
import type { CheckContext, StepResult } from '../evaluate.js';

/** DECLARATION_MATCH (C12): each figure the employer declares against DMFA, one finding per mismatch. */
const FIELDS = ['daysWorked', 'assimilatedDays', 'grossSalary', 'regularStaffFte'] as const;
type Field = (typeof FIELDS)[number];

const FIELD_NAMES: Record<Field, Record<Exclude<Language, 'de'>, string>> = {
  daysWorked: { nl: 'Gewerkte dagen', fr: 'Jours prestés', en: 'Days worked' },
  assimilatedDays: { nl: 'Gelijkgestelde dagen', fr: 'Jours assimilés', en: 'Assimilated days' },
  grossSalary: { nl: 'Brutoloon', fr: 'Salaire brut', en: 'Gross salary' },
  regularStaffFte: { nl: 'Regulier personeel (VTE)', fr: 'Personnel régulier (ETP)', en: 'Regular staff (FTE)' },
};

const value = (field: string, figure: Figure, language: Exclude<Language, 'de'>): string =>
  field === 'grossSalary' ? formatEuro(String(figure), language) : field === 'regularStaffFte' ? formatFte(String(figure), language) : String(figure);
const name = (field: string, language: Exclude<Language, 'de'>) => FIELD_NAMES[field as Field]?.[language] ?? field;

export const DECLARATION_MATCH = defineCheck({
  check: 'DECLARATION_MATCH',
  paragraph: '05/012 §3.4',
  title: { nl: 'Aangifte van de werkgever en DmfA', fr: 'Déclaration de l’employeur et DMFA', en: 'Employer’s declaration and DMFA' },
  texts: {
    noOccupation: text<{ month: string }>({
      nl: (p) => `De werkgever heeft voor ${formatMonth(p.month, 'nl')} geen tewerkstelling van deze werknemer in de DmfA aangegeven.`,
      fr: (p) => `L’employeur n’a déclaré dans la DMFA aucune occupation de ce travailleur pour ${formatMonth(p.month, 'fr')}.`,
      en: (p) => `The employer declared no occupation of this worker in DMFA for ${formatMonth(p.month, 'en')}.`,
    }),
    differs: text<{ field: string; declared: Figure; found: Figure }>({
      nl: (p) => `${name(p.field, 'nl')}: de werkgever gaf ${value(p.field, p.declared, 'nl')} aan, de DmfA vermeldt ${value(p.field, p.found, 'nl')}.`,
      fr: (p) => `${name(p.field, 'fr')} : l’employeur a déclaré ${value(p.field, p.declared, 'fr')}, la DMFA indique ${value(p.field, p.found, 'fr')}.`,
      en: (p) => `${name(p.field, 'en')}: the employer declared ${value(p.field, p.declared, 'en')}, DMFA shows ${value(p.field, p.found, 'en')}.`,
    }),
    matches: text<{ quarter: string }>({
      nl: (p) => `Elk aangegeven cijfer stemt overeen met de DmfA van ${formatQuarter(p.quarter, 'nl')}.`,
      fr: (p) => `Chaque chiffre déclaré correspond à la DMFA du ${formatQuarter(p.quarter, 'fr')}.`,
      en: (p) => `Every declared figure matches DMFA for ${formatQuarter(p.quarter, 'en')}.`,
    }),
  },
});

export const noDeclaration = ({ request }: CheckContext): StepResult => ({
  findings: [DECLARATION_MATCH.finding('FAIL', 'noOccupation', { month: request.month })],
});

export const declarationMatch = ({ request, quarter, current }: CheckContext, occupation: NonNullable<CheckContext['occupation']>): StepResult => {
  const findings: Finding[] = [];
  const compare = (field: Field, declared: string | number, found: string | number) => {
    if (declared !== found) findings.push(DECLARATION_MATCH.finding('FAIL', 'differs', { field, declared, found }, { declared, found }));
  };
  compare('daysWorked', request.declared.daysWorked, occupation.daysWorked);
  compare('assimilatedDays', request.declared.assimilatedDays, occupation.assimilatedDays);
  compare('grossSalary', formatCents(toCents(request.declared.grossSalary)), formatCents(toCents(occupation.grossSalary)));
  if (current) compare('regularStaffFte', fteText(fteHundredths(request.declared.regularStaffFte)), fteText(fteHundredths(current.regularFte)));
  if (findings.length === 0) findings.push(DECLARATION_MATCH.finding('PASS', 'matches', { quarter }));
  return { findings };
};
