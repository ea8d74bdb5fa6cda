import { byId, h, type Session, saveSession, show } from './common.js';

/**
 * Local sign-in (local stage only: this page and its token endpoint exist in the local web
 * server, never in a deployed build): pick a role and whom it speaks for; the local identity
 * provider signs the token the API verifies like any other.
 */
const PERSONAS: { role: Session['role']; label: string; principal: Record<string, string>; page: string; what: string }[] = [
  { role: 'citizen', label: '85073003328', principal: { niss: '85073003328' }, page: 'possibilities.html', what: 'private sector, 1/5 time credit taken' },
  { role: 'citizen', label: '78021511718', principal: { niss: '78021511718' }, page: 'possibilities.html', what: 'public sector' },
  { role: 'citizen', label: '82061119872', principal: { niss: '82061119872' }, page: 'possibilities.html', what: 'parent of three' },
  { role: 'citizen', label: '91011715490', principal: { niss: '91011715490' }, page: 'possibilities.html', what: 'time-credit pool used up' },
  { role: 'citizen', label: '10050324536', principal: { niss: '10050324536' }, page: 'possibilities.html', what: '16 years old' },
  { role: 'employer', label: '0403170701', principal: { enterpriseNumber: '0403170701' }, page: 'claims.html', what: 'Flemish employer' },
  { role: 'employer', label: '0876543270', principal: { enterpriseNumber: '0876543270' }, page: 'claims.html', what: 'another employer' },
  { role: 'dwse', label: 'competenties', principal: { team: 'competenties' }, page: 'case.html', what: 'case handlers' },
  { role: 'dwse', label: 'inspectie', principal: { team: 'inspectie' }, page: 'case.html', what: 'social inspectors' },
  // Actiris's token names no one but Actiris (the API checks that the worker is registered with it).
  { role: 'actiris', label: 'Actiris', principal: {}, page: 'premium-check.html', what: 'ACS / PTP premium checks (05/012)' },
];

const signIn = async (persona: (typeof PERSONAS)[number]) => {
  const response = await fetch('/local/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role: persona.role, ...persona.principal }),
  });
  if (!response.ok) {
    show(byId('error'), h('p', { role: 'alert', class: 'error' }, `Sign-in failed (${response.status}).`));
    return;
  }
  const { token } = (await response.json()) as { token: string };
  saveSession({ token, role: persona.role, label: persona.label });
  const next = new URLSearchParams(location.search).get('next');
  // Back to the page that asked for a sign-in (with its query: the language), if it is this role's.
  location.assign(next && next.split('?')[0] === persona.page ? next : persona.page);
};

const groups: [Session['role'], string][] = [
  ['citizen', 'Citizen (MyCareer)'],
  ['employer', 'Employer'],
  ['dwse', 'Departement WSE'],
  ['actiris', 'Actiris'],
];
show(
  byId('personas'),
  ...groups.map(([role, title]) =>
    h(
      'section',
      { 'aria-labelledby': `group-${role}` },
      h('h2', { id: `group-${role}` }, title),
      h(
        'ul',
        { class: 'personas' },
        ...PERSONAS.filter((p) => p.role === role).map((p) =>
          h(
            'li',
            {},
            h('button', { type: 'button', 'data-role': p.role, 'data-as': p.label, onclick: () => void signIn(p) }, `${p.label}`),
            h('span', { class: 'what' }, ` ${p.what}`),
          ),
        ),
      ),
    ),
  ),
);
