import { randomInt } from 'node:crypto';
import { isValidNiss } from '../../shared/domain/identifiers.js';

/**
 * A valid NISS that no fake source and no other test knows (born 1961, a random serial): what
 * is recorded about it is the calling test's only, whatever runs beside it on the same cloud.
 */
export const freshNiss = (): string => {
  const two = (n: number) => String(n).padStart(2, '0');
  const base = `61${two(randomInt(1, 13))}${two(randomInt(10, 29))}${String(randomInt(1, 998)).padStart(3, '0')}`;
  const niss = `${base}${two(97 - Number(BigInt(base) % 97n))}`;
  if (!isValidNiss(niss)) throw new Error(`${niss} is no NISS`);
  return niss;
};
