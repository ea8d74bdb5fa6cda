import type { components } from '../../shared/client/client.js';
import {
  amountText,
  apiClient,
  applyWords,
  byId,
  chosenLanguage,
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
 * The employer's training-leave claims (deliberation 19/038), in Dutch by default, French or
 * English: its list, a submission form that shows each refused field's message next to the
 * field (the problem+json `errors`), and one claim's status and decision with its reasons,
 * followed until it is decided. The page's words are here, in its three languages; the API
 * writes the reasons and the problems in the language asked (Accept-Language).
 */
type Claim = components['schemas']['getTrainingLeaveClaim.employer'];
type Item = components['schemas']['listTrainingLeaveClaims.employer']['items'][number];
type FieldError = { path: string; message: string };
/** The decision as the page reads it: its reasons when the API gives them to the employer. */
type Decision = NonNullable<Claim['decision']> & { reasons?: DecisionReason[] };

const LANGUAGES = ['nl', 'fr', 'en'] as const;
type PageLanguage = (typeof LANGUAGES)[number];

const WORDS = {
  nl: {
    pageTitle: 'Aanvragen opleidingsverlof — werkgever',
    brand: 'Vlaams opleidingsverlof — werkgever',
    title: 'Aanvragen opleidingsverlof',
    language: 'Taal',
    signOut: 'Afmelden',
    role: 'werkgever',
    submitTitle: 'Een aanvraag indienen',
    workerNiss: 'INSZ van de werknemer',
    schoolYear: 'Schooljaar',
    training: 'Opleiding',
    trainingId: 'Nummer in de opleidingsdatabank',
    starts: 'Begint op',
    ends: 'Eindigt op',
    hoursPerMonth: 'Uren opleidingsverlof per maand',
    month: 'Maand',
    hours: 'Uren',
    addMonth: 'Een maand toevoegen',
    submit: 'De aanvraag indienen',
    listTitle: 'Uw aanvragen',
    listCaption: 'Uw aanvragen, de recentste eerst',
    submitted: 'Ingediend',
    status: 'Status',
    decision: 'Beslissing',
    amount: 'Bedrag',
    approvedHours: 'Goedgekeurde uren',
    decided: 'Beslist op',
    withdrawn: 'Ingetrokken op',
    claim: 'Aanvraag',
    noClaim: 'Nog geen aanvraag.',
    listFailed: 'De aanvragen konden niet worden opgehaald.',
    claimFailed: 'De aanvraag kon niet worden gelezen.',
    notYours: 'Geen aanvraag van u met dit nummer.',
    submitFailed: 'De aanvraag kon niet worden ingediend.',
    received: (id: string) => `Aanvraag ontvangen (${id}); ze wordt beoordeeld.`,
    evaluating: 'wordt beoordeeld',
    provisional: 'voorlopig',
    was: 'was',
    correction: 'Rechtzetting',
    RECEIVED: 'ontvangen',
    WAITING: 'wacht',
    DECIDED: 'beslist',
    WITHDRAWN: 'ingetrokken',
    APPROVED: 'goedgekeurd',
    PARTIALLY_APPROVED: 'gedeeltelijk goedgekeurd',
    REJECTED: 'geweigerd',
  },
  fr: {
    pageTitle: 'Demandes de congé-éducation flamand — employeur',
    brand: 'Congé-éducation flamand (VOV) — employeur',
    title: 'Demandes de congé-éducation',
    language: 'Langue',
    signOut: 'Se déconnecter',
    role: 'employeur',
    submitTitle: 'Introduire une demande',
    workerNiss: 'NISS du travailleur',
    schoolYear: 'Année scolaire',
    training: 'Formation',
    trainingId: 'Numéro dans la base de données des formations',
    starts: 'Début',
    ends: 'Fin',
    hoursPerMonth: 'Heures de congé-éducation par mois',
    month: 'Mois',
    hours: 'Heures',
    addMonth: 'Ajouter un mois',
    submit: 'Introduire la demande',
    listTitle: 'Vos demandes',
    listCaption: 'Vos demandes, les plus récentes d’abord',
    submitted: 'Introduite le',
    status: 'Statut',
    decision: 'Décision',
    amount: 'Montant',
    approvedHours: 'Heures approuvées',
    decided: 'Décidée le',
    withdrawn: 'Retirée le',
    claim: 'Demande',
    noClaim: 'Pas encore de demande.',
    listFailed: 'Les demandes n’ont pas pu être affichées.',
    claimFailed: 'La demande n’a pas pu être lue.',
    notYours: 'Aucune de vos demandes ne porte ce numéro.',
    submitFailed: 'La demande n’a pas pu être introduite.',
    received: (id: string) => `Demande reçue (${id}) ; elle est en cours d’évaluation.`,
    evaluating: 'en cours d’évaluation',
    provisional: 'provisoire',
    was: 'était',
    correction: 'Correction',
    RECEIVED: 'reçue',
    WAITING: 'en attente',
    DECIDED: 'décidée',
    WITHDRAWN: 'retirée',
    APPROVED: 'approuvée',
    PARTIALLY_APPROVED: 'approuvée en partie',
    REJECTED: 'refusée',
  },
  en: {
    pageTitle: 'Training-leave claims — employer',
    brand: 'Flemish training leave — employer',
    title: 'Training-leave claims',
    language: 'Language',
    signOut: 'Sign out',
    role: 'employer',
    submitTitle: 'Submit a claim',
    workerNiss: 'Worker’s NISS',
    schoolYear: 'School year',
    training: 'Training',
    trainingId: 'Training-database id',
    starts: 'Starts',
    ends: 'Ends',
    hoursPerMonth: 'Hours of training leave per month',
    month: 'Month',
    hours: 'Hours',
    addMonth: 'Add a month',
    submit: 'Submit the claim',
    listTitle: 'Your claims',
    listCaption: 'Your claims, newest first',
    submitted: 'Submitted',
    status: 'Status',
    decision: 'Decision',
    amount: 'Amount',
    approvedHours: 'Approved hours',
    decided: 'Decided',
    withdrawn: 'Withdrawn',
    claim: 'Claim',
    noClaim: 'No claim yet.',
    listFailed: 'The claims could not be listed.',
    claimFailed: 'The claim could not be read.',
    notYours: 'No such claim among yours.',
    submitFailed: 'The claim could not be submitted.',
    received: (id: string) => `Claim received (${id}); it is being evaluated.`,
    evaluating: 'being evaluated',
    provisional: 'provisional',
    was: 'was',
    correction: 'Correction',
    RECEIVED: 'received',
    WAITING: 'waiting',
    DECIDED: 'decided',
    WITHDRAWN: 'withdrawn',
    APPROVED: 'approved',
    PARTIALLY_APPROVED: 'partially approved',
    REJECTED: 'rejected',
  },
} satisfies Record<PageLanguage, Record<string, string | ((id: string) => string)>>;
type Words = (typeof WORDS)[PageLanguage];

const current = await requireSession('employer');
let language: PageLanguage = chosenLanguage(LANGUAGES);
let api = apiClient(current.token, language);
let w: Words = WORDS[language];

/** A code of the API in the page's words ("APPROVED" → "goedgekeurd"); an unknown one as it is. */
const word = (code: string | undefined): string =>
  code === undefined ? '—' : ((w as unknown as Record<string, string>)[code] ?? code.replaceAll('_', ' ').toLowerCase());

// ---- list ------------------------------------------------------------------------------

const outcomeText = (d: { outcome?: string; final?: boolean } | undefined) => (d ? `${word(d.outcome)}${d.final === false ? ` (${w.provisional})` : ''}` : '—');
const hoursText = (hours: number | undefined) => (hours === undefined ? '—' : formatNumber(hours, language));

let listing = 0;
/** Reads the list; of two reads in flight (a submission's, then a decision's), only the later one is shown. */
const loadList = async () => {
  const list = byId('list');
  const run = ++listing;
  const { data, error } = await api.GET('/v1/training-leave/claims', { params: { query: { limit: 50 } } });
  if (run !== listing) return;
  if (!data) return show(list, h('p', { role: 'alert', class: 'error' }, problemText(error, w.listFailed, language)));
  if (data.items.length === 0) return show(list, h('p', {}, w.noClaim));
  show(
    list,
    h(
      'table',
      {},
      h('caption', {}, w.listCaption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...[w.submitted, w.schoolYear, w.training, w.status, w.decision, w.approvedHours, w.amount].map((t, i) =>
            h('th', { scope: 'col', ...(i >= 5 ? { class: 'number' } : {}) }, t),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...data.items.map((c) =>
          h(
            'tr',
            { 'data-claim': c.claimId },
            h('td', {}, h('a', { href: `#${c.claimId}` }, instantText(c.submittedAt, language))),
            h('td', {}, c.schoolYear),
            h('td', {}, c.training.id),
            h('td', {}, word(c.status)),
            h('td', {}, outcomeText(c.decision)),
            h('td', { class: 'number' }, hoursText(c.decision?.approvedHours)),
            h('td', { class: 'number' }, amountText(c.decision?.amount, language)),
          ),
        ),
      ),
    ),
  );
};

// ---- one claim -------------------------------------------------------------------------

const renderClaim = (claim: Claim) => {
  const decision = claim.decision as Decision | undefined;
  const waiting = waitingReasonOf(claim);
  return h(
    'section',
    { 'aria-labelledby': 'claim-title', 'data-status': claim.status },
    h('h2', { id: 'claim-title' }, `${w.claim} `, h('code', {}, claim.claimId)),
    h(
      'dl',
      {},
      h('dt', {}, w.status),
      h('dd', { id: 'claim-status' }, word(claim.status)),
      ...(decision
        ? [
            h('dt', {}, w.decision),
            h('dd', { id: 'claim-outcome' }, outcomeText(decision)),
            h('dt', {}, w.approvedHours),
            h('dd', { id: 'claim-hours' }, hoursText(decision.approvedHours)),
            h('dt', {}, w.amount),
            h('dd', { id: 'claim-amount' }, amountText(decision.amount, language)),
            h('dt', {}, w.decided),
            h('dd', { id: 'claim-decided' }, instantText(decision.decidedAt, language)),
          ]
        : [h('dt', {}, w.decision), h('dd', { id: 'claim-outcome' }, w.evaluating)]),
      ...(claim.withdrawnAt ? [h('dt', {}, w.withdrawn), h('dd', {}, instantText(claim.withdrawnAt, language))] : []),
    ),
    waiting && !decision ? waitingNotice(waiting, language) : null,
    decision?.reasons?.length ? reasonsTable(decision.reasons, language) : null,
    claim.corrections?.length
      ? h(
          'ul',
          { class: 'corrections' },
          ...claim.corrections.map((c) =>
            h('li', {}, `${w.correction}: ${c.reason} (${w.was} ${word(c.previous.outcome)}, ${amountText(c.previous.amount, language)})`),
          ),
        )
      : null,
  );
};

const SETTLED = new Set(['DECIDED', 'WITHDRAWN']);
let following = 0;
/** Shows the claim named in the URL's fragment, and reads it again until it is decided. */
const showClaim = async () => {
  const claimId = location.hash.slice(1);
  const panel = byId('claim');
  if (!claimId) return show(panel);
  const run = ++following;
  for (let poll = 0; poll < 120 && run === following; poll++) {
    const { data, error, response } = await api.GET('/v1/training-leave/claims/{claimId}', { params: { path: { claimId } } });
    if (run !== following) return;
    if (!data) {
      const text = response.status === 404 || response.status === 400 ? w.notYours : problemText(error, w.claimFailed, language);
      return show(panel, h('p', { role: 'alert', class: 'error', id: 'claim-error' }, text));
    }
    show(panel, renderClaim(data));
    if (SETTLED.has(data.status)) {
      void loadList();
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
};

// ---- submission ------------------------------------------------------------------------

const form = byId<HTMLFormElement>('submit');
const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();

const addMonthRow = (month = '', hours = '') => {
  const rows = byId('months');
  const index = rows.children.length;
  rows.append(
    h(
      'div',
      { class: 'month-row' },
      h('label', { for: `month-${index}`, 'data-text': 'month' }, w.month),
      h('input', { id: `month-${index}`, name: `month-${index}`, type: 'month', value: month, 'data-month': 'true' }),
      h('label', { for: `hours-${index}`, 'data-text': 'hours' }, w.hours),
      h('input', { id: `hours-${index}`, name: `hours-${index}`, type: 'number', step: '0.5', min: '0.5', value: hours, 'data-hours': 'true' }),
      h('p', { class: 'field-error', id: `error-hoursByMonth-${index}`, 'aria-live': 'polite' }),
    ),
  );
};

const clearErrors = () => {
  for (const element of form.querySelectorAll('.field-error')) element.textContent = '';
  for (const element of form.querySelectorAll('[aria-invalid]')) element.removeAttribute('aria-invalid');
  show(byId('form-error'));
};

/** Puts each refused field's message next to it: `body.training.endDate` → the end date field. */
const showFieldErrors = (errors: FieldError[], months: string[]) => {
  const unplaced: string[] = [];
  for (const { path, message } of errors) {
    const field = path.replace(/^body\./, '');
    const month = field.match(/^hoursByMonth\.(.+)$/)?.[1];
    const index = month ? months.indexOf(month) : -1;
    const id = index >= 0 ? `hoursByMonth-${index}` : field === 'hoursByMonth' ? 'hoursByMonth' : field;
    const slot = document.getElementById(`error-${id}`);
    if (!slot) {
      unplaced.push(`${month ? formatMonth(month, language) : field}: ${message}`);
      continue;
    }
    slot.textContent = message;
    const input = index >= 0 ? document.getElementById(`hours-${index}`) : document.getElementById(field);
    input?.setAttribute('aria-invalid', 'true');
  }
  if (unplaced.length > 0) show(byId('form-error'), h('p', { role: 'alert', class: 'error' }, unplaced.join('; ')));
};

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors();
  const monthInputs = [...form.querySelectorAll<HTMLInputElement>('[data-month]')];
  const hourInputs = [...form.querySelectorAll<HTMLInputElement>('[data-hours]')];
  const months = monthInputs.map((m) => m.value);
  const hoursByMonth: Record<string, number> = {};
  monthInputs.forEach((m, i) => {
    if (m.value) hoursByMonth[m.value] = Number(hourInputs[i]?.value);
  });
  const body = {
    employerEnterpriseNumber: current.label,
    workerNiss: value('workerNiss'),
    schoolYear: value('schoolYear'),
    training: { id: value('training.id'), startDate: value('training.startDate'), endDate: value('training.endDate') },
    hoursByMonth,
  };
  const { data, error } = await api.POST('/v1/training-leave/claims', { body });
  if (!data) {
    const problem = error as { errors?: FieldError[]; detail?: string } | undefined;
    if (problem?.errors?.length) showFieldErrors(problem.errors, months);
    else show(byId('form-error'), h('p', { role: 'alert', class: 'error' }, problemText(error, w.submitFailed, language)));
    return;
  }
  show(byId('form-error'), h('p', { role: 'status', class: 'ok' }, w.received(data.claimId)));
  location.hash = data.claimId;
  void loadList();
});

// ---- language --------------------------------------------------------------------------

/** The page in `language`: its words, and the list and claim read again in it (the reasons come from the API). */
const render = () => {
  w = WORDS[language];
  api = apiClient(current.token, language);
  applyWords(w as unknown as Record<string, string>, language);
  document.title = w.pageTitle;
  relabel(w.language, language);
  header(byId('session'), current, w.signOut, w.role);
  void loadList();
  void showClaim();
};

const relabel = languageSwitch(byId('language-switch'), LANGUAGES, language, (chosen) => {
  language = chosen;
  render();
});

byId('add-month').addEventListener('click', () => addMonthRow());
addMonthRow();
addMonthRow();
window.addEventListener('hashchange', () => void showClaim());
render();
