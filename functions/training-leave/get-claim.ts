import '../../shared/composition/niss-cipher.js';
import { platform, purposeDeps } from '../../shared/composition/platform.js';
import type { ClaimRepository, SealedClaim } from '../../shared/domain/training-leave/ports.js';
import { type Audience, answerDecision } from '../../shared/domain/training-leave/render.js';
import type { Role } from '../../shared/auth/principal.js';
import { purposeHandler, type PurposeDeps } from '../../shared/http/purpose-handler.js';
import { readTrainingLeaveClaim } from '../../shared/purposes/training-leave.js';
import { discloses } from '../../shared/purposes/purpose.js';
import { isLanguage, type Language } from '../../shared/domain/i18n/language.js';
import { presentWait } from '../../shared/domain/training-leave/waiting.js';
import { presentCorrection } from '../../shared/domain/training-leave/corrections.js';

/**
 * GET /v1/training-leave/claims/{claimId} (deliberation 19/038). The three DWSE teams see
 * the claim, the decision and its reasons; the claiming employer, the addressee of the
 * decision, sees its outcome and its reasons in an employer's phrasing (the binding's
 * output lists decide which fields); anyone else a 404. The reasons are written in the
 * negotiated language (Accept-Language: nl, fr, en). The middleware loads the claim and
 * checks its owner before this function runs. The worker's NISS is opened only for a role
 * whose answer includes it (DWSE), never for the employer.
 */
export interface GetClaimDeps extends PurposeDeps {
  claims: Pick<ClaimRepository, 'get' | 'open'>;
}

/** Who reads a claim: whether the NISS is opened for them, and how its decision's reasons are written. */
export interface Reader {
  withNiss: boolean;
  language: Language;
  audience: Audience;
}

/** The reader a call is for: the DWSE teams read the case handlers' reasons, anyone else the employer's. */
export const readerOf = (role: Role, withNiss: boolean, language: string | undefined): Reader => ({
  withNiss,
  language: claimLanguage(language),
  audience: role === 'dwse' ? 'dwse' : 'employer',
});

/**
 * What a reader may be shown of a stored claim: never the request hash, the subject hash or
 * the sealed NISS; its decision's reasons written for the reader (never their stored
 * parameters); what it waits for in the reader's language (its code, title and sentence, the
 * school year, since when and the next attempt; not the count of attempts).
 */
export const visibleClaim = async (claim: SealedClaim, reader: Reader, claims: Pick<ClaimRepository, 'open'>) => {
  const { requestHash: _internal, workerSubject: _subject, workerNissSealed: _sealed, ledgerItems: _items, decision, waitingFor, corrections, ...rest } = claim;
  const visible = {
    ...rest,
    ...(corrections ? { corrections: corrections.map((c) => presentCorrection(c, reader.language)) } : {}),
    ...(decision ? { decision: answerDecision(decision, reader.language, reader.audience) } : {}),
    ...(waitingFor && claim.status === 'RECEIVED' ? { waitingFor: presentWait(waitingFor, claim.schoolYear, reader.language) } : {}),
  };
  return reader.withNiss ? { ...visible, workerNiss: (await claims.open(claim)).workerNiss } : visible;
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
    handle: async ({ resource, principal, language }, { claims }) => {
      const reader = readerOf(principal.role, discloses(readTrainingLeaveClaim, principal.role, 'workerNiss'), language);
      return { body: await visibleClaim(resource, reader, claims), headers: { 'content-language': reader.language } };
    },
  });

export const handler = createGetClaimHandler(getClaimDeps);
