import type { components } from '../../shared/client/client.js';
import {
  amountText,
  apiClient,
  applyWords,
  byId,
  chosenLanguage,
  formatDate,
  formatEuro,
  formatMonth,
  formatNumber,
  h,
  header,
  instantText,
  languageSwitch,
  problemText,
  requireSession,
  show,
} from './common.js';
import { type DecisionReason, reasonsTable, waitingNotice, waitingReasonOf } from './reasons.js';

/**
 * The DWSE case view (deliberation 19/038 §6: the Competenties, Inspectie and Geldboetes
 * teams), in Dutch by default, French or English: the claims, filterable; one claim with its
 * decision, each reason with its title, code, explanation and paragraph (written by the API in
 * the language asked), the figures the decision cites, the ledger it moved, and what a
 * settlement corrected.
 */
type Claim = components['schemas']['getTrainingLeaveClaim.dwse'];
type Item = components['schemas']['listTrainingLeaveClaims.dwse']['items'][number];

/** The API answers each role its own fields; this page is for DWSE, whose answers name the worker. */
const asDwse = <T extends object, D extends T>(value: T): D => {
  if (!('workerNiss' in value)) throw new Error('not a DWSE answer');
  return value as D;
};

const LANGUAGES = ['nl', 'fr', 'en'] as const;
type PageLanguage = (typeof LANGUAGES)[number];

const WORDS = {
  nl: {
    pageTitle: 'Dossiers opleidingsverlof — Departement WSE',
    brand: 'Departement WSE — dossiers opleidingsverlof',
    title: 'Dossiers opleidingsverlof',
    language: 'Taal',
    signOut: 'Afmelden',
    role: 'Departement WSE',
    listTitle: 'Aanvragen',
    listCaption: 'Aanvragen, de recentste eerst',
    status: 'Status',
    any: 'alle',
    schoolYear: 'Schooljaar',
    filter: 'Filteren',
    noMatch: 'Geen aanvraag gevonden.',
    listFailed: 'De aanvragen konden niet worden opgehaald.',
    caseFailed: 'De aanvraag kon niet worden gelezen.',
    noSuchClaim: 'Geen aanvraag met dit nummer.',
    submitted: 'Ingediend',
    employer: 'Werkgever',
    worker: 'Werknemer',
    decision: 'Beslissing',
    claim: 'Aanvraag',
    training: 'Opleiding',
    trainingPeriod: (id: string, from: string, to: string) => `${id}, van ${from} tot ${to}`,
    hoursClaimed: 'Aangevraagde uren',
    hoursUnit: 'u',
    decisionTitle: 'Beslissing: ',
    provisional: ' (voorlopig)',
    decisionLine: (hours: string, amount: string, at: string) => `${hours} uren goedgekeurd, ${amount}, beslist op ${at}.`,
    notDecided: 'Nog niet beslist.',
    figuresCited: 'Aangehaalde gegevens',
    ledgerCaption: 'Wat de beslissing van elke grens opneemt',
    bound: 'Grens',
    scope: 'Bereik',
    limit: 'Grens (uren)',
    before: 'Eerder goedgekeurd',
    thisDecision: 'Deze beslissing',
    corrections: 'Rechtzettingen',
    was: 'was',
    hourlyForfait: 'Uurforfait',
    referenceMonth: 'Referentiemaand',
    occupationFraction: 'Tewerkstellingsbreuk',
    personalMaximumHours: 'Persoonlijk maximum (uren)',
    rulesConfidence: 'Zekerheid van de toegepaste regels',
    RECEIVED: 'ontvangen',
    WAITING: 'wacht',
    DECIDED: 'beslist',
    WITHDRAWN: 'ingetrokken',
    APPROVED: 'goedgekeurd',
    PARTIALLY_APPROVED: 'gedeeltelijk goedgekeurd',
    REJECTED: 'geweigerd',
    SCHOOL_YEAR: 'schooljaar',
    TRAINING: 'opleiding',
    QUARTER: 'kwartaal',
  },
  fr: {
    pageTitle: 'Dossiers de congé-éducation — Departement WSE',
    brand: 'Departement WSE — dossiers de congé-éducation',
    title: 'Dossiers de congé-éducation',
    language: 'Langue',
    signOut: 'Se déconnecter',
    role: 'Departement WSE',
    listTitle: 'Demandes',
    listCaption: 'Demandes, les plus récentes d’abord',
    status: 'Statut',
    any: 'toutes',
    schoolYear: 'Année scolaire',
    filter: 'Filtrer',
    noMatch: 'Aucune demande ne correspond.',
    listFailed: 'Les demandes n’ont pas pu être affichées.',
    caseFailed: 'La demande n’a pas pu être lue.',
    noSuchClaim: 'Aucune demande ne porte ce numéro.',
    submitted: 'Introduite le',
    employer: 'Employeur',
    worker: 'Travailleur',
    decision: 'Décision',
    claim: 'Demande',
    training: 'Formation',
    trainingPeriod: (id: string, from: string, to: string) => `${id}, du ${from} au ${to}`,
    hoursClaimed: 'Heures demandées',
    hoursUnit: 'h',
    decisionTitle: 'Décision : ',
    provisional: ' (provisoire)',
    decisionLine: (hours: string, amount: string, at: string) => `${hours} heures approuvées, ${amount}, décidée le ${at}.`,
    notDecided: 'Pas encore décidée.',
    figuresCited: 'Données citées',
    ledgerCaption: 'Ce que la décision prend sur chaque plafond',
    bound: 'Plafond',
    scope: 'Portée',
    limit: 'Plafond (heures)',
    before: 'Déjà approuvé',
    thisDecision: 'Cette décision',
    corrections: 'Corrections',
    was: 'était',
    hourlyForfait: 'Forfait horaire',
    referenceMonth: 'Mois de référence',
    occupationFraction: 'Fraction d’occupation',
    personalMaximumHours: 'Maximum personnel (heures)',
    rulesConfidence: 'Certitude des règles appliquées',
    RECEIVED: 'reçue',
    WAITING: 'en attente',
    DECIDED: 'décidée',
    WITHDRAWN: 'retirée',
    APPROVED: 'approuvée',
    PARTIALLY_APPROVED: 'approuvée en partie',
    REJECTED: 'refusée',
    SCHOOL_YEAR: 'année scolaire',
    TRAINING: 'formation',
    QUARTER: 'trimestre',
  },
  en: {
    pageTitle: 'Training-leave cases — DWSE',
    brand: 'Departement WSE — training-leave cases',
    title: 'Training-leave cases',
    language: 'Language',
    signOut: 'Sign out',
    role: 'DWSE',
    listTitle: 'Claims',
    listCaption: 'Claims, newest first',
    status: 'Status',
    any: 'any',
    schoolYear: 'School year',
    filter: 'Filter',
    noMatch: 'No claim matches.',
    listFailed: 'The claims could not be listed.',
    caseFailed: 'The claim could not be read.',
    noSuchClaim: 'No such claim.',
    submitted: 'Submitted',
    employer: 'Employer',
    worker: 'Worker',
    decision: 'Decision',
    claim: 'Claim',
    training: 'Training',
    trainingPeriod: (id: string, from: string, to: string) => `${id}, ${from} to ${to}`,
    hoursClaimed: 'Hours claimed',
    hoursUnit: 'h',
    decisionTitle: 'Decision: ',
    provisional: ' (provisional)',
    decisionLine: (hours: string, amount: string, at: string) => `${hours} hours approved, ${amount}, decided ${at}.`,
    notDecided: 'Not decided yet.',
    figuresCited: 'Figures cited',
    ledgerCaption: 'What the decision takes from each bound',
    bound: 'Bound',
    scope: 'Scope',
    limit: 'Limit (hours)',
    before: 'Approved before',
    thisDecision: 'This decision',
    corrections: 'Corrections',
    was: 'was',
    hourlyForfait: 'Hourly forfait',
    referenceMonth: 'Reference month',
    occupationFraction: 'Occupation fraction',
    personalMaximumHours: 'Personal maximum (hours)',
    rulesConfidence: 'Confidence of the rules applied',
    RECEIVED: 'received',
    WAITING: 'waiting',
    DECIDED: 'decided',
    WITHDRAWN: 'withdrawn',
    APPROVED: 'approved',
    PARTIALLY_APPROVED: 'partially approved',
    REJECTED: 'rejected',
    SCHOOL_YEAR: 'school year',
    TRAINING: 'training',
    QUARTER: 'quarter',
  },
} satisfies Record<PageLanguage, Record<string, string | ((...args: string[]) => string)>>;
type Words = (typeof WORDS)[PageLanguage];

const current = await requireSession('dwse');
let language: PageLanguage = chosenLanguage(LANGUAGES);
let api = apiClient(current.token, language);
let w: Words = WORDS[language];

/** A code of the API in the page's words; an unknown one as it is. */
const word = (code: string): string => (w as unknown as Record<string, string>)[code] ?? code;
const number = (n: number) => formatNumber(n, language);

const filters = byId<HTMLFormElement>('filters');

const loadList = async () => {
  const list = byId('list');
  const status = (filters.elements.namedItem('status') as HTMLSelectElement).value;
  const schoolYear = (filters.elements.namedItem('schoolYear') as HTMLInputElement).value.trim();
  const query = { limit: 50, ...(status ? { status: status as 'RECEIVED' | 'DECIDED' | 'WITHDRAWN' } : {}), ...(schoolYear ? { schoolYear } : {}) };
  const { data, error } = await api.GET('/v1/training-leave/claims', { params: { query } });
  if (!data) return show(list, h('p', { role: 'alert', class: 'error' }, problemText(error, w.listFailed, language)));
  if (data.items.length === 0) return show(list, h('p', {}, w.noMatch));
  show(
    list,
    h(
      'table',
      {},
      h('caption', {}, w.listCaption),
      h('thead', {}, h('tr', {}, ...[w.submitted, w.employer, w.worker, w.schoolYear, w.status, w.decision].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        ...data.items
          .map(asDwse<(typeof data.items)[number], Item>)
          .map((c) =>
            h(
              'tr',
              { 'data-claim': c.claimId },
              h('td', {}, h('a', { href: `#${c.claimId}` }, instantText(c.submittedAt, language))),
              h('td', {}, c.employerEnterpriseNumber),
              h('td', {}, c.workerNiss),
              h('td', {}, c.schoolYear),
              h('td', {}, word(c.status)),
              h('td', {}, c.decision ? `${word(c.decision.outcome)}${c.decision.final ? '' : w.provisional}` : '—'),
            ),
          ),
      ),
    ),
  );
};

/** A figure the decision cites, in the page's formats. */
const figureText = (name: string, value: unknown): string => {
  if (name === 'hourlyForfait' && typeof value === 'string') return formatEuro(value, language);
  if (name === 'referenceMonth' && typeof value === 'string') return formatMonth(value, language);
  if (typeof value === 'number') return number(value);
  return String(value);
};

const renderCase = (claim: Claim) => {
  const d = claim.decision;
  const waiting = waitingReasonOf(claim);
  // Months in calendar order, whatever order the answer keeps them in.
  const months = Object.entries(claim.hoursByMonth).sort(([a], [b]) => a.localeCompare(b));
  return h(
    'article',
    { 'aria-labelledby': 'case-title', 'data-status': claim.status },
    h('h2', { id: 'case-title' }, `${w.claim} `, h('code', {}, claim.claimId)),
    h(
      'dl',
      {},
      ...[
        [w.employer, claim.employerEnterpriseNumber],
        [w.worker, claim.workerNiss],
        [w.schoolYear, claim.schoolYear],
        [w.training, w.trainingPeriod(claim.training.id, formatDate(claim.training.startDate, language), formatDate(claim.training.endDate, language))],
        [w.hoursClaimed, months.map(([m, hours]) => `${formatMonth(m, language)}: ${number(hours)} ${w.hoursUnit}`).join(', ')],
        [w.submitted, instantText(claim.submittedAt, language)],
        [w.status, word(claim.status)],
      ].flatMap(([term, text]) => [h('dt', {}, term), h('dd', {}, text)]),
    ),
    waiting && !d ? waitingNotice(waiting, language) : null,
    d
      ? h(
          'section',
          { 'aria-labelledby': 'decision-title' },
          h(
            'h3',
            { id: 'decision-title' },
            w.decisionTitle,
            h('span', { id: 'decision-outcome', 'data-outcome': d.outcome }, word(d.outcome)),
            d.final ? '' : w.provisional,
          ),
          h('p', { id: 'decision-line' }, w.decisionLine(number(d.approvedHours), amountText(d.amount, language), instantText(d.decidedAt, language))),
          reasonsTable(d.reasons as DecisionReason[], language),
          h('h4', {}, w.figuresCited),
          h('dl', { id: 'figures' }, ...Object.entries(d.figures).flatMap(([name, value]) => [h('dt', {}, word(name)), h('dd', {}, figureText(name, value))])),
          d.ledger.length > 0
            ? h(
                'table',
                {},
                h('caption', {}, w.ledgerCaption),
                h(
                  'thead',
                  {},
                  h(
                    'tr',
                    {},
                    ...[w.bound, w.scope, w.limit, w.before, w.thisDecision].map((t, i) =>
                      h('th', { scope: 'col', ...(i >= 2 ? { class: 'number' } : {}) }, t),
                    ),
                  ),
                ),
                h(
                  'tbody',
                  {},
                  ...d.ledger.map((l) =>
                    h(
                      'tr',
                      {},
                      h('td', {}, word(l.bound)),
                      h('td', {}, l.scope),
                      h('td', { class: 'number' }, number(l.limitHours)),
                      h('td', { class: 'number' }, number(l.alreadyApprovedHours)),
                      h('td', { class: 'number' }, number(l.hours)),
                    ),
                  ),
                ),
              )
            : null,
        )
      : h('p', {}, w.notDecided),
    claim.corrections?.length
      ? h(
          'section',
          { 'aria-labelledby': 'corrections-title' },
          h('h3', { id: 'corrections-title' }, w.corrections),
          h(
            'ul',
            {},
            ...claim.corrections.map((c) =>
              h('li', {}, `${instantText(c.at, language)}: ${c.reason} (${w.was} ${word(c.previous.outcome)}, ${amountText(c.previous.amount, language)})`),
            ),
          ),
        )
      : null,
  );
};

let reading = 0;
const showCase = async () => {
  const claimId = location.hash.slice(1);
  const panel = byId('case');
  if (!claimId) return show(panel);
  const run = ++reading;
  const { data, error, response } = await api.GET('/v1/training-leave/claims/{claimId}', { params: { path: { claimId } } });
  if (run !== reading) return;
  if (!data)
    return show(panel, h('p', { role: 'alert', class: 'error' }, response.status === 404 ? w.noSuchClaim : problemText(error, w.caseFailed, language)));
  show(panel, renderCase(asDwse<typeof data, Claim>(data)));
};

/** The page in `language`: its words, and the list and case read again in it (the reasons come from the API). */
const render = () => {
  w = WORDS[language];
  api = apiClient(current.token, language);
  applyWords(w as unknown as Record<string, string>, language);
  document.title = w.pageTitle;
  relabel(w.language, language);
  header(byId('session'), current, w.signOut, w.role);
  void loadList();
  void showCase();
};

const relabel = languageSwitch(byId('language-switch'), LANGUAGES, language, (chosen) => {
  language = chosen;
  render();
});

filters.addEventListener('submit', (event) => {
  event.preventDefault();
  void loadList();
});
window.addEventListener('hashchange', () => void showCase());
render();
