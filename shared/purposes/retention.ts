import { settings } from '../config/env.js';
import type { Purpose, Retention } from './purpose.js';

/** Overrides by variable name (shared/config/env.ts reads them); tests pass their own. */
export type RetentionOverrides = Readonly<Record<string, string | undefined>>;

export class RetentionError extends Error {
  override name = 'RetentionError';
}

/** The retention period in years, after any override from the environment. */
export const retentionYears = (retention: Retention, env: RetentionOverrides = settings().retentionOverrides): number => {
  if (retention.kind === 'none') throw new RetentionError(`this purpose may not store anything (${retention.source})`);
  const override = retention.env ? env[retention.env] : undefined;
  if (override === undefined || override === '') return retention.years;
  const years = Number(override);
  if (!Number.isInteger(years) || years < 1 || years > retention.years) {
    // Never longer than the declared maximum: an override may only shorten.
    throw new RetentionError(`${retention.env} must be a whole number of years between 1 and ${retention.years}, got "${override}"`);
  }
  return years;
};

/** Expiry (epoch seconds) of an item whose retention runs from `from`: calendar years, as the sources state them. */
export const expiresAt = (purpose: Pick<Purpose, 'retention'>, from: Date, env: RetentionOverrides = settings().retentionOverrides): number => {
  const end = new Date(from.getTime());
  if (purpose.retention.kind === 'period' && purpose.retention.days !== undefined) {
    end.setUTCDate(end.getUTCDate() + purpose.retention.days);
    return Math.floor(end.getTime() / 1000);
  }
  const years = retentionYears(purpose.retention, env);
  end.setUTCFullYear(end.getUTCFullYear() + years);
  return Math.floor(end.getTime() / 1000);
};
