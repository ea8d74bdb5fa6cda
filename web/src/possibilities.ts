import type { components, paths } from '../../shared/client/client.js';
import { monthsText, type Reason, REGIMES, type Regime } from '../../shared/domain/career-break/codes.js';
import {
  apiClient,
  byId,
  chosenLanguage,
  formatDate,
  formatNumber,
  h,
  header,
  type Language,
  problemText,
  rememberLanguage,
  requireSession,
  show,
} from './common.js';

/**
 * The citizen's possibilities, as MyCareer shows them (deliberation 24/012): one block per
 * reason with the months left per regime, closed reasons with ONEM's explanation, and the
 * pre-filter's message when it fails. The labels of reasons and closures come from the API in
 * the language asked (Accept-Language); the page's own words are here, in the same four.
 */
type Answer = components['schemas']['careerBreakPossibilities.citizen'];
type WhatIf = components['schemas']['careerBreakWhatIf.citizen'];
type PlanBody = NonNullable<paths['/v1/career-break/what-if']['post']['requestBody']>['content']['application/json'];

const WORDS = {
  fr: {
    ofMaximum: (of: string) => `sur ${of}`,
    byPlan: (n: string) => `${n} de moins avec ce plan`,
    barGone: 'plus disponibles',
    barPlan: 'pris par ce plan',
    barLeft: 'restants',
    planTitle: 'Et si je prenais une pause ?',
    planIntro: 'Simulez un plan : ce qu’il vous resterait après, calculé sur les compteurs d’ONEM avec les règles publiées. Rien n’est conservé.',
    reason: 'Motif',
    regimeLabel: 'Régime',
    monthsLabel: 'Nombre de mois',
    fromLabel: 'À partir du',
    simulate: 'Simuler',
    fits: 'Ce plan est possible',
    notFits: 'Ce plan n’est pas possible',
    until: 'Il se terminerait le',
    after: 'Vos possibilités après ce plan',
    toCheck: 'À vérifier',
    accessLog: 'Qui a consulté mes données ?',
    title: 'Vos possibilités d’interruption de carrière et de crédit-temps',
    intro: 'Les mois qu’il vous reste, par motif et par régime, tels que l’ONEM les calcule. Ils sont affichés sans être conservés.',
    FULL_TIME: 'Temps plein',
    HALF_TIME: 'Mi-temps',
    ONE_FIFTH: 'Un cinquième',
    ONE_TENTH: 'Un dixième',
    available: 'Possible',
    closed: 'Fermé',
    regime: 'Régime',
    left: 'Mois restants',
    employer: 'Employeur',
    loading: 'Chargement…',
    failed: 'Vos possibilités n’ont pas pu être affichées.',
    language: 'Langue',
    signOut: 'Se déconnecter',
    UNDER_18: 'Vous devez avoir au moins 18 ans pour consulter vos possibilités d’interruption de carrière.',
    NO_PUBLIC_OR_PRIVATE_SECTOR_CAREER:
      'Aucune carrière de travailleur salarié du secteur public ou privé n’est connue pour vous : l’interruption de carrière et le crédit-temps ne s’appliquent pas.',
  },
  nl: {
    ofMaximum: (of: string) => `van de ${of}`,
    byPlan: (n: string) => `${n} minder door dit plan`,
    barGone: 'niet meer beschikbaar',
    barPlan: 'door dit plan',
    barLeft: 'over',
    planTitle: 'Wat als ik een onderbreking neem?',
    planIntro: 'Simuleer een plan: wat u daarna nog zou hebben, berekend op de tellers van de RVA met de gepubliceerde regels. Er wordt niets bewaard.',
    reason: 'Reden',
    regimeLabel: 'Stelsel',
    monthsLabel: 'Aantal maanden',
    fromLabel: 'Vanaf',
    simulate: 'Simuleren',
    fits: 'Dit plan is mogelijk',
    notFits: 'Dit plan is niet mogelijk',
    until: 'Het zou eindigen op',
    after: 'Uw mogelijkheden na dit plan',
    toCheck: 'Na te gaan',
    accessLog: 'Wie heeft mijn gegevens geraadpleegd?',
    title: 'Uw mogelijkheden voor loopbaanonderbreking en tijdskrediet',
    intro: 'De maanden die u nog hebt, per reden en per stelsel, zoals de RVA ze berekent. Ze worden getoond zonder te worden bewaard.',
    FULL_TIME: 'Voltijds',
    HALF_TIME: 'Halftijds',
    ONE_FIFTH: 'Eén vijfde',
    ONE_TENTH: 'Eén tiende',
    available: 'Mogelijk',
    closed: 'Gesloten',
    regime: 'Stelsel',
    left: 'Resterende maanden',
    employer: 'Werkgever',
    loading: 'Laden…',
    failed: 'Uw mogelijkheden konden niet worden getoond.',
    language: 'Taal',
    signOut: 'Afmelden',
    UNDER_18: 'U moet minstens 18 jaar zijn om uw mogelijkheden voor loopbaanonderbreking te raadplegen.',
    NO_PUBLIC_OR_PRIVATE_SECTOR_CAREER:
      'Er is voor u geen loopbaan als werknemer in de openbare of de privésector bekend: loopbaanonderbreking en tijdskrediet zijn niet van toepassing.',
  },
  de: {
    ofMaximum: (of: string) => `von ${of}`,
    byPlan: (n: string) => `${n} weniger durch diesen Plan`,
    barGone: 'nicht mehr verfügbar',
    barPlan: 'durch diesen Plan',
    barLeft: 'verbleibend',
    planTitle: 'Was wäre, wenn ich eine Unterbrechung nehme?',
    planIntro:
      'Simulieren Sie einen Plan: was Ihnen danach bliebe, berechnet auf den Zählern des LfA mit den veröffentlichten Regeln. Nichts wird gespeichert.',
    reason: 'Grund',
    regimeLabel: 'Regelung',
    monthsLabel: 'Anzahl Monate',
    fromLabel: 'Ab dem',
    simulate: 'Simulieren',
    fits: 'Dieser Plan ist möglich',
    notFits: 'Dieser Plan ist nicht möglich',
    until: 'Er würde enden am',
    after: 'Ihre Möglichkeiten nach diesem Plan',
    toCheck: 'Zu prüfen',
    accessLog: 'Wer hat meine Daten eingesehen?',
    title: 'Ihre Möglichkeiten der Laufbahnunterbrechung und des Zeitkredits',
    intro: 'Die Monate, die Ihnen bleiben, je Grund und Regelung, wie das LfA sie berechnet. Sie werden angezeigt, ohne gespeichert zu werden.',
    FULL_TIME: 'Vollzeit',
    HALF_TIME: 'Halbzeit',
    ONE_FIFTH: 'Ein Fünftel',
    ONE_TENTH: 'Ein Zehntel',
    available: 'Möglich',
    closed: 'Geschlossen',
    regime: 'Regelung',
    left: 'Verbleibende Monate',
    employer: 'Arbeitgeber',
    loading: 'Wird geladen…',
    failed: 'Ihre Möglichkeiten konnten nicht angezeigt werden.',
    language: 'Sprache',
    signOut: 'Abmelden',
    UNDER_18: 'Sie müssen mindestens 18 Jahre alt sein, um Ihre Möglichkeiten einer Laufbahnunterbrechung einzusehen.',
    NO_PUBLIC_OR_PRIVATE_SECTOR_CAREER:
      'Für Sie ist keine Laufbahn als Arbeitnehmer im öffentlichen oder privaten Sektor bekannt: Laufbahnunterbrechung und Zeitkredit gelten nicht.',
  },
  en: {
    ofMaximum: (of: string) => `of ${of}`,
    byPlan: (n: string) => `${n} fewer with this plan`,
    barGone: 'no longer available',
    barPlan: 'taken by this plan',
    barLeft: 'left',
    planTitle: 'What if I took a break?',
    planIntro: 'Simulate a plan: what you would have left after it, computed on ONEM’s counters with the published rules. Nothing is kept.',
    reason: 'Reason',
    regimeLabel: 'Regime',
    monthsLabel: 'Number of months',
    fromLabel: 'From',
    simulate: 'Simulate',
    fits: 'This plan is possible',
    notFits: 'This plan is not possible',
    until: 'It would end on',
    after: 'Your possibilities after this plan',
    toCheck: 'To check',
    accessLog: 'Who consulted my data?',
    title: 'Your career-break and time-credit possibilities',
    intro: 'The months you have left, per reason and per regime, as ONEM computes them. They are shown without being stored.',
    FULL_TIME: 'Full time',
    HALF_TIME: 'Half time',
    ONE_FIFTH: 'One fifth',
    ONE_TENTH: 'One tenth',
    available: 'Possible',
    closed: 'Closed',
    regime: 'Regime',
    left: 'Months left',
    employer: 'Employer',
    loading: 'Loading…',
    failed: 'Your possibilities could not be shown.',
    language: 'Language',
    signOut: 'Sign out',
    UNDER_18: 'You must be at least 18 to see your career-break possibilities.',
    NO_PUBLIC_OR_PRIVATE_SECTOR_CAREER: 'No career as an employee in the public or private sector is known for you: career break and time credit do not apply.',
  },
} satisfies Record<Language, Record<string, string | ((...args: string[]) => string)>>;
type Words = (typeof WORDS)[Language];

const current = await requireSession('citizen');
let language = chosenLanguage();

/**
 * The most months each reason gives in each regime, as the rules publish them
 * (docs/career-break.md A.1–A.3; ONEM's answer has what is left only): the scale of the bar
 * that shows, at a glance, what was used and what is left. The 51-month time-credit pool for
 * the care motives, 36 for training inside it, parental leave 4 / 8 / 20 / 40 per child,
 * medical assistance 12 / 24 per patient, palliative leave 3 per patient, informal carer
 * 3 / 6 per person, the public break 60 full and 60 partial. A counter above its figure (a
 * doubled medical-assistance right, a career count) is its own scale.
 */
const MAXIMUM_MONTHS: Record<Reason, Partial<Record<Regime, number>>> = {
  CHILD_UNDER_8: { FULL_TIME: 51, HALF_TIME: 51, ONE_FIFTH: 51 },
  DISABLED_CHILD_UNDER_21: { FULL_TIME: 51, HALF_TIME: 51, ONE_FIFTH: 51 },
  SERIOUSLY_ILL_MINOR_CHILD: { FULL_TIME: 51, HALF_TIME: 51, ONE_FIFTH: 51 },
  SERIOUSLY_ILL_RELATIVE: { FULL_TIME: 51, HALF_TIME: 51, ONE_FIFTH: 51 },
  PALLIATIVE_CARE_TIME_CREDIT: { FULL_TIME: 51, HALF_TIME: 51, ONE_FIFTH: 51 },
  TRAINING: { FULL_TIME: 36, HALF_TIME: 36, ONE_FIFTH: 36 },
  PALLIATIVE_CARE: { FULL_TIME: 3, HALF_TIME: 3, ONE_FIFTH: 3 },
  PARENTAL_LEAVE: { FULL_TIME: 4, HALF_TIME: 8, ONE_FIFTH: 20, ONE_TENTH: 40 },
  MEDICAL_ASSISTANCE: { FULL_TIME: 12, HALF_TIME: 24, ONE_FIFTH: 24 },
  INFORMAL_CARER: { FULL_TIME: 3, HALF_TIME: 6, ONE_FIFTH: 6 },
  OTHER: { FULL_TIME: 60, HALF_TIME: 60, ONE_FIFTH: 60 },
};

/** Down to the hundredth, as the counters are shown: never more than is left. */
const floor2 = (n: number) => Math.floor(n * 100 + 1e-9) / 100;

/**
 * What is left in a regime out of the most the reason gives, in words ("van de 36", "12
 * minder door dit plan"), and the same as a bar: no longer available (used, here or by a
 * reason sharing the pool), taken by the plan, left. The bar is decorative (aria-hidden):
 * the figures are all in the text beside it.
 */
const usage = (reason: Reason, regime: Regime, left: number, before: number | undefined, w: Words) => {
  const scale = Math.max(MAXIMUM_MONTHS[reason][regime] ?? 0, left, before ?? 0);
  if (scale <= 0) return [];
  const byPlan = before !== undefined ? Math.max(0, floor2(before - left)) : 0;
  const usedBefore = Math.max(0, floor2(scale - left - byPlan));
  const number = (n: number) => formatNumber(n, language);
  const segment = (name: string, months: number) => {
    const part = h('span', { class: `bar-${name}` });
    part.style.width = `${(months / scale) * 100}%`;
    return part;
  };
  return [
    h('span', { class: 'of' }, ` ${w.ofMaximum(number(scale))}`),
    byPlan > 0 ? h('span', { class: 'by-plan' }, w.byPlan(number(byPlan))) : null,
    h(
      'span',
      { class: 'bar', 'aria-hidden': 'true', 'data-gone': String(usedBefore), 'data-plan': String(byPlan), 'data-left': String(left) },
      segment('gone', usedBefore),
      byPlan > 0 ? segment('plan', byPlan) : null,
      segment('left', left),
    ),
  ];
};

/** What the bar's colours say, in words (the swatches themselves are decorative). */
const barLegend = (w: Words, withPlan: boolean) =>
  h(
    'p',
    { class: 'bar-legend' },
    ...[['gone', w.barGone] as const, ...(withPlan ? [['plan', w.barPlan] as const] : []), ['left', w.barLeft] as const].map(([name, text]) =>
      h('span', {}, h('span', { class: `swatch bar-${name}`, 'aria-hidden': 'true' }), text),
    ),
  );

/** Before a plan: `before` is absent; after it, ONEM's own figures per regime, to show what the plan takes. */
const block = (reason: Answer['reasons'][number], w: Words, prefix = 'reason', before?: Answer['reasons'][number]) => {
  const regimes = REGIMES.filter((r) => reason.remainingMonths[r] !== undefined);
  return h(
    'section',
    { class: `reason ${reason.available ? 'open' : 'closed'}`, 'aria-labelledby': `${prefix}-${reason.reason}`, 'data-reason': reason.reason },
    h(
      prefix === 'reason' ? 'h2' : 'h4',
      { id: `${prefix}-${reason.reason}` },
      reason.label,
      ' ',
      h('span', { class: 'badge' }, reason.available ? w.available : w.closed),
    ),
    regimes.length > 0
      ? h(
          'table',
          {},
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, w.regime), h('th', { scope: 'col' }, w.left))),
          h(
            'tbody',
            {},
            ...regimes.map((r) =>
              h(
                'tr',
                { 'data-regime': r },
                h('th', { scope: 'row' }, w[r]),
                h(
                  'td',
                  { class: 'months' },
                  h('span', { class: 'left' }, monthsText(reason.remainingMonths[r], language)),
                  ...usage(reason.reason, r, reason.remainingMonths[r] ?? 0, before ? (before.remainingMonths[r] ?? 0) : undefined, w),
                ),
              ),
            ),
          ),
        )
      : null,
    reason.closedBecause.length > 0 ? h('ul', { class: 'because' }, ...reason.closedBecause.map((c) => h('li', { 'data-code': c.code }, c.label))) : null,
  );
};

const render = async () => {
  const w = WORDS[language];
  rememberLanguage(language);
  document.documentElement.lang = language;
  document.title = w.title;
  byId('title').textContent = w.title;
  byId('intro').textContent = w.intro;
  byId('language-label').textContent = w.language;
  byId('access-log-link').textContent = w.accessLog;
  header(byId('session'), current, w.signOut);
  const select = byId<HTMLSelectElement>('language');
  select.value = language;
  const content = byId('content');
  show(content, h('p', { role: 'status' }, w.loading));
  const { data, error } = await apiClient(current.token, language).GET('/v1/career-break/possibilities');
  if (!data) {
    show(content, h('p', { role: 'alert', class: 'error' }, w.failed, ' ', problemText(error, '')));
    return;
  }
  if (!data.preconditions.met) {
    show(content, ...data.preconditions.failed.map((code) => h('p', { role: 'alert', class: 'notice', 'data-precondition': code }, w[code] ?? code)));
    return;
  }
  show(
    content,
    data.employer ? h('p', { class: 'employer' }, `${w.employer}: ${data.employer.enterpriseNumber}`) : null,
    barLegend(w, false),
    h('div', { class: 'reasons' }, ...data.reasons.map((reason) => block(reason, w))),
    planForm(data, w),
  );
};

// ---- what-if (POST /v1/career-break/what-if) ----------------------------------------------

const planForm = (data: Answer, w: Words) => {
  const offered = data.reasons.filter((r) => r.available);
  const result = h('div', { id: 'plan-result', 'aria-live': 'polite' });
  const reasonSelect = h(
    'select',
    { id: 'plan-reason', name: 'reason' },
    ...offered.map((r) => h('option', { value: r.reason }, r.label)),
  ) as HTMLSelectElement;
  const regimeSelect = h('select', { id: 'plan-regime', name: 'regime' }) as HTMLSelectElement;
  const regimesOf = () => {
    const chosen = offered.find((r) => r.reason === reasonSelect.value);
    show(regimeSelect, ...REGIMES.filter((g) => chosen?.remainingMonths[g] !== undefined).map((g) => h('option', { value: g }, w[g])));
  };
  reasonSelect.addEventListener('change', regimesOf);
  regimesOf();
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
    const body = { reason: value('reason'), regime: value('regime'), months: Number(value('months')), from: value('from') } as PlanBody;
    show(result, h('p', { role: 'status' }, w.loading));
    let answer: Awaited<ReturnType<ReturnType<typeof apiClient>['POST']>> | undefined;
    try {
      answer = await apiClient(current.token, language).POST('/v1/career-break/what-if', { body });
    } catch {
      // The network failed: say so, rather than leave the previous result on screen.
      answer = undefined;
    }
    const outcome = answer?.data as WhatIf | undefined;
    if (!outcome) return show(result, h('p', { role: 'alert', class: 'error' }, problemText(answer?.error as never, w.failed)));
    const { plan } = outcome;
    show(
      result,
      h('p', { class: plan.fits ? 'ok' : 'error', id: 'plan-verdict', 'data-fits': String(plan.fits) }, plan.fits ? w.fits : w.notFits),
      plan.fits ? h('p', { id: 'plan-until' }, `${w.until} ${formatDate(plan.until, language)}`) : null,
      plan.refusedBecause.length > 0
        ? h('ul', { class: 'because', id: 'plan-refused' }, ...plan.refusedBecause.map((r) => h('li', { 'data-code': r.code }, r.label)))
        : null,
      plan.caveats.length > 0
        ? h(
            'div',
            { class: 'notice' },
            h('p', {}, h('strong', {}, w.toCheck)),
            h('ul', {}, ...plan.caveats.map((c) => h('li', { 'data-code': c.code }, c.label))),
          )
        : null,
      plan.fits ? h('h3', {}, w.after) : null,
      plan.fits ? barLegend(w, true) : null,
      plan.fits
        ? h(
            'div',
            { class: 'reasons', id: 'plan-after' },
            ...outcome.reasons.map((reason) =>
              block(
                reason,
                w,
                'after',
                data.reasons.find((r) => r.reason === reason.reason),
              ),
            ),
          )
        : null,
    );
  };
  return h(
    'section',
    { 'aria-labelledby': 'plan-title', class: 'plan' },
    h('h2', { id: 'plan-title' }, w.planTitle),
    h('p', { class: 'intro' }, w.planIntro),
    h(
      'form',
      { id: 'plan', onsubmit: (e) => void submit(e) },
      h('div', { class: 'field' }, h('label', { for: 'plan-reason' }, w.reason), reasonSelect),
      h('div', { class: 'field' }, h('label', { for: 'plan-regime' }, w.regimeLabel), regimeSelect),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'plan-months' }, w.monthsLabel),
        h('input', { id: 'plan-months', name: 'months', type: 'number', min: '1', max: '120', value: '6', required: true }),
      ),
      h('div', { class: 'field' }, h('label', { for: 'plan-from' }, w.fromLabel), h('input', { id: 'plan-from', name: 'from', type: 'date', required: true })),
      h('button', { type: 'submit' }, w.simulate),
    ),
    result,
  );
};

byId<HTMLSelectElement>('language').addEventListener('change', (event) => {
  language = (event.target as HTMLSelectElement).value as Language;
  void render();
});
void render();
