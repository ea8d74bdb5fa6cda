import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createListClaimsHandler } from '../../functions/training-leave/list-claims.js';
import { readerOf, visibleClaim } from '../../functions/training-leave/get-claim.js';
import type { SealedClaim } from '../../shared/domain/training-leave/ports.js';
import { listTrainingLeaveClaims } from '../../shared/purposes/catalogue.js';
import { WITHDRAWAL_REASON } from '../../shared/storage/claim-common.js';
import { InMemoryClaims } from '../support/fakes.js';
import { lambdaContext } from '../support/lambda.js';
import { type Harness, httpEvent, startHarness } from '../support/purpose-harness.js';

describe('adversarial: the answer is in the language Content-Language names', () => {
  it('a correction’s reason is written in the reader’s language, not stored English', async () => {
    const claim = {
      claimId: '4b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a80',
      status: 'WITHDRAWN',
      employerEnterpriseNumber: '0403170701',
      schoolYear: '2024-2025',
      training: { id: 'ODB-1', startDate: '2024-10-01', endDate: '2025-03-31' },
      hoursByMonth: { '2024-10': 8 },
      submittedAt: '2024-11-15T10:00:00.000Z',
      requestHash: 'h',
      workerSubject: 'v1:00',
      workerNissSealed: 'x',
      withdrawnAt: '2024-12-01T10:00:00.000Z',
      corrections: [
        {
          at: '2024-12-01T10:00:00.000Z',
          reason: WITHDRAWAL_REASON,
          previous: { outcome: 'APPROVED', approvedHours: 8, amount: '170.40', decidedAt: '2024-11-15T10:00:05.000Z' },
        },
      ],
    } as unknown as SealedClaim;
    const visible = (await visibleClaim(claim, readerOf('employer', false, 'fr'), { open: async () => ({}) as never })) as {
      corrections: { reason: string }[];
    };
    expect(visible.corrections[0]!.reason).not.toBe(WITHDRAWAL_REASON);
  });
});

describe('adversarial: an Accept-Language it cannot use is ignored (RFC 9110 §12.5.4), not a 400', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  for (const header of ['en_US', 'fr-CH, fr;q=0.9, *;q=0.5, x-klingon+tlh']) {
    it(`Accept-Language: ${header}`, async () => {
      const list = createListClaimsHandler(() => ({ ...h.deps(listTrainingLeaveClaims.purpose)(), claims: new InMemoryClaims() }));
      const response = await list(
        httpEvent({
          path: '/v1/training-leave/claims',
          token: await h.token({ role: 'employer', enterpriseNumber: '0403170701' }),
          headers: { 'Accept-Language': header },
        }),
        lambdaContext(),
      );
      expect(response.statusCode, response.body).toBe(200);
    });
  }
});
