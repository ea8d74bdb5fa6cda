import { formatMonth, formatNumber } from '../i18n/formats.js';
import type { Language, Texts } from '../i18n/language.js';

/**
 * What a premium check finds, in two forms. The check itself (evaluate.ts) writes a `Finding`:
 * its check, its outcome, the key of the text that says it and the figures the text cites (no
 * sentence, no NISS). That is what is stored. A reader gets a `FindingView`, the same finding
 * rendered in their language at answer time (present.ts): the paragraph the check rests on, the
 * check in words (`title`) and the sentence (`detail`).
 */
export const CHECK_NAMES = [
  'NON_REPLACEMENT',
  'PROPORTIONAL_DAYS',
  'EMPLOYER_SHARE',
  'SALARY_BASIS',
  'SALARY_COST_CAP',
  'DOUBLE_SUBSIDY',
  'DECLARATION_MATCH',
  'PTP_CAREER_LIMIT',
  /** The month's DMFA is due: only reported when it is not yet (NOT_DUE_YET), and then alone. */
  'DMFA_DUE',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** NOT_DUE_YET: the DMFA of the month cannot be relied on yet (its declaration deadline has not passed). */
export const FINDING_OUTCOMES = ['PASS', 'FAIL', 'NOT_APPLICABLE', 'NOT_DUE_YET'] as const;
export type FindingOutcome = (typeof FINDING_OUTCOMES)[number];

/** A figure as found or declared: a number, an amount, a month, or a list of DMFA codes. */
export type Figure = string | number | boolean;
/** The figures a text cites: months, quarters, amounts as "1234.56", counts, codes. Never a NISS. */
export type TextParams = Record<string, Figure>;

/** A finding as the check writes it and the store keeps it. */
export interface Finding {
  check: CheckName;
  outcome: FindingOutcome;
  /** The key of the check's text that says it (its `texts` in its definition). */
  text: string;
  params: TextParams;
  declared?: Figure;
  found?: Figure;
  /** Only in a check stored before the texts were keyed: its English sentence, shown as it is. */
  detail?: string;
}

/** A finding as a reader gets it, in the negotiated language. */
export interface FindingView {
  check: CheckName;
  outcome: FindingOutcome;
  /** The rule the check applies, where it is written (deliberation 05/012, the regulations it cites). */
  paragraph: string;
  /** The check in words. */
  title: string;
  /** What the check found, in a sentence. */
  detail: string;
  declared?: Figure;
  found?: Figure;
}

/** One text with its parameters typed (the phrases in nl, fr and en; de falls back to fr). */
export const text = <P extends TextParams = Record<string, never>>(texts: Texts<P>): Texts<P> => texts;

type ParamsOf<T> = T extends Texts<infer P> ? P : never;

// biome-ignore lint/suspicious/noExplicitAny: a table of texts whose parameters differ per text.
type AnyTexts = Record<string, Texts<any>>;

/** A check: its name, the paragraph it applies, its title and its texts, one place per rule. */
export interface CheckDefinition<T extends AnyTexts = AnyTexts> {
  check: CheckName;
  paragraph: string;
  title: Texts;
  texts: T;
}

export const defineCheck = <T extends AnyTexts>(definition: CheckDefinition<T>) => ({
  ...definition,
  /** A finding of this check, said by one of its texts with that text's parameters. */
  finding: <K extends keyof T & string>(
    outcome: FindingOutcome,
    key: K,
    params: ParamsOf<T[K]>,
    figures: { declared?: Figure; found?: Figure } = {},
  ): Finding => ({ check: definition.check, outcome, text: key, params: params as TextParams, ...figures }),
});

// ---- formats the texts share -----------------------------------------------------------------

/** "2024-Q1" → "2024-Q1" (en), "T1 2024" (fr), "K1 2024" (nl), "Q1 2024" (de). */
export const formatQuarter = (quarter: string, language: Language): string => {
  const match = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!match) return quarter;
  const [, year, q] = match;
  return { en: `${year}-Q${q}`, fr: `T${q} ${year}`, nl: `K${q} ${year}`, de: `Q${q} ${year}` }[language];
};

/** FTE as hundredths in a string ("10.20") → "10,20" (nl, fr, de) or "10.20" (en). */
export const formatFte = (fte: string, language: Language): string => (language === 'en' ? fte : fte.replace('.', ','));

/** "2024-08-31" → "31 August 2024", "31 août 2024", "31 augustus 2024", "31. August 2024". */
export const formatLongDate = (isoDate: string, language: Language): string =>
  `${Number(isoDate.slice(8, 10))}${language === 'de' ? '.' : ''} ${formatMonth(isoDate.slice(0, 7), language)}`;

export const formatDays = (days: number, language: Language): string => formatNumber(days, language);
