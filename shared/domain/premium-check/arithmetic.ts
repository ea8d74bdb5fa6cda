import { toCents } from '../amounts.js';

/** Integer arithmetic of the premium checks: amounts in cents, FTE in hundredths. */
export const fteHundredths = (fte: string): number => toCents(fte);
export const fteText = (hundredths: number): string => (hundredths / 100).toFixed(2);
/** a × b / c rounded half up, in integers. */
export const mulDiv = (a: number, b: number, c: number): number => Math.floor((2 * a * b + c) / (2 * c));
