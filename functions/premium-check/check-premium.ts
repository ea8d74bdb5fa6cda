import { randomUUID } from 'node:crypto';
import { createDocumentClient, createDynamoDbClient } from '../../shared/aws/clients.js';
import { now } from '../../shared/config/clock.js';
import { config } from '../../shared/config/env.js';
import { checkPremium as evaluatePremium } from '../../shared/domain/premium-check/evaluate.js';
import { purposeHandler } from '../../shared/http/purpose-handler.js';
import { checkPremium } from '../../shared/purposes/catalogue.js';
import { fetchPremiumFacts } from '../../shared/sources/premium-dmfa.js';
import { PremiumCheckStore } from '../../shared/storage/premium-checks.js';

/**
 * POST /v1/premium-checks (deliberation 05/012). The middleware has already checked that
 * Actiris registered the worker with quality code 001 before anything reaches DMFA.
 */
let store: PremiumCheckStore | undefined;

export const handler = purposeHandler(checkPremium, async ({ input, sources, now: checkedAt }) => {
  const request = input.body;
  const facts = await fetchPremiumFacts(sources, request);
  const result = evaluatePremium({ request, ...facts });
  const checkId = randomUUID();
  await (store ??= new PremiumCheckStore(createDocumentClient(createDynamoDbClient(config())), config().tables.premiumChecks, () => now())).save({
    checkId,
    checkedAt: checkedAt.toISOString(),
    scheme: request.scheme,
    employerEnterpriseNumber: request.employerEnterpriseNumber,
    workerNiss: request.workerNiss,
    month: request.month,
    ...result,
  });
  return { body: { checkId, ...result } };
});
