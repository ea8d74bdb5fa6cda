import '../../shared/composition/niss-cipher.js';
import { platform, purposeDeps } from '../../shared/composition/platform.js';
import type { ClaimRepository, SealedClaim } from '../../shared/domain/training-leave/ports.js';
import { purposeHandler, type PurposeDeps } from '../../shared/http/purpose-handler.js';
import { listTrainingLeaveClaims } from '../../shared/purposes/training-leave.js';
import { logger } from '../../shared/observability/logger.js';
import { CipherIntegrityError } from '../../shared/privacy/field-cipher.js';
import { discloses } from '../../shared/purposes/purpose.js';
import { type Reader, readerOf, visibleClaim } from './get-claim.js';

/**
 * GET /v1/training-leave/claims (deliberation 19/038): a page of claims, newest first,
 * `{ items, next }`. An employer's list is always its own enterprise's (from its token); a
 * DWSE team may filter by employer, status and school year. Served by an index, never a scan.
 * Each distinct worker on the page gets an audit record of the listing (auditAccess).
 */
export interface ListClaimsDeps extends PurposeDeps {
  claims: Pick<ClaimRepository, 'list' | 'open'>;
}

export const listClaimsDeps = (): ListClaimsDeps => {
  const p = platform();
  return {
    ...purposeDeps(listTrainingLeaveClaims.purpose, p),
    claims: p.storage.claims(listTrainingLeaveClaims.purpose),
  };
};

export const createListClaimsHandler = (deps: () => ListClaimsDeps) =>
  purposeHandler(listTrainingLeaveClaims, {
    deps,
    handle: async ({ input, principal, language }, { claims }) => {
      const { employerEnterpriseNumber, status, schoolYear, limit, cursor } = input.query;
      // An employer sees its own claims whether or not it names its enterprise (naming another was refused before).
      const employer = principal.role === 'employer' ? principal.enterpriseNumber : employerEnterpriseNumber;
      // A cursor it did not give is a 400 naming the field (problem-error-handler.ts).
      const page = await claims.list({
        limit,
        ...(employer ? { employerEnterpriseNumber: employer } : {}),
        ...(status ? { status } : {}),
        ...(schoolYear ? { schoolYear } : {}),
        ...(cursor !== undefined ? { cursor } : {}),
      });
      // The workers' NISS are opened only for DWSE; claims sealed under one data key cost one KMS call together.
      const reader = readerOf(principal.role, discloses(listTrainingLeaveClaims, principal.role, 'workerNiss'), language);
      const items = await Promise.all(page.items.map((claim) => listedClaim(claim, reader, claims)));
      // Every listed worker finds this page in their access log, whether or not the caller's
      // answer shows the NISS (an employer's does not): by the hash the claim keeps, no KMS call.
      return {
        body: { items, next: page.next ?? null },
        headers: { 'content-language': reader.language },
        disclosedSubjects: page.items.map((claim) => ({ hash: claim.workerSubject })),
      };
    },
  });

/**
 * A listed claim: as a read shows it, except that one whose sealed NISS does not open (not
 * this claim's, or under a key no longer accepted) is listed without it and logged, so that
 * one bad item does not refuse every DWSE team the whole page. A key service down still
 * refuses the page (503): that is every item's problem.
 */
const listedClaim = async (claim: SealedClaim, reader: Reader, claims: Pick<ClaimRepository, 'open'>) => {
  try {
    return await visibleClaim(claim, reader, claims);
  } catch (error) {
    if (!(error instanceof CipherIntegrityError)) throw error;
    logger.error('a listed claim’s sealed NISS does not open; listed without it', { claimId: claim.claimId });
    return visibleClaim(claim, { ...reader, withNiss: false }, claims);
  }
};

export const handler = createListClaimsHandler(listClaimsDeps);
