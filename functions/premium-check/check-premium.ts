import { platform, purposeDeps } from '../../shared/composition/platform.js';
import { belgianDate } from '../../shared/config/clock.js';
import { evaluatePremium, isDmfaDue, presentPremium } from '../../shared/domain/premium-check/evaluate.js';
import { isLanguage } from '../../shared/domain/i18n/language.js';
import type { PremiumCheckRepository } from '../../shared/domain/premium-check/ports.js';
import { purposeHandler, type PurposeDeps } from '../../shared/http/purpose-handler.js';
import { canonicalJson, derivedId } from '../../shared/http/request-id.js';
import type { Pseudonymiser } from '../../shared/privacy/pseudonymiser.js';
import { checkPremium } from '../../shared/purposes/premium-check.js';
import { PREMIUM_CHECK_LANGUAGES } from '../../shared/purposes/premium-check.js';
import { fetchPremiumFacts } from '../../shared/sources/premium-dmfa.js';

/**
 * POST /v1/premium-checks (deliberation 05/012). The middleware has already checked that
 * Actiris registered the worker with quality code 001 before anything reaches DMFA. The
 * check id derives from the request and the day: the same request again the same day (a
 * retry) names the same check, stores nothing twice and answers what was stored first; the same request another day is a
 * new check (DMFA may have been corrected meanwhile).
 */
export interface CheckPremiumDeps extends PurposeDeps {
  checks: PremiumCheckRepository;
  /** Keyed digests: the request holds a NISS, which an unkeyed hash would let anyone recover from the id. */
  pseudonymiser: Pseudonymiser;
}

export const checkPremiumDeps = (): CheckPremiumDeps => {
  const p = platform();
  return {
    ...purposeDeps(checkPremium.purpose, p),
    checks: p.storage.premiumChecks(checkPremium.purpose),
    pseudonymiser: p.pseudonymiser,
  };
};

export const createCheckPremiumHandler = (deps: () => CheckPremiumDeps) =>
  purposeHandler(checkPremium, {
    deps,
    handle: async ({ input, sources, now, language }, { checks, pseudonymiser }) => {
      const request = input.body;
      const today = belgianDate(now);
      // A month whose DMFA is not due yet is not read from DMFA at all: nothing there can be relied on (PC-8).
      const facts = isDmfaDue(request.month, today) ? await fetchPremiumFacts(sources, request) : { occupation: undefined, aggregates: [] };
      const result = evaluatePremium({ request, ...facts, today });
      // The audit record hashes the same NISS in this request: one MAC for both.
      const [digest, workerSubject] = await Promise.all([pseudonymiser.digest(canonicalJson(request)), pseudonymiser.subject(request.workerNiss)]);
      const checkId = derivedId('premium-check', belgianDate(now), digest);
      const { check } = await checks.save({
        checkId,
        checkedAt: now.toISOString(),
        scheme: request.scheme,
        employerEnterpriseNumber: request.employerEnterpriseNumber,
        workerSubject,
        month: request.month,
        ...result,
      });
      // A replay answers what was stored first, even if DMFA changed since: one id, one answer,
      // said in the language of this request (the store keeps the findings' text keys and figures).
      const said = isLanguage(language) ? language : PREMIUM_CHECK_LANGUAGES[0];
      const { outcome, premium, findings } = presentPremium(check, said);
      return { body: { checkId, outcome, premium, findings }, headers: { 'content-language': said } };
    },
  });

export const handler = createCheckPremiumHandler(checkPremiumDeps);
