import { maskIdentifier } from '../domain/identifiers.js';

/**
 * Masks anything that looks like a NISS (11 digits) or an enterprise number (10 digits
 * starting with 0 or 1), with or without the usual punctuation, wherever it appears in a
 * string. Deliberately broader than the check-digit test: a mistyped NISS is still
 * personal data. The price is that a 10-digit epoch second in a message gets masked too.
 */
const NISS_LIKE = /(?<![\d.])\d{2}\.?\d{2}\.?\d{2}[-.]?\d{3}\.?\d{2}(?![\d.])/g;
const ENTERPRISE_LIKE = /(?<![\d.])[01]\d{3}\.?\d{3}\.?\d{3}(?![\d.])/g;

export const maskText = (text: string): string =>
  text.replace(NISS_LIKE, (m) => maskIdentifier(m.replace(/\D/g, ''))).replace(ENTERPRISE_LIKE, (m) => maskIdentifier(m.replace(/\D/g, '')));

/** Masks every string (keys included) of a JSON-like value; other values pass through. */
export const maskDeep = (value: unknown, depth = 0): unknown => {
  if (typeof value === 'string') return maskText(value);
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: maskText(value.message) };
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [maskText(k), maskDeep(v, depth + 1)]));
};
