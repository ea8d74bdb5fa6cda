import { readAccessLog, subjectAccess } from './access-log.js';
import { careerBreakLookup, careerBreakPlanning, careerBreakPossibilities, careerBreakWhatIf } from './career-break.js';
import { checkPremium, premiumVerification } from './premium-check.js';
import type { AnyHttpBinding, AnyQueueBinding, Purpose } from './purpose.js';
import {
  evaluateTrainingLeaveClaim,
  listTrainingLeaveClaims,
  readTrainingLeaveClaim,
  submitTrainingLeaveClaim,
  trainingLeaveReimbursement,
  withdrawTrainingLeaveClaim,
} from './training-leave.js';

/** Every purpose the service serves, one per deliberation. */
export const PURPOSES = [
  careerBreakLookup,
  careerBreakPlanning,
  trainingLeaveReimbursement,
  premiumVerification,
  subjectAccess,
] as const satisfies readonly Purpose[];

/** Every HTTP route, bound to its purpose; the authorization matrix walks this list. */
export const HTTP_BINDINGS = [
  careerBreakPossibilities,
  careerBreakWhatIf,
  submitTrainingLeaveClaim,
  readTrainingLeaveClaim,
  listTrainingLeaveClaims,
  withdrawTrainingLeaveClaim,
  checkPremium,
  readAccessLog,
] as const satisfies readonly AnyHttpBinding[];

/** Every queue consumer, bound to its purpose. */
export const QUEUE_BINDINGS = [evaluateTrainingLeaveClaim] as const satisfies readonly AnyQueueBinding[];

export {
  readAccessLog,
  subjectAccess,
  careerBreakLookup,
  careerBreakPlanning,
  careerBreakPossibilities,
  careerBreakWhatIf,
  checkPremium,
  evaluateTrainingLeaveClaim,
  listTrainingLeaveClaims,
  premiumVerification,
  readTrainingLeaveClaim,
  submitTrainingLeaveClaim,
  trainingLeaveReimbursement,
  withdrawTrainingLeaveClaim,
};
