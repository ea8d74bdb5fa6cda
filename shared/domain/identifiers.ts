/**
 * Belgian identifiers. Pure functions, no I/O.
 *
 * NISS (national register / BIS number): 11 digits, YYMMDD + 3-digit sequence +
 * 2-digit check = 97 - (first 9 digits mod 97). For people born from 2000 the check
 * is computed on "2" followed by the first 9 digits. BIS numbers add 20 (sex unknown)
 * or 40 (sex known) to the month.
 *
 * Enterprise number (KBO/BCE): 10 digits starting with 0 or 1; the last two digits
 * are 97 - (first 8 digits mod 97).
 */

const mod97Check = (digits: string): number => 97 - Number(BigInt(digits) % 97n);

export const isValidNiss = (value: string): boolean => {
  if (!/^\d{11}$/.test(value)) return false;
  const base = value.slice(0, 9);
  const check = Number(value.slice(9));
  return check === mod97Check(base) || check === mod97Check(`2${base}`);
};

export const isValidEnterpriseNumber = (value: string): boolean => {
  if (!/^[01]\d{9}$/.test(value)) return false;
  return Number(value.slice(8)) === mod97Check(value.slice(0, 8));
};

/**
 * Birth date encoded in a NISS, or undefined when the number carries none
 * (BIS numbers with unknown date, day or month 00). The century comes from which
 * check digit matches.
 */
export const birthDateFromNiss = (niss: string): string | undefined => {
  if (!isValidNiss(niss)) return undefined;
  const base = niss.slice(0, 9);
  const born2000s = Number(niss.slice(9)) === mod97Check(`2${base}`) && Number(niss.slice(9)) !== mod97Check(base);
  let month = Number(niss.slice(2, 4));
  if (month > 40) month -= 40;
  else if (month > 20) month -= 20;
  const day = Number(niss.slice(4, 6));
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const year = (born2000s ? 2000 : 1900) + Number(niss.slice(0, 2));
  const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  // Reject 31 February and the like.
  return new Date(`${iso}T00:00:00Z`).toISOString().startsWith(iso) ? iso : undefined;
};

/** For logs: keeps the length visible and nothing that identifies the person. */
export const maskIdentifier = (value: string): string => (value.length <= 4 ? '*'.repeat(value.length) : `${'*'.repeat(value.length - 2)}${value.slice(-2)}`);
