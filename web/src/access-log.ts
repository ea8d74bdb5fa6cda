import type { components } from '../../shared/client/client.js';
import { apiClient, byId, chosenLanguage, h, header, type Language, problemText, requireSession, show } from './common.js';

/**
 * The citizen's access log (GDPR art. 15): every audited access to their own data — when,
 * for which purpose and deliberation, by which role and organisation, with what outcome, and
 * whether it was in a list — newest first, a page at a time. In the citizen's language; never a person's name or a NISS.
 */
type Page = components['schemas']['readAccessLog.citizen'];

const WORDS = {
  fr: {
    title: 'Qui a consulté mes données ?',
    intro:
      'Chaque accès à vos données par ces échanges, le plus récent d’abord : quand, pourquoi, par qui (une organisation, jamais une personne) et avec quel résultat.',
    when: 'Quand',
    why: 'Pour quoi',
    who: 'Par qui',
    result: 'Résultat',
    more: 'Plus ancien',
    none: 'Aucun accès enregistré.',
    listed: 'dans une liste de demandes',
    back: 'Mes possibilités',
    failed: 'Le journal n’a pas pu être affiché.',
    signOut: 'Se déconnecter',
  },
  nl: {
    title: 'Wie heeft mijn gegevens geraadpleegd?',
    intro:
      'Elke raadpleging van uw gegevens via deze uitwisselingen, de recentste eerst: wanneer, waarom, door wie (een organisatie, nooit een persoon) en met welk resultaat.',
    when: 'Wanneer',
    why: 'Waarvoor',
    who: 'Door wie',
    result: 'Resultaat',
    more: 'Ouder',
    none: 'Geen raadpleging geregistreerd.',
    listed: 'in een lijst van aanvragen',
    back: 'Mijn mogelijkheden',
    failed: 'Het logboek kon niet worden getoond.',
    signOut: 'Afmelden',
  },
  de: {
    title: 'Wer hat meine Daten eingesehen?',
    intro:
      'Jeder Zugriff auf Ihre Daten über diese Austausche, der neueste zuerst: wann, wofür, durch wen (eine Organisation, nie eine Person) und mit welchem Ergebnis.',
    when: 'Wann',
    why: 'Wofür',
    who: 'Durch wen',
    result: 'Ergebnis',
    more: 'Älter',
    none: 'Kein Zugriff verzeichnet.',
    listed: 'in einer Liste von Anträgen',
    back: 'Meine Möglichkeiten',
    failed: 'Das Protokoll konnte nicht angezeigt werden.',
    signOut: 'Abmelden',
  },
  en: {
    title: 'Who consulted my data?',
    intro: 'Every access to your data through these exchanges, newest first: when, what for, by whom (an organisation, never a person) and with what result.',
    when: 'When',
    why: 'What for',
    who: 'By whom',
    result: 'Result',
    more: 'Older',
    none: 'No access recorded.',
    listed: 'in a list of claims',
    back: 'My possibilities',
    failed: 'The log could not be shown.',
    signOut: 'Sign out',
  },
} satisfies Record<Language, Record<string, string>>;

const PURPOSES: Record<string, Record<Language, string>> = {
  CAREER_BREAK_POSSIBILITIES: {
    fr: 'Vos possibilités d’interruption de carrière',
    nl: 'Uw mogelijkheden voor loopbaanonderbreking',
    de: 'Ihre Möglichkeiten der Laufbahnunterbrechung',
    en: 'Your career-break possibilities',
  },
  CAREER_BREAK_WHAT_IF: {
    fr: 'Une simulation de pause',
    nl: 'Een simulatie van een onderbreking',
    de: 'Eine Simulation einer Unterbrechung',
    en: 'A simulation of a break',
  },
  TRAINING_LEAVE_REIMBURSEMENT: { fr: 'Congé-éducation flamand', nl: 'Vlaams opleidingsverlof', de: 'Flämischer Bildungsurlaub', en: 'Flemish training leave' },
  ACS_PTP_PREMIUM_CHECK: {
    fr: 'Prime ACS / PTP (Actiris)',
    nl: 'GECO- / DSP-premie (Actiris)',
    de: 'ACS- / PTP-Prämie (Actiris)',
    en: 'ACS / PTP premium (Actiris)',
  },
  SUBJECT_ACCESS_LOG: { fr: 'Ce journal', nl: 'Dit logboek', de: 'Dieses Protokoll', en: 'This log' },
};
const ROLES: Record<string, Record<Language, string>> = {
  citizen: { fr: 'Vous (MyCareer)', nl: 'Uzelf (MyCareer)', de: 'Sie selbst (MyCareer)', en: 'You (MyCareer)' },
  employer: { fr: 'Employeur', nl: 'Werkgever', de: 'Arbeitgeber', en: 'Employer' },
  dwse: { fr: 'Département WSE', nl: 'Departement WSE', de: 'Departement WSE', en: 'Department WSE' },
  actiris: { fr: 'Actiris', nl: 'Actiris', de: 'Actiris', en: 'Actiris' },
  system: { fr: 'Traitement automatique', nl: 'Automatische verwerking', de: 'Automatische Verarbeitung', en: 'Automatic processing' },
};
const OUTCOMES: Record<string, Record<Language, string>> = {
  ALLOWED: { fr: 'Autorisé', nl: 'Toegestaan', de: 'Erlaubt', en: 'Allowed' },
  DENIED: { fr: 'Refusé', nl: 'Geweigerd', de: 'Verweigert', en: 'Denied' },
  FAILED: { fr: 'Échoué', nl: 'Mislukt', de: 'Fehlgeschlagen', en: 'Failed' },
};

const current = await requireSession('citizen');
const language = chosenLanguage();
const w = WORDS[language];
document.documentElement.lang = language;
document.title = w.title;
byId('title').textContent = w.title;
byId('intro').textContent = w.intro;
byId('back').textContent = w.back;
header(byId('session'), current, w.signOut);

const api = apiClient(current.token, language);
const rows = byId('rows');
const more = byId<HTMLButtonElement>('more');
more.textContent = w.more;
let next: string | null = null;

const row = (item: Page['items'][number]) =>
  h(
    'tr',
    {},
    h('td', {}, new Date(item.at).toLocaleString(`${language}-BE`)),
    // A list that held a claim about the citizen is told apart from a read of it alone.
    h('td', {}, `${PURPOSES[item.purpose]?.[language] ?? item.purpose} (${item.deliberation})${item.listed ? ` — ${w.listed}` : ''}`),
    // The citizen's own lookups need no organisation beside "you".
    h(
      'td',
      {},
      [ROLES[item.actorRole]?.[language] ?? item.actorRole, item.actorRole === 'citizen' ? undefined : item.actorOrganisation].filter(Boolean).join(' — '),
    ),
    h('td', {}, OUTCOMES[item.outcome]?.[language] ?? item.outcome),
  );

const load = async () => {
  const { data, error } = await api.GET('/v1/me/access-log', { params: { query: { limit: 20, ...(next ? { cursor: next } : {}) } } });
  if (!data) {
    show(byId('status'), h('p', { role: 'alert', class: 'error' }, problemText(error, w.failed)));
    return;
  }
  rows.append(...data.items.map(row));
  if (rows.children.length === 0) show(byId('status'), h('p', {}, w.none));
  next = data.next;
  more.hidden = !next;
};

for (const [id, text] of [
  ['h-when', w.when],
  ['h-why', w.why],
  ['h-who', w.who],
  ['h-result', w.result],
] as const)
  byId(id).textContent = text;
more.addEventListener('click', () => void load());
void load();
