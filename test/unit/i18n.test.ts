import { describe, expect, it } from 'vitest';
import { formatDate, formatEuro, formatMonth, formatNumber } from '../../shared/domain/i18n/formats.js';
import { preferredLanguage, say, type Texts } from '../../shared/domain/i18n/language.js';

describe('texts in the reader language', () => {
  const greeting: Texts<{ name: string }> = { nl: ({ name }) => `Dag ${name}`, fr: ({ name }) => `Bonjour ${name}`, en: ({ name }) => `Hello ${name}` };

  it('fills the parameters of the chosen language, and falls back from de to fr', () => {
    expect(say(greeting, 'nl', { name: 'An' })).toBe('Dag An');
    expect(say(greeting, 'de', { name: 'An' })).toBe('Bonjour An');
    expect(say({ nl: 'ja', fr: 'oui', en: 'yes', de: 'ja!' }, 'de')).toBe('ja!');
  });

  it('negotiates Accept-Language by weight, ignoring regions, defaulting to the first available', () => {
    expect(preferredLanguage('fr-BE,fr;q=0.9,en;q=0.5', ['nl', 'fr', 'en'])).toBe('fr');
    expect(preferredLanguage('en;q=0.4,nl-BE;q=0.8', ['fr', 'nl', 'en'])).toBe('nl');
    expect(preferredLanguage('es,it', ['nl', 'fr'])).toBe('nl');
    expect(preferredLanguage(undefined, ['fr', 'nl'])).toBe('fr');
    expect(preferredLanguage('*', ['en', 'fr'])).toBe('en');
    expect(preferredLanguage('fr;q=0, nl', ['fr', 'nl'])).toBe('nl');
    expect(preferredLanguage('fr;q=abc', ['en', 'fr'])).toBe('en');
  });
});

describe('Belgian formats', () => {
  it('writes dates day first with leading zeros', () => {
    expect(formatDate('2026-12-03', 'nl')).toBe('03/12/2026');
    expect(formatDate('2026-12-03', 'fr')).toBe('03/12/2026');
    expect(formatDate('2026-12-03T10:00:00Z', 'de')).toBe('03.12.2026');
  });

  it('writes euro amounts as each language does in Belgium', () => {
    expect(formatEuro('1234.56', 'nl')).toBe('€\u00a01.234,56');
    expect(formatEuro('1234.56', 'fr')).toBe('1\u202f234,56\u00a0€');
    expect(formatEuro('1234567.5', 'en')).toBe('€1,234,567.50');
    expect(formatEuro('0.00', 'nl')).toBe('€\u00a00,00');
  });

  it('writes hours and months', () => {
    expect(formatNumber(12.5, 'nl')).toBe('12,5');
    expect(formatNumber(1250, 'fr')).toBe('1\u202f250');
    expect(formatNumber(7, 'en')).toBe('7');
    expect(formatMonth('2026-03', 'nl')).toBe('maart 2026');
    expect(formatMonth('2026-08', 'fr')).toBe('août 2026');
  });
});
