import { platform, purposeDeps } from '../../shared/composition/platform.js';
import type { ClaimRepository, SealedClaim } from '../../shared/domain/training-leave/ports.js';
import { purposeHandler, type PurposeDeps } from '../../shared/http/purpose-handler.js';
import { readTrainingLeaveClaim } from '../../shared/purposes/catalogue.js';
import { discloses } from '../../shared/purposes/purpose.js';
import { isLanguage, type Language } from '../../shared/domain/i18n/language.js';
import { presentWait } from '../../shared/domain/training-leave/waiting.js';

/**
 * GET /v1/training-leave/claims/{claimId} (deliberation 19/038). The three DWSE teams see
 * the claim, the decision and its reasons; the claiming employer sees the outcome of its
 * own claims (the binding's output lists decide which fields); anyone else a 404. The
 * middleware loads the claim and checks its owner before this function runs. The worker's
 * NISS is opened only for a role whose answer includes it (DWSE), never for the employer.
 */
export interface GetClaimDeps extends PurposeDeps {
  claims: Pick<ClaimRepository, 'get' | 'open'>;
}

/**
 * What a reader may be shown of a stored claim: never the request hash, the subject hash or
 * the sealed NISS; what it waits for in the reader's language (its code, title and sentence,
 * the school year, since when and the next attempt; not the count of attempts).
 */
export const visibleClaim = async (claim: SealedClaim, withNiss: boolean, claims: Pick<ClaimRepository, 'open'>, language: Language) => {
  const { requestHash: _internal, workerSubject: _subject, workerNissSealed: _sealed, ledgerItems: _items, waitingFor, ...rest } = claim;
  const visible = { ...rest, ...(waitingFor && claim.status === 'RECEIVED' ? { waitingFor: presentWait(waitingFor, claim.schoolYear, language) } : {}) };
  return withNiss ? { ...visible, workerNiss: (await claims.open(claim)).workerNiss } : visible;
};

/** The negotiated language of a claim route (its binding lists nl, fr, en; Dutch when none is negotiated). */
export const claimLanguage = (negotiated: string | undefined): Language => (isLanguage(negotiated) ? negotiated : 'nl');

export const getClaimDeps = (): GetClaimDeps => {
  const p = platform();
  return {
    ...purposeDeps(readTrainingLeaveClaim.purpose, p),
    claims: p.storage.claims(readTrainingLeaveClaim.purpose),
  };
};

export const createGetClaimHandler = (deps: () => GetClaimDeps) =>
  purposeHandler(readTrainingLeaveClaim, {
    deps,
    load: (input, { claims }) => claims.get(input.path.claimId),
    handle: async ({ resource, principal, language: negotiated }, { claims }) => {
      const language = claimLanguage(negotiated);
      return {
        body: await visibleClaim(resource, discloses(readTrainingLeaveClaim, principal.role, 'workerNiss'), claims, language),
        headers: { 'content-language': language },
      };
    },
  });

export const handler = createGetClaimHandler(getClaimDeps);
