import * as z from 'zod/mini';
import './locale.js';
import { isValidEnterpriseNumber, isValidNiss } from '../domain/identifiers.js';

/** Field schemas shared by every edge; messages say what was expected. */
export const nissField = z.string({ error: 'expected a NISS as a string of 11 digits' }).check(
  z.length(11, { error: 'expected a NISS of 11 digits' }),
  z.refine(isValidNiss, { error: 'expected a valid NISS: 11 digits whose last two are the mod-97 check' }),
  // For the OpenAPI document: the shape (the check digits are verified at run time only).
  z.meta({ description: 'A NISS: 11 digits whose last two are the mod-97 check.', pattern: '^\\d{11}$', examples: ['85073003328'] }),
);

export const enterpriseNumberField = z
  .string({ error: 'expected an enterprise number as a string of 10 digits' })
  .check(
    z.length(10, { error: 'expected an enterprise number of 10 digits' }),
    z.refine(isValidEnterpriseNumber, { error: 'expected a valid enterprise number: 10 digits starting with 0 or 1, mod-97 check' }),
    z.meta({ description: 'An enterprise number (KBO/BCE): 10 digits starting with 0 or 1, mod-97 check.', pattern: '^[01]\\d{9}$', examples: ['0403170701'] }),
  );

export const isoDateField = z.iso.date({ error: 'expected an ISO date YYYY-MM-DD' }).check(z.length(10, { error: 'expected an ISO date YYYY-MM-DD' }));

/**
 * An instant as the service writes it (ISO 8601 with its offset): in answers. At most 35
 * characters: seconds to the nanosecond and an offset (the service writes 24, `toISOString`).
 */
export const instantField = z.iso.datetime({ offset: true }).check(z.maxLength(35));

export const monthField = z
  .string()
  .check(z.length(7, { error: 'expected a month YYYY-MM' }), z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'expected a month YYYY-MM' }));

export const schoolYearField = z.string().check(
  z.length(9, { error: 'expected a school year YYYY-YYYY, e.g. 2024-2025' }),
  z.regex(/^\d{4}-\d{4}$/, { error: 'expected a school year YYYY-YYYY, e.g. 2024-2025' }),
  z.refine((v) => Number(v.slice(5)) === Number(v.slice(0, 4)) + 1, { error: 'a school year runs over two consecutive years, e.g. 2024-2025' }),
);

/** Euro amounts and FTE travel as decimal strings, never as floats. */
export const decimalField = (what: string, maxDecimals = 2) =>
  z.string({ error: `expected ${what} as a decimal string such as "1500.00"` }).check(
    // The longest the pattern admits: 9 digits, the point, the decimals.
    z.maxLength(10 + maxDecimals, { error: `expected ${what} with at most 9 digits before the point` }),
    z.regex(new RegExp(`^\\d{1,9}(\\.\\d{1,${maxDecimals}})?$`), {
      error: `expected ${what} as a non-negative decimal string with at most ${maxDecimals} decimals`,
    }),
  );

/**
 * Hours that go by half hours: a positive multiple of 0.5 up to `max`. Checked on the
 * doubled value being a whole number, so no float (1e-100, 5e-324, 0.5000000000000001)
 * slips through the way a remainder test with a tolerance lets it.
 */
export const isHalfHours = (h: number, max: number) => Number.isInteger(h * 2) && h >= 0.5 && h <= max;

export const halfHoursField = (max: number) =>
  z.number({ error: 'expected a number of hours' }).check(
    z.superRefine((h, ctx) => {
      if (!Number.isInteger(h * 2) || h < 0.5) ctx.addIssue({ code: 'custom', message: 'expected hours in half hours: 0.5, 1, 1.5, …' });
      else if (h > max) ctx.addIssue({ code: 'custom', message: `expected at most ${max} hours` });
    }),
  );

/**
 * Answer-only text written by the service (labels, explanations, reasons): bounded so the
 * document can say how long an answer's text may be; the unit tests check every text the
 * domain writes fits (test/unit/openapi.test.ts).
 */
export const TEXT_MAX_LENGTH = 1_000;
export const textField = z.string().check(z.maxLength(TEXT_MAX_LENGTH));

/** A short code or name the service writes in an answer (a rule, a purpose, a role, an organisation). */
export const NAME_MAX_LENGTH = 100;
export const nameField = z.string().check(z.maxLength(NAME_MAX_LENGTH), z.regex(/^[A-Za-z0-9 _.:/-]*$/));

/** A list's cursor: base64url, as the lists write it (shared/storage, shared/audit). */
export const cursorField = (maxLength: number) =>
  z.string().check(z.minLength(1), z.maxLength(maxLength), z.regex(/^[A-Za-z0-9_-]+$/, { error: 'expected a cursor this list gave' }));

/** A euro amount as the service writes it (two decimals), in answers: at most 12 digits before the point. */
export const euroField = z.string().check(z.maxLength(15), z.regex(/^\d{1,12}\.\d{2}$/));

/**
 * An Accept-Language header (RFC 9110 §12.5.4: language ranges with weights), on the routes
 * that answer in several languages: at most 256 characters, which a browser's list never nears.
 */
export const acceptLanguageField = z
  .string()
  .check(
    z.maxLength(256, { error: 'expected at most 256 characters' }),
    z.regex(/^[A-Za-z0-9*,;=.\t -]*$/, { error: 'expected language ranges such as "nl-BE,nl;q=0.9,en;q=0.5"' }),
  );
