import { platform, purposeDeps } from '../../shared/composition/platform.js';
import type { ClaimRepository } from '../../shared/domain/training-leave/ports.js';
import { purposeHandler, type PurposeDeps } from '../../shared/http/purpose-handler.js';
import { listTrainingLeaveClaims } from '../../shared/purposes/catalogue.js';
import { ClaimStore } from '../../shared/storage/claims.js';

/**
 * GET /v1/training-leave/claims (deliberation 19/038): a page of claims, newest first,
 * `{ items, next }`. An employer's list is always its own enterprise's (from its token); a
 * DWSE team may filter by employer, status and school year. Served by an index, never a scan.
 * Each distinct worker on the page gets an audit record of the listing (auditAccess).
 */
export interface ListClaimsDeps extends PurposeDeps {
  claims: Pick<ClaimRepository, 'list'>;
}

export const listClaimsDeps = (): ListClaimsDeps => {
  const p = platform();
  return {
    ...purposeDeps(listTrainingLeaveClaims.purpose, p),
    claims: new ClaimStore(p.doc, p.config.tables.claims, listTrainingLeaveClaims.purpose, p.pseudonymiser, p.clock),
  };
};

export const createListClaimsHandler = (deps: () => ListClaimsDeps) =>
  purposeHandler(listTrainingLeaveClaims, {
    deps,
    handle: async ({ input, principal }, { claims }) => {
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
      // Every listed worker finds this page in their access log, whether or not the caller's
      // answer shows the NISS (an employer's does not): the claim is about them either way.
      return { body: { items: page.items, next: page.next ?? null }, disclosedSubjects: page.items.map((claim) => claim.workerNiss) };
    },
  });

export const handler = createListClaimsHandler(listClaimsDeps);
