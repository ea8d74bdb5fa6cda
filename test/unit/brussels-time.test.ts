import { describe, expect, it } from 'vitest';
import { brusselsDate, brusselsDateTime } from '../../shared/domain/brussels-time.js';

const icu = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Brussels',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

describe('Brussels time without ICU', () => {
  it('agrees with ICU on every day from 1996 through 2045, and minute by minute around each switch', () => {
    const disagreements: string[] = [];
    const check = (t: number) => {
      const instant = new Date(t);
      if (brusselsDateTime(instant) !== icu.format(instant)) disagreements.push(instant.toISOString());
    };
    const DAY = 86_400_000;
    for (let day = Date.UTC(1996, 0, 1); day < Date.UTC(2046, 0, 1); day += DAY) {
      // Either side of each day's Brussels midnight in both offsets, the switch hour, noon.
      for (const at of [-7_200_001, -7_200_000, -3_600_001, -3_600_000, 3_599_999, 3_600_000, 43_200_000]) check(day + at);
    }
    for (let year = 1996; year < 2046; year++) {
      for (const month of [2, 9]) {
        const last = new Date(Date.UTC(year, month + 1, 0));
        const switchAt = Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
        for (let t = switchAt - 7_200_000; t <= switchAt + 7_200_000; t += 60_000) check(t);
      }
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
  });

  it('switches at 01:00 UTC on the last Sundays of March and October', () => {
    expect(brusselsDateTime(new Date('2026-03-29T00:59:59.999Z'))).toBe('2026-03-29 01:59');
    expect(brusselsDateTime(new Date('2026-03-29T01:00:00.000Z'))).toBe('2026-03-29 03:00');
    expect(brusselsDateTime(new Date('2026-10-25T00:59:59.999Z'))).toBe('2026-10-25 02:59');
    expect(brusselsDateTime(new Date('2026-10-25T01:00:00.000Z'))).toBe('2026-10-25 02:00');
  });

  it('counts the day in Brussels: 23:30 UTC on 31 December is already the next year', () => {
    expect(brusselsDate(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    expect(brusselsDate(new Date('2026-06-30T21:59:59Z'))).toBe('2026-06-30');
    expect(brusselsDate(new Date('2026-06-30T22:00:00Z'))).toBe('2026-07-01');
  });

  it('asks ICU before the EU rule (1995 ended summer time in September)', () => {
    const instant = new Date('1995-10-01T12:00:00Z');
    expect(brusselsDateTime(instant)).toBe(icu.format(instant));
    expect(brusselsDateTime(instant)).toBe('1995-10-01 13:00');
  });

  it('refuses an invalid date as Intl does', () => {
    expect(() => brusselsDate(new Date('not a date'))).toThrow(RangeError);
  });
});
