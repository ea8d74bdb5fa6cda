import { careerBreakPossibilities } from './career-break.js';
import { checkPremium } from './premium-check.js';
import { evaluateTrainingLeaveClaim, readTrainingLeaveClaim, submitTrainingLeaveClaim } from './training-leave.js';
import type { Purpose } from './purpose.js';

/** Every purpose the service serves; the authorization matrix and the privacy tests walk this list. */
export const PURPOSES = [
  careerBreakPossibilities,
  submitTrainingLeaveClaim,
  readTrainingLeaveClaim,
  evaluateTrainingLeaveClaim,
  checkPremium,
] as const satisfies readonly Purpose<any>[];

export { careerBreakPossibilities, checkPremium, evaluateTrainingLeaveClaim, readTrainingLeaveClaim, submitTrainingLeaveClaim };
