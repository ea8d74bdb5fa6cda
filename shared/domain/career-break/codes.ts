/**
 * Reason, regime and closure codes of the career-break lookup (24/012). ONEM publishes
 * no schema (docs/career-break.md A6.5): these codes are the project's decision
 * (docs/career-break.md CB-2), and the ONEM adapter's contract uses them.
 */
export const REASONS = [
  'CHILD_UNDER_8',
  'DISABLED_CHILD_UNDER_21',
  'SERIOUSLY_ILL_MINOR_CHILD',
  'SERIOUSLY_ILL_RELATIVE',
  'PALLIATIVE_CARE',
  'TRAINING',
  'PARENTAL_LEAVE',
  'MEDICAL_ASSISTANCE',
  'INFORMAL_CARER',
  'OTHER',
] as const;
export type Reason = (typeof REASONS)[number];

/** One tenth exists only for parental leave (A.2). */
export const REGIMES = ['FULL_TIME', 'HALF_TIME', 'ONE_FIFTH', 'ONE_TENTH'] as const;
export type Regime = (typeof REGIMES)[number];

export const CLOSURES = ['POOL_EXHAUSTED', 'CHILD_TOO_OLD', 'NO_ELIGIBLE_CHILD', 'SENIORITY_NOT_MET', 'NOT_AVAILABLE_IN_SECTOR'] as const;
export type Closure = (typeof CLOSURES)[number];

export const PRECONDITIONS = ['UNDER_18', 'NO_PUBLIC_OR_PRIVATE_SECTOR_CAREER'] as const;
export type Precondition = (typeof PRECONDITIONS)[number];

export const LANGUAGES = ['fr', 'nl', 'de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

type Labels<K extends string> = Record<K, Record<Language, string>>;

export const REASON_LABELS: Labels<Reason> = {
  CHILD_UNDER_8: {
    fr: 'Soins à votre enfant de moins de 8 ans',
    nl: 'Zorg voor uw kind jonger dan 8 jaar',
    de: 'Betreuung Ihres Kindes unter 8 Jahren',
    en: 'Care for your child under 8',
  },
  DISABLED_CHILD_UNDER_21: {
    fr: 'Soins à votre enfant handicapé de moins de 21 ans',
    nl: 'Zorg voor uw kind met een handicap jonger dan 21 jaar',
    de: 'Betreuung Ihres behinderten Kindes unter 21 Jahren',
    en: 'Care for your disabled child under 21',
  },
  SERIOUSLY_ILL_MINOR_CHILD: {
    fr: 'Assistance à votre enfant mineur gravement malade',
    nl: 'Bijstand aan uw zwaar ziek minderjarig kind',
    de: 'Beistand für Ihr schwer krankes minderjähriges Kind',
    en: 'Assistance to your seriously ill minor child',
  },
  SERIOUSLY_ILL_RELATIVE: {
    fr: 'Assistance à un membre du ménage ou de la famille gravement malade',
    nl: 'Bijstand aan een zwaar ziek gezins- of familielid',
    de: 'Beistand für ein schwer krankes Haushalts- oder Familienmitglied',
    en: 'Assistance to a seriously ill household or family member',
  },
  PALLIATIVE_CARE: { fr: 'Soins palliatifs', nl: 'Palliatieve zorgen', de: 'Palliativpflege', en: 'Palliative care' },
  TRAINING: { fr: 'Formation', nl: 'Opleiding', de: 'Ausbildung', en: 'Training' },
  PARENTAL_LEAVE: { fr: 'Congé parental', nl: 'Ouderschapsverlof', de: 'Elternurlaub', en: 'Parental leave' },
  MEDICAL_ASSISTANCE: { fr: 'Assistance médicale', nl: 'Medische bijstand', de: 'Medizinischer Beistand', en: 'Medical assistance' },
  INFORMAL_CARER: { fr: 'Aidant proche', nl: 'Mantelzorg', de: 'Pflegende Angehörige', en: 'Informal carer' },
  OTHER: {
    fr: 'Autre raison (interruption de carrière ordinaire)',
    nl: 'Andere reden (gewone loopbaanonderbreking)',
    de: 'Anderer Grund (gewöhnliche Laufbahnunterbrechung)',
    en: 'Other reason (ordinary career break)',
  },
};

export const CLOSURE_LABELS: Labels<Closure> = {
  POOL_EXHAUSTED: {
    fr: 'Vous avez épuisé le maximum autorisé',
    nl: 'U hebt het toegelaten maximum opgebruikt',
    de: 'Sie haben das zulässige Maximum ausgeschöpft',
    en: 'You have used up the maximum allowed',
  },
  CHILD_TOO_OLD: {
    fr: 'Votre enfant a dépassé la limite d’âge',
    nl: 'Uw kind heeft de leeftijdsgrens overschreden',
    de: 'Ihr Kind hat die Altersgrenze überschritten',
    en: 'Your child is above the age limit',
  },
  NO_ELIGIBLE_CHILD: {
    fr: 'Aucun enfant ne remplit les conditions',
    nl: 'Geen enkel kind voldoet aan de voorwaarden',
    de: 'Kein Kind erfüllt die Bedingungen',
    en: 'No child meets the conditions',
  },
  SENIORITY_NOT_MET: {
    fr: 'Condition d’ancienneté chez l’employeur non remplie',
    nl: 'Anciënniteitsvoorwaarde bij de werkgever niet vervuld',
    de: 'Dienstalterbedingung beim Arbeitgeber nicht erfüllt',
    en: 'Seniority with the employer not reached',
  },
  NOT_AVAILABLE_IN_SECTOR: {
    fr: 'Non disponible dans votre secteur',
    nl: 'Niet beschikbaar in uw sector',
    de: 'In Ihrem Sektor nicht verfügbar',
    en: 'Not available in your sector',
  },
};
