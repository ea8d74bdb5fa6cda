import type { components } from '../../shared/client/client.js';
import { apiClient, byId, euro, h, header, problemText, requireSession, show } from './common.js';

/**
 * The employer's training-leave claims (deliberation 19/038): its list, a submission form
 * that shows each refused field's message next to the field (the problem+json `errors`), and
 * one claim's status and decision, followed until it is decided.
 */
type Claim = components['schemas']['getTrainingLeaveClaim.employer'];
type Item = components['schemas']['listTrainingLeaveClaims.employer']['items'][number];
type FieldError = { path: string; message: string };

const current = await requireSession('employer');
const api = apiClient(current.token);
header(byId('session'), current);

// ---- list ------------------------------------------------------------------------------

const outcomeText = (d: { outcome?: string; final?: boolean } | undefined) =>
  d ? `${d.outcome?.replaceAll('_', ' ').toLowerCase()}${d.final === false ? ' (provisional)' : ''}` : '—';

const loadList = async () => {
  const list = byId('list');
  const { data, error } = await api.GET('/v1/training-leave/claims', { params: { query: { limit: 50 } } });
  if (!data) return show(list, h('p', { role: 'alert', class: 'error' }, problemText(error, 'The claims could not be listed.')));
  if (data.items.length === 0) return show(list, h('p', {}, 'No claim yet.'));
  show(
    list,
    h(
      'table',
      {},
      h('caption', {}, 'Your claims, newest first'),
      h(
        'thead',
        {},
        h('tr', {}, ...['Submitted', 'School year', 'Training', 'Status', 'Decision', 'Hours', 'Amount'].map((t) => h('th', { scope: 'col' }, t))),
      ),
      h(
        'tbody',
        {},
        ...data.items.map((c) =>
          h(
            'tr',
            { 'data-claim': c.claimId },
            h('td', {}, h('a', { href: `#${c.claimId}` }, new Date(c.submittedAt).toLocaleString('en-GB'))),
            h('td', {}, c.schoolYear),
            h('td', {}, c.training.id),
            h('td', {}, c.status),
            h('td', {}, outcomeText(c.decision)),
            h('td', {}, c.decision?.approvedHours ?? '—'),
            h('td', {}, euro(c.decision?.amount)),
          ),
        ),
      ),
    ),
  );
};

// ---- one claim -------------------------------------------------------------------------

const renderClaim = (claim: Claim) =>
  h(
    'section',
    { 'aria-labelledby': 'claim-title', 'data-status': claim.status },
    h('h2', { id: 'claim-title' }, 'Claim ', h('code', {}, claim.claimId)),
    h(
      'dl',
      {},
      h('dt', {}, 'Status'),
      h('dd', { id: 'claim-status' }, claim.status),
      ...(claim.decision
        ? [
            h('dt', {}, 'Decision'),
            h('dd', { id: 'claim-outcome' }, outcomeText(claim.decision)),
            h('dt', {}, 'Approved hours'),
            h('dd', {}, String(claim.decision.approvedHours)),
            h('dt', {}, 'Amount'),
            h('dd', { id: 'claim-amount' }, euro(claim.decision.amount)),
            h('dt', {}, 'Decided'),
            h('dd', {}, claim.decision.decidedAt ? new Date(claim.decision.decidedAt).toLocaleString('en-GB') : '—'),
          ]
        : [h('dt', {}, 'Decision'), h('dd', { id: 'claim-outcome' }, 'waiting for the evaluation')]),
      ...(claim.withdrawnAt ? [h('dt', {}, 'Withdrawn'), h('dd', {}, new Date(claim.withdrawnAt).toLocaleString('en-GB'))] : []),
    ),
    claim.corrections?.length
      ? h('ul', { class: 'corrections' }, ...claim.corrections.map((c) => h('li', {}, `${c.reason} (was ${c.previous.outcome}, ${euro(c.previous.amount)})`)))
      : null,
  );

let following = 0;
/** Shows the claim named in the URL's fragment, and reads it again until it is decided. */
const showClaim = async () => {
  const claimId = location.hash.slice(1);
  const panel = byId('claim');
  if (!claimId) return show(panel);
  const run = ++following;
  for (let poll = 0; poll < 120 && run === following; poll++) {
    const { data, error, response } = await api.GET('/v1/training-leave/claims/{claimId}', { params: { path: { claimId } } });
    if (!data) {
      const text = response.status === 404 || response.status === 400 ? 'No such claim among yours.' : problemText(error, 'The claim could not be read.');
      return show(panel, h('p', { role: 'alert', class: 'error', id: 'claim-error' }, text));
    }
    show(panel, renderClaim(data));
    if (data.status !== 'RECEIVED') {
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
      h('label', { for: `month-${index}` }, 'Month'),
      h('input', { id: `month-${index}`, name: `month-${index}`, type: 'month', value: month, 'data-month': 'true' }),
      h('label', { for: `hours-${index}` }, 'Hours'),
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
      unplaced.push(`${field}: ${message}`);
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
    else show(byId('form-error'), h('p', { role: 'alert', class: 'error' }, problemText(error, 'The claim could not be submitted.')));
    return;
  }
  show(byId('form-error'), h('p', { role: 'status', class: 'ok' }, `Claim received (${data.claimId}); it is being evaluated.`));
  location.hash = data.claimId;
  void loadList();
});

byId('add-month').addEventListener('click', () => addMonthRow());
addMonthRow();
addMonthRow();
window.addEventListener('hashchange', () => void showClaim());
void loadList();
void showClaim();
