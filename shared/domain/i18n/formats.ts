import type { Language } from './language.js';

/**
 * Belgian formats of dates, amounts and hours per language, written out rather than taken
 * from Intl: Intl's nl-BE drops the leading zero of the day (3/12/2026) and its fr-BE
 * separators differ between engines, while a decision must read the same in the API, in
 * the pages and in a test.
 */
const GROUP: Record<Language, string> = { nl: '.', fr: '\u202f', de: '.', en: ',' };
const DECIMAL: Record<Language, string> = { nl: ',', fr: ',', de: ',', en: '.' };

const grouped = (whole: string, separator: string) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, separator);

/** "2026-12-03" → "03/12/2026" (nl, fr, de: "03.12.2026"; en: "03/12/2026", the Belgian order). */
export const formatDate = (isoDate: string, language: Language): string => {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) return isoDate;
  const [, year, month, day] = match;
  return language === 'de' ? `${day}.${month}.${year}` : `${day}/${month}/${year}`;
};

/** "1234.56" (the API's amounts) → "€ 1.234,56" (nl, de), "1 234,56 €" (fr), "€1,234.56" (en). */
export const formatEuro = (amount: string, language: Language): string => {
  const [whole = '0', cents = '00'] = amount.split('.');
  const number = `${grouped(whole, GROUP[language])}${DECIMAL[language]}${cents.padEnd(2, '0')}`;
  if (language === 'fr') return `${number}\u00a0€`;
  if (language === 'en') return `€${number}`;
  return `€\u00a0${number}`;
};

/** 12.5 → "12,5" (nl, fr, de) or "12.5" (en): hours travel with at most two decimals. */
export const formatNumber = (value: number, language: Language): string => {
  const [whole = '0', decimals] = String(value).split('.');
  return `${grouped(whole, GROUP[language])}${decimals ? `${DECIMAL[language]}${decimals}` : ''}`;
};

const MONTHS: Record<Language, readonly string[]> = {
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  de: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** "2026-03" → "maart 2026" / "mars 2026" / "March 2026". */
export const formatMonth = (isoMonth: string, language: Language): string => {
  const match = /^(\d{4})-(\d{2})$/.exec(isoMonth);
  if (!match) return isoMonth;
  return `${MONTHS[language][Number(match[2]) - 1]} ${match[1]}`;
};
