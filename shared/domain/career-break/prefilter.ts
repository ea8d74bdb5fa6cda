import { birthDateFromNiss } from '../identifiers.js';
import { inForce, type RuleTable } from '../effective-dated.js';
import type { Precondition } from './codes.js';

/**
 * The MyCareer pre-filter of deliberation 24/012 (§8, §15): ONEM is called only for a
 * person who is of age and whose career shows salaried work in the public or private
 * sector. Pure: no I/O.
 */
export const MINIMUM_AGE: RuleTable<number> = [
  { from: '2024-02-21', value: 18, source: 'deliberation 24/012 §8, §15 (in force 21 Feb 2024): the person is older than 18' },
];

export const SALARIED_SECTORS: RuleTable<readonly string[]> = [
  { from: '2024-02-21', value: ['PRIVATE', 'PUBLIC'], source: 'deliberation 24/012 §8, §15: a career in the public or the private sector' },
];

export interface CareerRecord {
  birthDate?: string;
  periods: { sector: string; from: string; to?: string }[];
}

export interface PreconditionResult {
  met: boolean;
  failed: Precondition[];
}

/** Age in whole years on `date`: the birthday counts from its own day (29 Feb → 1 Mar in common years). */
export const ageOn = (birthDate: string, date: string): number => {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
};

/**
 * `career` undefined: the career source does not know the person. That is not an error:
 * the person has no public or private career, and the age comes from the NISS.
 */
export const evaluatePreconditions = ({ niss, career, today }: { niss: string; career: CareerRecord | undefined; today: string }): PreconditionResult => {
  const failed: Precondition[] = [];
  const birthDate = career?.birthDate ?? birthDateFromNiss(niss);
  // A NISS that carries no birth date (some BIS numbers) cannot show the age: not met.
  if (!birthDate || ageOn(birthDate, today) < inForce(MINIMUM_AGE, today, 'minimum age')) failed.push('UNDER_18');
  const sectors = inForce(SALARIED_SECTORS, today, 'salaried sectors');
  const started = (career?.periods ?? []).filter((p) => sectors.includes(p.sector) && p.from <= today);
  if (started.length === 0) failed.push('NO_PUBLIC_OR_PRIVATE_SECTOR_CAREER');
  return { met: failed.length === 0, failed };
};
