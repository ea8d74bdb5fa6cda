import { purposeHandler } from '../../shared/http/purpose-handler.js';
import { notImplemented } from '../../shared/http/problem.js';
import { checkPremium } from '../../shared/purposes/catalogue.js';

/** POST /v1/premium-checks (deliberation 05/012). */
export const handler = purposeHandler(checkPremium, async () => {
  throw notImplemented('The ACS/PTP premium check', 'issue 6');
});
