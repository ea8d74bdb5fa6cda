import { describe, expect, it } from 'vitest';
import { preferredLanguage } from '../../shared/domain/i18n/language.js';

/**
 * Adversarial: RFC 9110 §12.5.4. `*` matches every language not named elsewhere in the
 * field, and q=0 means "not acceptable": a reader that refuses Dutch and accepts anything
 * else must not be answered in Dutch when French or English is available.
 */
describe('Accept-Language negotiation (RFC 9110 §12.5.4)', () => {
  const routes = ['nl', 'fr', 'en'] as const;
  it('`*` takes the first language not refused by name', () => {
    expect(preferredLanguage('nl;q=0, *', routes)).toBe('fr');
    expect(preferredLanguage('nl;q=0, *;q=0.5', routes)).toBe('fr');
  });
  it('a named language outranks `*` at the same weight only by order, never by being refused', () => {
    expect(preferredLanguage('*, nl;q=0', routes)).toBe('fr');
  });
  it('the q parameter is case-insensitive (RFC 9110 §12.4.2: "Q=0" is q=0)', () => {
    expect(preferredLanguage('fr;Q=0.1, en;q=0.5', routes)).toBe('en');
  });
});
