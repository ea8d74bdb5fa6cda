import { h, type Language } from './common.js';

/**
 * The reasons the API gives, as the employer, DWSE and Actiris pages show them: each one's
 * title in words with its code beside it (a `<code>`, small), its sentence, and the
 * paragraph of the rules it applies. The API writes `title` and `detail` in the language
 * the page asked (Accept-Language); an answer without a title (an older API) shows the code
 * in its place, and one without a paragraph shows none.
 *
 * - a decision reason (training leave): `{ rule, outcome, code?, paragraph, title, detail }`;
 * - a premium finding (Actiris): `{ check, outcome, paragraph, title, detail, declared?, found? }`;
 * - why a claim waits: `{ code, title, detail }`.
 */
export interface Explained {
  title?: string;
  detail?: string;
  paragraph?: string;
}
export type DecisionReason = Explained & { rule: string; outcome: string; code?: string };
export type WaitingReason = Explained & { code: string };

/** The words of the reason tables, in the languages of the pages that show them. */
export const REASON_WORDS = {
  nl: {
    rule: 'Regel',
    result: 'Resultaat',
    explanation: 'Toelichting',
    paragraph: 'Grondslag',
    reasonsCaption: 'Redenen: elke toegepaste regel, met zijn toelichting',
    PASSED: 'voldaan',
    FAILED: 'niet voldaan',
    LIMITED: 'beperkt',
    PASS: 'conform',
    FAIL: 'niet conform',
    NOT_APPLICABLE: 'niet van toepassing',
    NOT_DUE_YET: 'nog niet aangegeven',
    waitingFor: 'Wacht op',
  },
  fr: {
    rule: 'Règle',
    result: 'Résultat',
    explanation: 'Explication',
    paragraph: 'Base',
    reasonsCaption: 'Motifs : chaque règle appliquée, avec son explication',
    PASSED: 'remplie',
    FAILED: 'non remplie',
    LIMITED: 'limitée',
    PASS: 'conforme',
    FAIL: 'non conforme',
    NOT_APPLICABLE: 'sans objet',
    NOT_DUE_YET: 'pas encore déclaré',
    waitingFor: 'En attente de',
  },
  en: {
    rule: 'Rule',
    result: 'Result',
    explanation: 'Explanation',
    paragraph: 'Basis',
    reasonsCaption: 'Reasons: each rule applied, with its explanation',
    PASSED: 'met',
    FAILED: 'not met',
    LIMITED: 'limited',
    PASS: 'conform',
    FAIL: 'not conform',
    NOT_APPLICABLE: 'not applicable',
    NOT_DUE_YET: 'not declared yet',
    waitingFor: 'Waiting for',
  },
} satisfies Record<Exclude<Language, 'de'>, Record<string, string>>;
export type ReasonLanguage = keyof typeof REASON_WORDS;
type Words = (typeof REASON_WORDS)[ReasonLanguage];

/** An outcome code in words ("PASSED" → "voldaan"); an unknown one as it is. */
export const outcomeWord = (outcome: string, language: ReasonLanguage): string => (REASON_WORDS[language] as Record<string, string>)[outcome] ?? outcome;

/** The title in words with the code beside it; the code alone when the API gives no title. */
export const titled = (reason: Explained, code: string | undefined) =>
  reason.title
    ? h('span', { class: 'reason-title' }, reason.title, code ? ' ' : null, code ? h('code', { class: 'code' }, code) : null)
    : h('span', { class: 'reason-title' }, code ? h('code', {}, code) : '—');

/** The sentence, then the paragraph it applies (small, on its own line). */
export const explained = (reason: Explained, w: Words) => [
  reason.detail ? h('span', { class: 'reason-detail' }, reason.detail) : null,
  reason.paragraph ? h('span', { class: 'paragraph' }, `${w.paragraph}: ${reason.paragraph}`) : null,
];

/** A decision's reasons as a table: rule (title and code), result, explanation and paragraph. */
export const reasonsTable = (reasons: readonly DecisionReason[], language: ReasonLanguage, id = 'reasons') => {
  const w = REASON_WORDS[language];
  return h(
    'table',
    { id, class: 'reasons-table' },
    h('caption', {}, w.reasonsCaption),
    h('thead', {}, h('tr', {}, ...[w.rule, w.result, w.explanation].map((t) => h('th', { scope: 'col' }, t)))),
    h(
      'tbody',
      {},
      ...reasons.map((r) =>
        h(
          'tr',
          { class: r.outcome.toLowerCase(), 'data-rule': r.rule, 'data-outcome': r.outcome, ...(r.code ? { 'data-code': r.code } : {}) },
          h('th', { scope: 'row' }, titled(r, r.code ?? r.rule)),
          h('td', { class: 'outcome' }, outcomeWord(r.outcome, language)),
          h('td', {}, ...explained(r, w)),
        ),
      ),
    ),
  );
};

/**
 * Why a claim waits, if the answer says: the field is `waitingFor` or `waiting` (the API's
 * waiting status is being added; either name is read), a reason or a bare code.
 */
export const waitingReasonOf = (claim: object): WaitingReason | undefined => {
  const value = (claim as { waitingFor?: unknown; waiting?: unknown }).waitingFor ?? (claim as { waiting?: unknown }).waiting;
  if (typeof value === 'string') return { code: value };
  if (value && typeof value === 'object' && typeof (value as { code?: unknown }).code === 'string') return value as WaitingReason;
  return undefined;
};

/** The waiting reason as a notice: its title and code, and its sentence. */
export const waitingNotice = (reason: WaitingReason, language: ReasonLanguage) => {
  const w = REASON_WORDS[language];
  return h(
    'div',
    { class: 'notice', id: 'waiting', 'data-code': reason.code },
    h('p', {}, h('strong', {}, `${w.waitingFor}: `), titled(reason, reason.code)),
    reason.detail ? h('p', {}, ...explained(reason, w)) : null,
  );
};
