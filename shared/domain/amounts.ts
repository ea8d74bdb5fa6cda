/**
 * Exact arithmetic for euro amounts and hours: integers of cents and of hundredths of an
 * hour, never floats. Rounding is half up, to the cent, once, at the end.
 */
const DECIMAL = /^(\d{1,12})(?:\.(\d{1,2}))?$/;

/** "21.30" → 2130. */
export const toCents = (amount: string): number => {
  const match = DECIMAL.exec(amount);
  if (!match) throw new Error(`not a euro amount: ${amount}`);
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
};

/** 2130 → "21.30". */
export const formatCents = (cents: number): string => {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new Error(`not a whole, non-negative number of cents: ${cents}`);
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
};

/** Hours as integer hundredths: 12.5 → 1250 (hours travel as numbers with at most two decimals). */
export const toHundredths = (hours: number): number => Math.round(hours * 100);
export const fromHundredths = (hundredths: number): number => hundredths / 100;

/** Amount for `hundredths` of an hour at `centsPerHour`, rounded half up to the cent. */
export const amountForHours = (hundredths: number, centsPerHour: number): number => {
  const product = hundredths * centsPerHour; // exact: both integers, far below 2^53
  return Math.floor((product + 50) / 100);
};
