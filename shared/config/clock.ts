import { brusselsDate } from '../domain/brussels-time.js';
import { type Settings, settings } from './env.js';

/**
 * "Now" for the functions. On the `local` stage only, LOCAL_CLOCK (an ISO instant) fixes
 * it, so a scenario that depends on dates (a claim filed within 3 months of its training)
 * can be replayed on any day. Any other stage ignores it.
 */
export const now = ({ localClock: fixed }: Pick<Settings, 'localClock'> = settings()): Date => {
  if (!fixed) return new Date();
  const date = new Date(fixed);
  if (Number.isNaN(date.getTime())) throw new Error(`LOCAL_CLOCK is not an ISO instant: ${fixed}`);
  return date;
};

/** The calendar day in Belgium, which is the day rules and deadlines are counted in (YYYY-MM-DD). */
export const belgianDate = (date: Date): string => brusselsDate(date);
