import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { careerBreakLookup, premiumVerification, trainingLeaveReimbursement } from '../../shared/purposes/catalogue.js';
import type { Purpose } from '../../shared/purposes/purpose.js';
import { fetchCareer } from '../../shared/sources/career.js';
import type { HttpSourceClient } from '../../shared/sources/http-source.js';
import { fetchOnemCounters } from '../../shared/sources/onem.js';
import { fetchPremiumFacts } from '../../shared/sources/premium-dmfa.js';
import { PurposeSources } from '../../shared/sources/purpose-sources.js';
import { findRegistration } from '../../shared/sources/reference-directory.js';
import { SourceContractError } from '../../shared/sources/source-errors.js';
import { fetchEmployments, fetchPerson, fetchTraining, fetchWorkerLines } from '../../shared/sources/training-leave.js';

// Property: whatever a source answers (with status 200), each adapter either returns a
// value of its contract or throws SourceContractError (→ 502), never anything else.
const NISS = '85073003328';
const sourcesAnswering = (purpose: Purpose, body: unknown) => {
  const client = { getJson: async () => ({ status: 200, body }) } as unknown as HttpSourceClient;
  return new PurposeSources(purpose, new Proxy({}, { get: () => client }) as never);
};

/** Arbitrary JSON, plus near-misses of the real shapes (right keys, wrong values). */
const answers = fc.oneof(
  fc.jsonValue(),
  fc.record(
    {
      niss: fc.oneof(fc.constant(NISS), fc.string()),
      items: fc.array(fc.dictionary(fc.string(), fc.jsonValue())),
      counters: fc.array(fc.jsonValue()),
      closures: fc.array(fc.jsonValue()),
      periods: fc.array(fc.jsonValue()),
    },
    { requiredKeys: [] },
  ),
);

const ADAPTERS: [string, (body: unknown) => Promise<unknown>][] = [
  ['career', (b) => fetchCareer(sourcesAnswering(careerBreakLookup, b), NISS)],
  ['onem', (b) => fetchOnemCounters(sourcesAnswering(careerBreakLookup, b), NISS)],
  ['reference directory', (b) => findRegistration(sourcesAnswering(premiumVerification, b), NISS)],
  ['BCSS registers', (b) => fetchPerson(sourcesAnswering(trainingLeaveReimbursement, b), NISS)],
  ['DIMONA', (b) => fetchEmployments(sourcesAnswering(trainingLeaveReimbursement, b), NISS, '0403170701')],
  ['DMFA worker lines', (b) => fetchWorkerLines(sourcesAnswering(trainingLeaveReimbursement, b), NISS)],
  ['training database', (b) => fetchTraining(sourcesAnswering(trainingLeaveReimbursement, b), 'ODB-1', NISS)],
  [
    'DMFA for premium checks',
    (b) => fetchPremiumFacts(sourcesAnswering(premiumVerification, b), { workerNiss: NISS, employerEnterpriseNumber: '0403170701', month: '2024-05' }),
  ],
];

describe('source adapters under arbitrary answers', () => {
  it.each(ADAPTERS)('%s: a value or SourceContractError, nothing else', async (_name, adapter) => {
    let contractErrors = 0;
    await fc.assert(
      fc.asyncProperty(answers, async (body) => {
        try {
          await adapter(body);
        } catch (error) {
          expect(error).toBeInstanceOf(SourceContractError);
          contractErrors++;
        }
      }),
      { numRuns: 300 },
    );
    // The generator does reach the refusal path.
    expect(contractErrors).toBeGreaterThan(0);
  });
});
