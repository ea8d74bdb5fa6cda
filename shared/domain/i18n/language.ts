/**
 * The languages the service answers in, and texts written in them. Belgium's three official
 * languages and English: nl, fr and en are required of every text a reader sees (the
 * Flemish employers and the Departement WSE read Dutch, Actiris French and Dutch); de is
 * written where the citizen pages offer it, and falls back to French otherwise (the German-
 * speaking Community's institutions answer in French when no German text exists).
 */
export const LANGUAGES = ['nl', 'fr', 'de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const isLanguage = (value: unknown): value is Language => typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

type Phrase<P> = string | ((params: P) => string);

/** One text in every language a reader may be given: nl, fr, en required, de optional. */
export type Texts<P = Record<string, never>> = { nl: Phrase<P>; fr: Phrase<P>; en: Phrase<P>; de?: Phrase<P> };

const fallback = (language: Language): Exclude<Language, 'de'> => (language === 'de' ? 'fr' : language);

/** The text in `language` (de falls back to fr), with its parameters filled in. */
export function say(texts: Texts, language: Language): string;
export function say<P>(texts: Texts<P>, language: Language, params: P): string;
export function say<P>(texts: Texts<P>, language: Language, params?: P): string {
  const phrase = texts[language] ?? texts[fallback(language)];
  return typeof phrase === 'function' ? phrase(params as P) : phrase;
}

/**
 * The best of `available` for an Accept-Language header (RFC 9110 §12.5.4): ranges by
 * weight (`q`, case-insensitive), a region ignored (`nl-BE` is `nl`), a language named with
 * q=0 never chosen, `*` the first available one not named with q=0; `available[0]` when
 * nothing matches or the header is absent.
 */
export const preferredLanguage = <L extends string>(header: string | undefined, available: readonly L[]): L => {
  const ranges = (header ?? '').split(',').map((part, index) => {
    const [tag = '', ...attributes] = part.trim().split(';');
    const q = attributes.map((a) => a.trim().toLowerCase()).find((a) => a.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    return { tag: tag.trim().toLowerCase().split('-')[0] ?? '', weight: Number.isFinite(weight) ? weight : 0, index };
  });
  const refused = new Set(ranges.filter((r) => r.weight <= 0).map((r) => r.tag));
  const wanted = ranges.filter((r) => r.tag !== '' && r.weight > 0).sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of wanted) {
    const found = tag === '*' ? available.find((language) => !refused.has(language)) : available.find((language) => language === tag);
    if (found) return found;
  }
  return available[0] as L;
};
