import * as z from 'zod';
import { isValidEnterpriseNumber, isValidNiss } from '../domain/identifiers.js';

/** Field schemas shared by every edge; messages say what was expected. */
export const nissField = z
  .string({ error: 'expected a NISS as a string of 11 digits' })
  .refine(isValidNiss, { error: 'expected a valid NISS: 11 digits whose last two are the mod-97 check' })
  // For the OpenAPI document: the shape (the check digits are verified at run time only).
  .meta({ description: 'A NISS: 11 digits whose last two are the mod-97 check.', pattern: '^\\d{11}$', examples: ['85073003328'] });

export const enterpriseNumberField = z
  .string({ error: 'expected an enterprise number as a string of 10 digits' })
  .refine(isValidEnterpriseNumber, { error: 'expected a valid enterprise number: 10 digits starting with 0 or 1, mod-97 check' })
  .meta({ description: 'An enterprise number (KBO/BCE): 10 digits starting with 0 or 1, mod-97 check.', pattern: '^[01]\\d{9}$', examples: ['0403170701'] });

export const isoDateField = z.iso.date({ error: 'expected an ISO date YYYY-MM-DD' });

/** An instant as the service writes it (ISO 8601 with its offset): in answers. */
export const instantField = z.iso.datetime({ offset: true });

export const monthField = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'expected a month YYYY-MM' });

export const schoolYearField = z
  .string()
  .regex(/^\d{4}-\d{4}$/, { error: 'expected a school year YYYY-YYYY, e.g. 2024-2025' })
  .refine((v) => Number(v.slice(5)) === Number(v.slice(0, 4)) + 1, { error: 'a school year runs over two consecutive years, e.g. 2024-2025' });

/** Euro amounts and FTE travel as decimal strings, never as floats. */
export const decimalField = (what: string, maxDecimals = 2) =>
  z.string({ error: `expected ${what} as a decimal string such as "1500.00"` }).regex(new RegExp(`^\\d{1,9}(\\.\\d{1,${maxDecimals}})?$`), {
    error: `expected ${what} as a non-negative decimal string with at most ${maxDecimals} decimals`,
  });

/**
 * Hours that go by half hours: a positive multiple of 0.5 up to `max`. Checked on the
 * doubled value being a whole number, so no float (1e-100, 5e-324, 0.5000000000000001)
 * slips through the way a remainder test with a tolerance lets it.
 */
export const isHalfHours = (h: number, max: number) => Number.isInteger(h * 2) && h >= 0.5 && h <= max;

export const halfHoursField = (max: number) =>
  z.number({ error: 'expected a number of hours' }).superRefine((h, ctx) => {
    if (!Number.isInteger(h * 2) || h < 0.5) ctx.addIssue({ code: 'custom', message: 'expected hours in half hours: 0.5, 1, 1.5, …' });
    else if (h > max) ctx.addIssue({ code: 'custom', message: `expected at most ${max} hours` });
  });
