import { formatDate, formatMonth, formatNumber } from '../i18n/formats.js';
import { type Language, say, type Texts } from '../i18n/language.js';
import type { ReasonCode } from './evaluate.js';

/**
 * How a rule step of the training-leave evaluation explains itself. A step (./steps.ts)
 * names its rule, the paragraph it rests on, its title, the title of each reason code it
 * gives, and its sentences in nl, fr and en, each filled in from parameters. A decision
 * stores the parameters, not the sentences: a reason is written in the reader's language
 * when it is read (./render.ts), and an employer, the addressee of the decision, may be
 * given a sentence of its own where the case handlers' one says more than it may know.
 */

/** A parameter of a reason: what a sentence needs, as stored with the decision (JSON). */
export type ReasonParam = string | number | boolean | null | readonly string[] | readonly Readonly<Record<string, string | number>>[];
export type ReasonParams = Readonly<Record<string, ReasonParam>>;

/** Who reads a reason: the DWSE case handlers get every sentence as written; the employer its own where a step gives one. */
export type Audience = 'dwse' | 'employer';

/** How figures are written inside a sentence: bound to one language (or to the stored record). */
export interface Figures {
  date: (isoDate: string) => string;
  month: (isoMonth: string) => string;
  months: (isoMonths: readonly string[]) => string;
  /** "2024-Q4". */
  quarter: (quarter: string) => string;
  /** A number of hours with its unit. */
  hours: (hours: number) => string;
  /** A fraction (0.5) as a percentage ("50 %"). */
  pct: (fraction: number) => string;
  number: (value: number) => string;
}

const percent = (fraction: number) => Math.round(fraction * 10_000) / 100;

/**
 * The figures of the English `detail` a decision keeps as its record (and that decisions
 * stored before parameters have only): ISO dates and months, as it was always written.
 */
export const RECORD_FIGURES: Figures = {
  date: (d) => d,
  month: (m) => m,
  months: (ms) => ms.join(', '),
  quarter: (q) => q,
  hours: (h) => `${h} h`,
  pct: (f) => `${percent(f)} %`,
  number: (n) => String(n),
};

const QUARTER: Record<Language, string> = { nl: 'K', fr: 'T', de: 'Q', en: 'Q' };
const HOUR_UNIT: Record<Language, string> = { nl: 'uur', fr: 'h', de: 'Std.', en: 'h' };

/** The Belgian formats of `language` (shared/domain/i18n/formats.ts). */
export const figuresIn = (language: Language): Figures => ({
  date: (d) => formatDate(d, language),
  month: (m) => formatMonth(m, language),
  months: (ms) => ms.map((m) => formatMonth(m, language)).join(', '),
  quarter: (q) => {
    const match = /^(\d{4})-Q([1-4])$/.exec(q);
    return match ? `${QUARTER[language]}${match[2]} ${match[1]}` : q;
  },
  hours: (h) => `${formatNumber(h, language)} ${HOUR_UNIT[language]}`,
  pct: (f) => `${formatNumber(percent(f), language)} %`,
  number: (n) => formatNumber(n, language),
});

/** What a phrase is given: the reason's parameters and how to write figures. */
export type PhraseInput<P> = P & { f: Figures };

/** One sentence of a step: for the case handlers, and optionally a phrasing for the employer. */
export interface Sentence<P extends ReasonParams = ReasonParams> {
  texts: Texts<PhraseInput<P>>;
  /** What the employer reads instead, where `texts` cite what it may not know (the worker's occupation with other employers). */
  employerTexts?: Texts<PhraseInput<P>>;
}

/** A sentence whose parameters are `P` (given explicitly: `sentence<{ hours: number }>({ texts: … })`). */
export const sentence = <P extends ReasonParams = Record<string, never>>(s: Sentence<P>): Sentence<P> => s;

/** The parameters of a sentence (none for a sentence without figures). */
export type ParamsOf<S> = S extends Sentence<infer P> ? ([P] extends [never] ? Record<string, never> : P) : never;

export interface RuleTexts<S extends Record<string, Sentence<never>>> {
  rule: string;
  /** The paragraph of deliberation 19/038 and the rule ids of docs/training-leave.md it rests on. */
  paragraph: string;
  /** The rule in words (a passed reason's title). */
  title: Texts;
  /** The title of each reason code the step gives (a failed or limiting reason's title). */
  codes: Partial<Record<ReasonCode, Texts>>;
  sentences: S;
}

/** A sentence in `language` for `audience`, its figures in that language's formats. */
export const writeSentence = (s: Sentence<never>, params: ReasonParams, language: Language, audience: Audience): string => {
  const texts = (audience === 'employer' ? (s.employerTexts ?? s.texts) : s.texts) as unknown as Texts<PhraseInput<ReasonParams>>;
  return say(texts, language, { ...params, f: figuresIn(language) } as PhraseInput<ReasonParams>);
};

/** The stored English record of a sentence (ISO figures), as decisions have always kept it in `detail`. */
export const recordSentence = (s: Sentence<never>, params: ReasonParams): string =>
  say(s.texts as unknown as Texts<PhraseInput<ReasonParams>>, 'en', { ...params, f: RECORD_FIGURES } as PhraseInput<ReasonParams>);
