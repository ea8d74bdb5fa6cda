import type { components, paths } from '../../shared/client/client.js';
import {
  amountText,
  apiClient,
  applyWords,
  byId,
  chosenLanguage,
  formatNumber,
  h,
  header,
  languageSwitch,
  problemText,
  requireSession,
  show,
} from './common.js';
import { type Explained, explained, outcomeWord, REASON_WORDS, titled } from './reasons.js';

/**
 * Actiris's premium check (deliberation 05/012): the ACS or PTP premium an employer declares
 * for a month, sent to `POST /v1/premium-checks`, and what the check found against DMFA —
 * the outcome, the premium due and who pays it, and one finding per check with its title,
 * code, sentence and paragraph (written by the API in the language asked), and the figure
 * declared beside the one found. In French by default, Dutch or English.
 */
type Answer = components['schemas']['checkPremium.actiris'];
type Body = NonNullable<paths['/v1/premium-checks']['post']['requestBody']>['content']['application/json'];
/** A finding as the page reads it: its title and paragraph when the API gives them. */
type Finding = Answer['findings'][number] & Explained;
type FieldError = { path: string; message: string };

const LANGUAGES = ['fr', 'nl', 'en'] as const;
type PageLanguage = (typeof LANGUAGES)[number];

const WORDS = {
  fr: {
    pageTitle: 'Contrôle des primes ACS / PTP — Actiris',
    brand: 'Actiris — contrôle des primes ACS / PTP',
    title: 'Contrôler une prime ACS ou PTP',
    intro:
      'La prime déclarée par l’employeur pour un mois, comparée à ses déclarations DMFA (délibération 05/012). Seulement pour une personne inscrite chez Actiris.',
    language: 'Langue',
    signOut: 'Se déconnecter',
    role: 'Organisation',
    request: 'La demande',
    scheme: 'Régime de prime',
    ACS: 'ACS (agent contractuel subventionné)',
    PTP: 'PTP (programme de transition professionnelle)',
    employer: 'Numéro d’entreprise de l’employeur',
    workerNiss: 'NISS du travailleur',
    hiringDate: 'Date d’engagement',
    month: 'Mois contrôlé',
    declared: 'Ce que l’employeur déclare pour le mois',
    daysWorked: 'Jours prestés',
    assimilatedDays: 'Jours assimilés',
    grossSalary: 'Salaire brut (€)',
    regularStaffFte: 'Personnel régulier (ETP)',
    grantedMonthlyPremium: 'Prime mensuelle de la décision d’octroi (€)',
    exemptionClaimed: 'L’employeur demande la dispense de la part patronale',
    amountClaimed: 'Montant demandé pour le mois (€)',
    submit: 'Contrôler la prime',
    checking: 'Contrôle en cours…',
    failed: 'La prime n’a pas pu être contrôlée.',
    resultTitle: 'Résultat du contrôle',
    outcome: 'Résultat',
    CONFORM: 'Conforme',
    NON_CONFORM: 'Non conforme',
    INCOMPLETE: 'Incomplet : un contrôle n’a pas pu être fait',
    due: 'Prime due',
    employerShare: 'Part patronale',
    paidByRegion: 'Payé par la Région',
    findingsCaption: 'Constatations : chaque contrôle, avec son explication',
    check: 'Contrôle',
    explanation: 'Explication',
    declaredValue: 'Déclaré',
    foundValue: 'Dans la DMFA',
    yes: 'oui',
    no: 'non',
    checkId: 'Numéro du contrôle',
  },
  nl: {
    pageTitle: 'Controle van de GECO- en DSP-premies — Actiris',
    brand: 'Actiris — controle van de GECO- en DSP-premies',
    title: 'Een GECO- of DSP-premie controleren',
    intro:
      'De premie die de werkgever voor een maand aangeeft, vergeleken met zijn DmfA-aangiften (beraadslaging 05/012). Enkel voor een persoon ingeschreven bij Actiris.',
    language: 'Taal',
    signOut: 'Afmelden',
    role: 'Organisatie',
    request: 'De aanvraag',
    scheme: 'Premiestelsel',
    ACS: 'GECO (gesubsidieerde contractueel, ACS)',
    PTP: 'DSP (doorstromingsprogramma, PTP)',
    employer: 'Ondernemingsnummer van de werkgever',
    workerNiss: 'INSZ van de werknemer',
    hiringDate: 'Datum van indienstneming',
    month: 'Gecontroleerde maand',
    declared: 'Wat de werkgever voor de maand aangeeft',
    daysWorked: 'Gewerkte dagen',
    assimilatedDays: 'Gelijkgestelde dagen',
    grossSalary: 'Brutoloon (€)',
    regularStaffFte: 'Regulier personeel (VTE)',
    grantedMonthlyPremium: 'Maandpremie van de toekenningsbeslissing (€)',
    exemptionClaimed: 'De werkgever vraagt vrijstelling van het werkgeversaandeel',
    amountClaimed: 'Gevraagd bedrag voor de maand (€)',
    submit: 'De premie controleren',
    checking: 'Bezig met controleren…',
    failed: 'De premie kon niet worden gecontroleerd.',
    resultTitle: 'Resultaat van de controle',
    outcome: 'Resultaat',
    CONFORM: 'Conform',
    NON_CONFORM: 'Niet conform',
    INCOMPLETE: 'Onvolledig: een controle kon niet worden uitgevoerd',
    due: 'Verschuldigde premie',
    employerShare: 'Werkgeversaandeel',
    paidByRegion: 'Betaald door het Gewest',
    findingsCaption: 'Vaststellingen: elke controle, met haar toelichting',
    check: 'Controle',
    explanation: 'Toelichting',
    declaredValue: 'Aangegeven',
    foundValue: 'In de DmfA',
    yes: 'ja',
    no: 'nee',
    checkId: 'Nummer van de controle',
  },
  en: {
    pageTitle: 'ACS / PTP premium check — Actiris',
    brand: 'Actiris — ACS / PTP premium check',
    title: 'Check an ACS or PTP premium',
    intro:
      'The premium an employer declares for a month, compared with its DMFA declarations (deliberation 05/012). Only for a person registered with Actiris.',
    language: 'Language',
    signOut: 'Sign out',
    role: 'Organisation',
    request: 'The request',
    scheme: 'Premium scheme',
    ACS: 'ACS (subsidised contract staff)',
    PTP: 'PTP (professional transition programme)',
    employer: 'Employer’s enterprise number',
    workerNiss: 'Worker’s NISS',
    hiringDate: 'Hiring date',
    month: 'Month checked',
    declared: 'What the employer declares for the month',
    daysWorked: 'Days worked',
    assimilatedDays: 'Assimilated days',
    grossSalary: 'Gross salary (€)',
    regularStaffFte: 'Regular staff (FTE)',
    grantedMonthlyPremium: 'Monthly premium of the grant decision (€)',
    exemptionClaimed: 'The employer claims the exemption from the employer share',
    amountClaimed: 'Amount claimed for the month (€)',
    submit: 'Check the premium',
    checking: 'Checking…',
    failed: 'The premium could not be checked.',
    resultTitle: 'Result of the check',
    outcome: 'Result',
    CONFORM: 'Conform',
    NON_CONFORM: 'Not conform',
    INCOMPLETE: 'Incomplete: a check could not be made',
    due: 'Premium due',
    employerShare: 'Employer share',
    paidByRegion: 'Paid by the Region',
    findingsCaption: 'Findings: each check, with its explanation',
    check: 'Check',
    explanation: 'Explanation',
    declaredValue: 'Declared',
    foundValue: 'In DMFA',
    yes: 'yes',
    no: 'no',
    checkId: 'Check number',
  },
} satisfies Record<PageLanguage, Record<string, string>>;
type Words = (typeof WORDS)[PageLanguage];

const current = await requireSession('actiris');
let language: PageLanguage = chosenLanguage(LANGUAGES);
let w: Words = WORDS[language];
/** The last answer, shown again in a newly chosen language. */
let lastAnswer: Answer | undefined;

const form = byId<HTMLFormElement>('check');
const input = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
const text = (name: string) => input(name).value.trim();
/** "2.500,00", "2 500,00" or "2500.00" → "2500.00", as the API takes amounts and FTE. */
const decimal = (name: string) => {
  const raw = text(name).replace(/[\s\u00a0\u202f]/g, '');
  return raw.includes(',') ? raw.replaceAll('.', '').replace(',', '.') : raw;
};
const whole = (name: string) => (text(name) === '' ? Number.NaN : Number(text(name)));

/** The scheme's own fields only: ACS the grant's premium and the exemption, PTP the amount claimed. */
const showSchemeFields = () => {
  const scheme = (form.elements.namedItem('scheme') as HTMLSelectElement).value;
  for (const field of form.querySelectorAll<HTMLElement>('[data-scheme]')) field.hidden = field.dataset.scheme !== scheme;
};

const body = (): Body => {
  const common = {
    employerEnterpriseNumber: text('employerEnterpriseNumber'),
    workerNiss: text('workerNiss'),
    hiringDate: text('hiringDate'),
    month: text('month'),
  };
  const declared = {
    daysWorked: whole('declared.daysWorked'),
    assimilatedDays: whole('declared.assimilatedDays'),
    grossSalary: decimal('declared.grossSalary'),
    regularStaffFte: decimal('declared.regularStaffFte'),
  };
  return (form.elements.namedItem('scheme') as HTMLSelectElement).value === 'PTP'
    ? { scheme: 'PTP', ...common, declared: { ...declared, amountClaimed: decimal('declared.amountClaimed') } }
    : {
        scheme: 'ACS',
        ...common,
        declared: {
          ...declared,
          grantedMonthlyPremium: decimal('declared.grantedMonthlyPremium'),
          exemptionClaimed: input('declared.exemptionClaimed').checked,
        },
      };
};

const clearErrors = () => {
  for (const element of form.querySelectorAll('.field-error')) element.textContent = '';
  for (const element of form.querySelectorAll('[aria-invalid]')) element.removeAttribute('aria-invalid');
  show(byId('form-error'));
};

/** Each refused field's message next to it (`body.declared.grossSalary` → the gross salary field). */
const showFieldErrors = (errors: FieldError[]) => {
  const unplaced: string[] = [];
  for (const { path, message } of errors) {
    const field = path.replace(/^body\./, '');
    const slot = document.getElementById(`error-${field}`);
    if (!slot) {
      unplaced.push(`${field}: ${message}`);
      continue;
    }
    slot.textContent = message;
    document.getElementById(field)?.setAttribute('aria-invalid', 'true');
  }
  if (unplaced.length > 0) show(byId('form-error'), h('p', { role: 'alert', class: 'error' }, unplaced.join('; ')));
};

/** A figure declared or found, in the page's formats: "2500.00" → "2 500,00", true → "oui". */
const figure = (value: Finding['declared']): string => {
  if (value === undefined) return '—';
  if (typeof value === 'boolean') return value ? w.yes : w.no;
  if (typeof value === 'number') return formatNumber(value, language);
  const decimalNumber = /^(-?\d+)\.(\d+)$/.exec(value);
  if (decimalNumber) return `${formatNumber(Number(decimalNumber[1]), language)}${language === 'en' ? '.' : ','}${decimalNumber[2]}`;
  return value;
};

const renderResult = (answer: Answer) => {
  const findings = answer.findings as Finding[];
  const withFigures = findings.some((f) => f.declared !== undefined || f.found !== undefined);
  const rw = REASON_WORDS[language];
  return h(
    'section',
    { 'aria-labelledby': 'result-title', 'data-outcome': answer.outcome },
    h('h2', { id: 'result-title' }, w.resultTitle),
    h('p', { id: 'check-outcome', class: `verdict ${answer.outcome.toLowerCase()}`, 'data-outcome': answer.outcome }, w[answer.outcome] ?? answer.outcome),
    h(
      'dl',
      { id: 'premium' },
      h('dt', {}, w.due),
      h('dd', { id: 'premium-due' }, amountText(answer.premium.due, language)),
      h('dt', {}, w.employerShare),
      h('dd', { id: 'premium-employer-share' }, amountText(answer.premium.employerShare, language)),
      h('dt', {}, w.paidByRegion),
      h('dd', { id: 'premium-paid-by-region' }, amountText(answer.premium.paidByRegion, language)),
      h('dt', {}, w.checkId),
      h('dd', {}, h('code', {}, answer.checkId)),
    ),
    h(
      'table',
      { id: 'findings', class: 'reasons-table' },
      h('caption', {}, w.findingsCaption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...[w.check, w.outcome, w.explanation].map((t) => h('th', { scope: 'col' }, t)),
          ...(withFigures ? [w.declaredValue, w.foundValue].map((t) => h('th', { scope: 'col', class: 'number' }, t)) : []),
        ),
      ),
      h(
        'tbody',
        {},
        ...findings.map((f) =>
          h(
            'tr',
            {
              class: { PASS: 'passed', FAIL: 'failed', NOT_APPLICABLE: 'not-applicable', NOT_DUE_YET: 'not-applicable' }[f.outcome],
              'data-check': f.check,
              'data-outcome': f.outcome,
            },
            h('th', { scope: 'row' }, titled(f, f.check)),
            h('td', { class: 'outcome' }, outcomeWord(f.outcome, language)),
            h('td', {}, ...explained(f, rw)),
            ...(withFigures ? [h('td', { class: 'number' }, figure(f.declared)), h('td', { class: 'number' }, figure(f.found))] : []),
          ),
        ),
      ),
    ),
  );
};

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors();
  const result = byId('result');
  show(result, h('p', { role: 'status' }, w.checking));
  let answer: Awaited<ReturnType<ReturnType<typeof apiClient>['POST']>> | undefined;
  try {
    answer = await apiClient(current.token, language).POST('/v1/premium-checks', { body: body() });
  } catch {
    answer = undefined;
  }
  const data = answer?.data as Answer | undefined;
  if (!data) {
    show(result);
    lastAnswer = undefined;
    const problem = answer?.error as { errors?: FieldError[] } | undefined;
    if (problem?.errors?.length) showFieldErrors(problem.errors);
    else show(byId('form-error'), h('p', { role: 'alert', class: 'error' }, problemText(answer?.error as never, w.failed, language)));
    return;
  }
  lastAnswer = data;
  show(result, renderResult(data));
  byId('result-title').scrollIntoView({ block: 'start' });
});

/** The page in `language`; a result shown stays, in the page's new words (its findings' sentences are the API's, in the language they were asked in). */
const render = () => {
  w = WORDS[language];
  applyWords(w as unknown as Record<string, string>, language);
  document.title = w.pageTitle;
  relabel(w.language, language);
  header(byId('session'), current, w.signOut, w.role);
  if (lastAnswer) show(byId('result'), renderResult(lastAnswer));
};

const relabel = languageSwitch(byId('language-switch'), LANGUAGES, language, (chosen) => {
  language = chosen;
  render();
});

byId('scheme').addEventListener('change', showSchemeFields);
showSchemeFields();
render();
