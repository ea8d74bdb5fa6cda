import type { components } from '../../shared/client/client.js';
import { apiClient, byId, euro, h, header, problemText, requireSession, show } from './common.js';

/**
 * The DWSE case view (deliberation 19/038 §6: the Competenties, Inspectie and Geldboetes
 * teams): the claims, filterable; one claim with its decision, each reason with its rule
 * and plain explanation, the figures the decision cites, the ledger it moved, and what a
 * settlement corrected.
 */
type Claim = components['schemas']['getTrainingLeaveClaim.dwse'];
type Item = components['schemas']['listTrainingLeaveClaims.dwse']['items'][number];

/** The API answers each role its own fields; this page is for DWSE, whose answers name the worker. */
const asDwse = <T extends object, D extends T>(value: T): D => {
  if (!('workerNiss' in value)) throw new Error('not a DWSE answer');
  return value as D;
};

const current = await requireSession('dwse');
const api = apiClient(current.token);
header(byId('session'), current);

const filters = byId<HTMLFormElement>('filters');

const loadList = async () => {
  const list = byId('list');
  const status = (filters.elements.namedItem('status') as HTMLSelectElement).value;
  const schoolYear = (filters.elements.namedItem('schoolYear') as HTMLInputElement).value.trim();
  const query = { limit: 50, ...(status ? { status: status as 'RECEIVED' | 'DECIDED' | 'WITHDRAWN' } : {}), ...(schoolYear ? { schoolYear } : {}) };
  const { data, error } = await api.GET('/v1/training-leave/claims', { params: { query } });
  if (!data) return show(list, h('p', { role: 'alert', class: 'error' }, problemText(error, 'The claims could not be listed.')));
  if (data.items.length === 0) return show(list, h('p', {}, 'No claim matches.'));
  show(
    list,
    h(
      'table',
      {},
      h('caption', {}, 'Claims, newest first'),
      h('thead', {}, h('tr', {}, ...['Submitted', 'Employer', 'Worker', 'School year', 'Status', 'Decision'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        ...data.items
          .map(asDwse<(typeof data.items)[number], Item>)
          .map((c) =>
            h(
              'tr',
              { 'data-claim': c.claimId },
              h('td', {}, h('a', { href: `#${c.claimId}` }, new Date(c.submittedAt).toLocaleString('en-GB'))),
              h('td', {}, c.employerEnterpriseNumber),
              h('td', {}, c.workerNiss),
              h('td', {}, c.schoolYear),
              h('td', {}, c.status),
              h('td', {}, c.decision ? `${c.decision.outcome}${c.decision.final ? '' : ' (provisional)'}` : '—'),
            ),
          ),
      ),
    ),
  );
};

const FIGURES: Record<string, string> = {
  hourlyForfait: 'Hourly forfait (€)',
  referenceMonth: 'Reference month',
  occupationFraction: 'Occupation fraction',
  personalMaximumHours: 'Personal maximum (hours)',
  rulesConfidence: 'Confidence of the rules applied',
};

const renderCase = (claim: Claim) => {
  const d = claim.decision;
  return h(
    'article',
    { 'aria-labelledby': 'case-title', 'data-status': claim.status },
    h('h2', { id: 'case-title' }, 'Claim ', h('code', {}, claim.claimId)),
    h(
      'dl',
      {},
      ...[
        ['Employer', claim.employerEnterpriseNumber],
        ['Worker', claim.workerNiss],
        ['School year', claim.schoolYear],
        ['Training', `${claim.training.id}, ${claim.training.startDate} to ${claim.training.endDate}`],
        [
          'Hours claimed',
          Object.entries(claim.hoursByMonth)
            .map(([m, hours]) => `${m}: ${hours} h`)
            .join(', '),
        ],
        ['Submitted', new Date(claim.submittedAt).toLocaleString('en-GB')],
        ['Status', claim.status],
      ].flatMap(([term, text]) => [h('dt', {}, term), h('dd', {}, text)]),
    ),
    d
      ? h(
          'section',
          { 'aria-labelledby': 'decision-title' },
          h('h3', { id: 'decision-title' }, 'Decision: ', h('span', { id: 'decision-outcome' }, d.outcome), d.final ? '' : ' (provisional)'),
          h('p', {}, `${d.approvedHours} hours approved, ${euro(d.amount)}, decided ${new Date(d.decidedAt).toLocaleString('en-GB')}.`),
          h(
            'table',
            { id: 'reasons' },
            h('caption', {}, 'Reasons: each rule checked, with its explanation'),
            h('thead', {}, h('tr', {}, ...['Rule', 'Result', 'Code', 'Explanation'].map((t) => h('th', { scope: 'col' }, t)))),
            h(
              'tbody',
              {},
              ...d.reasons.map((r) =>
                h(
                  'tr',
                  { class: r.outcome.toLowerCase() },
                  h('th', { scope: 'row' }, r.rule),
                  h('td', {}, r.outcome),
                  h('td', {}, r.code ?? ''),
                  h('td', {}, r.detail),
                ),
              ),
            ),
          ),
          h('h4', {}, 'Figures cited'),
          h('dl', { id: 'figures' }, ...Object.entries(d.figures).flatMap(([name, value]) => [h('dt', {}, FIGURES[name] ?? name), h('dd', {}, String(value))])),
          d.ledger.length > 0
            ? h(
                'table',
                {},
                h('caption', {}, 'What the decision takes from each bound'),
                h('thead', {}, h('tr', {}, ...['Bound', 'Scope', 'Limit', 'Approved before', 'This decision'].map((t) => h('th', { scope: 'col' }, t)))),
                h(
                  'tbody',
                  {},
                  ...d.ledger.map((l) =>
                    h(
                      'tr',
                      {},
                      h('td', {}, l.bound),
                      h('td', {}, l.scope),
                      h('td', {}, l.limitHours),
                      h('td', {}, l.alreadyApprovedHours),
                      h('td', {}, l.hours),
                    ),
                  ),
                ),
              )
            : null,
        )
      : h('p', {}, 'Not decided yet.'),
    claim.corrections?.length
      ? h(
          'section',
          { 'aria-labelledby': 'corrections-title' },
          h('h3', { id: 'corrections-title' }, 'Corrections'),
          h(
            'ul',
            {},
            ...claim.corrections.map((c) =>
              h('li', {}, `${new Date(c.at).toLocaleString('en-GB')}: ${c.reason} (was ${c.previous.outcome}, ${euro(c.previous.amount)})`),
            ),
          ),
        )
      : null,
  );
};

const showCase = async () => {
  const claimId = location.hash.slice(1);
  const panel = byId('case');
  if (!claimId) return show(panel);
  const { data, error, response } = await api.GET('/v1/training-leave/claims/{claimId}', { params: { path: { claimId } } });
  if (!data)
    return show(
      panel,
      h('p', { role: 'alert', class: 'error' }, response.status === 404 ? 'No such claim.' : problemText(error, 'The claim could not be read.')),
    );
  show(panel, renderCase(asDwse<typeof data, Claim>(data)));
};

filters.addEventListener('submit', (event) => {
  event.preventDefault();
  void loadList();
});
window.addEventListener('hashchange', () => void showCase());
void loadList();
void showCase();
