/**
 * Reason, regime and closure codes of the career-break lookup (24/012). ONEM publishes
 * no schema (docs/career-break.md A6.5): these codes are the project's decision
 * (docs/career-break.md CB-2), and the ONEM adapter's contract uses them.
 */
import { formatNumber } from '../i18n/formats.js';
export const REASONS = [
  'CHILD_UNDER_8',
  'DISABLED_CHILD_UNDER_21',
  'SERIOUSLY_ILL_MINOR_CHILD',
  'SERIOUSLY_ILL_RELATIVE',
  /** Time credit with the palliative-care motive (CCT 103 art. 4): the shared 51-month pool. */
  'PALLIATIVE_CARE_TIME_CREDIT',
  /** The thematic palliative leave (AR 2 Jan 1991): 3 months per patient, its own counter. */
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
  PALLIATIVE_CARE_TIME_CREDIT: {
    fr: 'Crédit-temps pour soins palliatifs',
    nl: 'Tijdskrediet voor palliatieve zorgen',
    de: 'Zeitkredit für Palliativpflege',
    en: 'Time credit for palliative care',
  },
  PALLIATIVE_CARE: {
    fr: 'Congé pour soins palliatifs',
    nl: 'Verlof voor palliatieve zorgen',
    de: 'Urlaub für Palliativpflege',
    en: 'Palliative care leave',
  },
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

// ---- the what-if (what-if.ts) ----------------------------------------------------------

/** Why a planned break does not fit. */
export const PLAN_REFUSALS = [
  'PRECONDITIONS_NOT_MET',
  'STARTS_BEFORE_TODAY',
  'NOT_IN_YOUR_POSSIBILITIES',
  'REASON_CLOSED',
  'NOT_ENOUGH_MONTHS',
  'PERIOD_TOO_SHORT',
  'NOT_IN_BLOCKS',
] as const;
export type PlanRefusal = (typeof PLAN_REFUSALS)[number];

/** What the what-if cannot check from ONEM's answer, or what the plan needs besides the months. */
export const PLAN_CAVEATS = ['CHILD_AGE_NOT_KNOWN', 'COUNTED_PER_PERSON', 'SECTOR_AGREEMENT_NEEDED', 'EMPLOYER_AGREEMENT_NEEDED', 'ASKED_IN_PERIODS'] as const;
export type PlanCaveat = (typeof PLAN_CAVEATS)[number];

/** Labels with the figure they quote (`n`: months; `d`: a date). */
type Template = (figures: { n?: number; d?: string }) => string;

/** A number of months as the language writes it: "2,5 mois", "1 maand", "12 Monate". */
export const monthsText = (n: number | undefined, language: Language): string => {
  // Down to the hundredth, as the counters: never more than is left.
  const value = Math.floor((n ?? 0) * 100 + 1e-9) / 100;
  // Written out (shared/domain/i18n/formats.ts), not Intl: a first NumberFormat costs a cold start 2–3 ms.
  const number = formatNumber(value, language);
  const one = value === 1;
  const word = { fr: 'mois', nl: one ? 'maand' : 'maanden', de: one ? 'Monat' : 'Monate', en: one ? 'month' : 'months' }[language];
  return `${number} ${word}`;
};

export const PLAN_REFUSAL_LABELS: Record<PlanRefusal, Record<Language, Template>> = {
  PRECONDITIONS_NOT_MET: {
    fr: () => 'Vos possibilités ne peuvent pas être consultées : une condition préalable n’est pas remplie',
    nl: () => 'Uw mogelijkheden kunnen niet worden geraadpleegd: aan een voorwaarde is niet voldaan',
    de: () => 'Ihre Möglichkeiten können nicht eingesehen werden: Eine Vorbedingung ist nicht erfüllt',
    en: () => 'Your possibilities cannot be shown: a precondition is not met',
  },
  STARTS_BEFORE_TODAY: {
    fr: ({ d }) => `Le plan commence avant aujourd’hui (${d}) : choisissez une date à venir`,
    nl: ({ d }) => `Het plan begint vóór vandaag (${d}): kies een datum in de toekomst`,
    de: ({ d }) => `Der Plan beginnt vor heute (${d}): Wählen Sie ein künftiges Datum`,
    en: ({ d }) => `The plan starts before today (${d}): choose a date to come`,
  },
  NOT_IN_YOUR_POSSIBILITIES: {
    fr: () => 'Ce motif n’est pas proposé dans ce régime parmi vos possibilités',
    nl: () => 'Deze reden wordt in dit stelsel niet aangeboden bij uw mogelijkheden',
    de: () => 'Dieser Grund wird in dieser Regelung unter Ihren Möglichkeiten nicht angeboten',
    en: () => 'This reason is not offered in this regime among your possibilities',
  },
  REASON_CLOSED: {
    fr: () => 'Ce motif est fermé pour vous aujourd’hui',
    nl: () => 'Deze reden is vandaag voor u gesloten',
    de: () => 'Dieser Grund ist für Sie heute geschlossen',
    en: () => 'This reason is closed to you today',
  },
  NOT_ENOUGH_MONTHS: {
    fr: ({ n }) => `Il vous reste ${monthsText(n, 'fr')} dans ce régime`,
    nl: ({ n }) => `U hebt in dit stelsel nog ${monthsText(n, 'nl')}`,
    de: ({ n }) => `Ihnen ${monthsText(n, 'de').startsWith('1 ') ? 'bleibt' : 'bleiben'} in dieser Regelung ${monthsText(n, 'de')}`,
    en: ({ n }) => `You have ${monthsText(n, 'en')} left in this regime`,
  },
  PERIOD_TOO_SHORT: {
    fr: ({ n }) => `Une demande porte sur au moins ${monthsText(n, 'fr')} dans ce régime (sauf pour un solde plus court)`,
    nl: ({ n }) => `Een aanvraag geldt voor minstens ${monthsText(n, 'nl')} in dit stelsel (behalve voor een korter saldo)`,
    de: ({ n }) => `Ein Antrag gilt für mindestens ${monthsText(n, 'de')} in dieser Regelung (außer für einen kürzeren Restbetrag)`,
    en: ({ n }) => `A request covers at least ${monthsText(n, 'en')} in this regime (unless less is left)`,
  },
  NOT_IN_BLOCKS: {
    fr: ({ n }) => `Dans ce régime, ce congé se prend par périodes de ${monthsText(n, 'fr')} ou un multiple (sauf pour un solde plus court)`,
    nl: ({ n }) => `In dit stelsel wordt dit verlof opgenomen per periode van ${monthsText(n, 'nl')} of een veelvoud (behalve voor een korter saldo)`,
    de: ({ n }) =>
      `In dieser Regelung wird dieser Urlaub in Zeiträumen von ${monthsText(n, 'de')} oder einem Vielfachen genommen (außer für einen kürzeren Restbetrag)`,
    en: ({ n }) => `In this regime this leave is taken in periods of ${monthsText(n, 'en')} or a multiple (unless less is left)`,
  },
};

export const PLAN_CAVEAT_LABELS: Record<PlanCaveat, Record<Language, Template>> = {
  CHILD_AGE_NOT_KNOWN: {
    fr: ({ d }) => `ONEM ne transmet pas la date de naissance de vos enfants : vérifiez que votre enfant a encore l’âge requis le ${d}`,
    nl: ({ d }) => `De RVA geeft de geboortedatum van uw kinderen niet door: controleer dat uw kind op ${d} nog de vereiste leeftijd heeft`,
    de: ({ d }) => `Das LfA übermittelt das Geburtsdatum Ihrer Kinder nicht: Prüfen Sie, ob Ihr Kind am ${d} noch das erforderliche Alter hat`,
    en: ({ d }) => `ONEM does not send your children’s dates of birth: check that your child is still within the age limit on ${d}`,
  },
  COUNTED_PER_PERSON: {
    fr: () => 'Ce droit se compte par enfant, patient ou personne aidée ; le compteur d’ONEM les additionne',
    nl: () => 'Dit recht wordt per kind, patiënt of geholpen persoon geteld; de teller van de RVA telt ze op',
    de: () => 'Dieses Recht wird je Kind, Patient oder betreuter Person gezählt; der Zähler des LfA addiert sie',
    en: () => 'This right is counted per child, patient or person cared for; ONEM’s counter adds them up',
  },
  SECTOR_AGREEMENT_NEEDED: {
    fr: () => 'À temps plein ou à mi-temps, il faut une convention sectorielle ou d’entreprise (crédit-temps), qui peut prévoir un maximum plus bas',
    nl: () => 'Voltijds of halftijds is een sector- of ondernemingscao nodig (tijdskrediet), die een lager maximum kan bepalen',
    de: () => 'In Vollzeit oder Halbzeit ist ein Sektor- oder Unternehmensabkommen nötig (Zeitkredit), das ein niedrigeres Maximum vorsehen kann',
    en: () => 'Full or half time needs a sector or company agreement (time credit), which may set a lower maximum',
  },
  EMPLOYER_AGREEMENT_NEEDED: {
    fr: () => 'Un dixième demande l’accord de votre employeur',
    nl: () => 'Een tiende vereist het akkoord van uw werkgever',
    de: () => 'Ein Zehntel erfordert die Zustimmung Ihres Arbeitgebers',
    en: () => 'One tenth needs your employer’s agreement',
  },
  ASKED_IN_PERIODS: {
    fr: ({ n }) => `Une demande porte sur ${monthsText(n, 'fr')} au plus : ce plan se demande en plusieurs périodes`,
    nl: ({ n }) => `Een aanvraag geldt voor hoogstens ${monthsText(n, 'nl')}: dit plan wordt in meerdere periodes aangevraagd`,
    de: ({ n }) => `Ein Antrag gilt für höchstens ${monthsText(n, 'de')}: Dieser Plan wird in mehreren Zeiträumen beantragt`,
    en: ({ n }) => `A request covers at most ${monthsText(n, 'en')}: this plan is asked for in several periods`,
  },
};
