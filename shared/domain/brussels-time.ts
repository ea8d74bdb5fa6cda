/**
 * Brussels civil time without ICU. The first `Intl.DateTimeFormat` with a time zone costs a
 * function 12–13 ms (ICU loads its zone data), about an eighth of the whole cold start of the
 * GetItem baseline (BENCHMARKS.md, issue 28), for one zone whose rule is law: CET (UTC+1), and
 * CEST (UTC+2) from the last Sunday of March to the last Sunday of October, both at 01:00 UTC
 * (Directive 2000/84/EC; the same dates since 1996). Earlier instants, whose rules differed,
 * go to ICU. test/unit/brussels-time.test.ts holds this against ICU hour by hour, 1996–2045.
 */
const HOUR = 3_600_000;
const FIRST_YEAR_OF_THE_EU_RULE = 1996;

/** 01:00 UTC on the last Sunday of `month` (0-based) of `year`. */
const lastSundayAtOneUtc = (year: number, month: number): number => {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
};

let icu: Intl.DateTimeFormat | undefined;
/** ICU's answer, for instants before the EU rule (built on first such use only). */
const icuParts = (date: Date): string => {
  icu ??= new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Brussels',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return icu.format(date);
};

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The instant as Brussels reads it: `YYYY-MM-DD HH:MM`. */
export const brusselsDateTime = (date: Date): string => {
  const t = date.getTime();
  if (Number.isNaN(t)) throw new RangeError('Invalid time value');
  const year = date.getUTCFullYear();
  if (year < FIRST_YEAR_OF_THE_EU_RULE) return icuParts(date);
  const summer = t >= lastSundayAtOneUtc(year, 2) && t < lastSundayAtOneUtc(year, 9);
  const local = new Date(t + (summer ? 2 : 1) * HOUR);
  return `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
};

/** The calendar day in Brussels: `YYYY-MM-DD`. */
export const brusselsDate = (date: Date): string => brusselsDateTime(date).slice(0, 10);
