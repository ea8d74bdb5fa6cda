import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PremiumCheckRepository, StoredPremiumCheck } from '../../shared/domain/premium-check/ports.js';

/**
 * What every PremiumCheckRepository means (DynamoDB, PostgreSQL, the in-memory fake): one
 * id, one answer, even under concurrency; a check past its retention (10 years from its
 * `checkedAt`) is as absent, and the purge deletes it. `make` gives a store on one shared
 * backing (every call the same data) whose "now" is `clock`.
 */
export interface PremiumChecksUnderTest extends PremiumCheckRepository {
  /** Deletes what is past its retention at `now` (absent where the purge is table-wide: see `purges`). */
  purgeExpired?(now: Date): Promise<unknown>;
}

export type MakePremiumChecks = (options: { clock: () => Date }) => Promise<PremiumChecksUnderTest>;

/**
 * `purges`: the implementation's purge deletes, table-wide, what is past its expiry at the
 * instant given, so the suite writes in the past (1991) and purges as of 2002, reaching
 * nothing another test wrote. DynamoDB's purge is the scheduled function over the whole
 * table (test/integration/retention.test.ts), run by another file as of today: there the
 * suite writes in the future (2101), where nothing purges, and does not purge.
 */
export interface PremiumCheckContractOptions {
  purges: boolean;
}

const YEAR = 365 * 86_400_000;
const at = (date: Date) => () => date;

/** A check as the function stores it; `checkedAt` and the outcome vary with the replay. */
export const aCheck = (checkedAt: Date, overrides: Partial<StoredPremiumCheck> = {}): StoredPremiumCheck => ({
  checkId: `contract-${randomUUID()}`,
  checkedAt: checkedAt.toISOString(),
  scheme: 'ACS',
  employerEnterpriseNumber: '0403170701',
  workerSubject: `t1:${randomBytes(32).toString('hex')}`,
  month: '2024-10',
  outcome: 'NON_CONFORM',
  premium: { due: '350.00', employerShare: null, paidByRegion: '332.50' },
  findings: [
    { check: 'NON_REPLACEMENT', outcome: 'PASS', text: 'kept', params: { now: '10.20', quarter: '2024-Q1', average: '10.00', baseYear: 2022 } },
    {
      check: 'DECLARATION_MATCH',
      outcome: 'FAIL',
      text: 'differs',
      params: { field: 'grossSalary', declared: '2500.00', found: '2400.00' },
      declared: '2500.00',
      found: '2400.00',
    },
  ],
  ...overrides,
});

export const premiumCheckContract = (name: string, make: MakePremiumChecks, { purges }: PremiumCheckContractOptions) => {
  const T0 = new Date(purges ? '1991-03-01T09:00:00.000Z' : '2101-03-01T09:00:00.000Z');
  const A_DAY_LATER = new Date(T0.getTime() + 86_400_000);
  const ELEVEN_YEARS_LATER = new Date(T0.getTime() + 11 * YEAR);
  const check = (overrides: Partial<StoredPremiumCheck> = {}) => aCheck(T0, overrides);
  describe(`PremiumCheckRepository contract: ${name}`, () => {
    it('creates a check if absent and answers a replay of its id with the check first stored', async () => {
      const store = await make({ clock: at(A_DAY_LATER) });
      const first = check();
      expect(await store.save(first)).toEqual({ created: true, check: first });
      const replay = { ...first, checkedAt: A_DAY_LATER.toISOString(), outcome: 'CONFORM' as const, findings: [] };
      expect(await store.save(replay)).toEqual({ created: false, check: first });
      const other = check();
      expect(await store.save(other)).toEqual({ created: true, check: other });
    });

    it('stores one check when ten saves of one id arrive at once, and gives all of them its answer', async () => {
      const store = await make({ clock: at(A_DAY_LATER) });
      const checkId = `contract-${randomUUID()}`;
      const variants = Array.from({ length: 10 }, (_, i) => check({ checkId, premium: { due: `${100 + i}.00`, employerShare: null, paidByRegion: null } }));
      const results = await Promise.all(variants.map((v) => store.save(v)));
      const created = results.filter((r) => r.created);
      expect(created).toHaveLength(1);
      for (const r of results) expect(r.check).toEqual(created[0]!.check);
      expect(variants).toContainEqual(created[0]!.check);
    });

    it('treats a check past its retention as absent: a new save of its id is stored', async () => {
      const stored = check();
      await (await make({ clock: at(T0) })).save(stored);
      expect((await (await make({ clock: at(A_DAY_LATER) })).save(check({ checkId: stored.checkId, outcome: 'CONFORM' }))).created).toBe(false);
      const anew = check({ checkId: stored.checkId, checkedAt: ELEVEN_YEARS_LATER.toISOString(), outcome: 'INCOMPLETE' });
      expect(await (await make({ clock: at(ELEVEN_YEARS_LATER) })).save(anew)).toEqual({ created: true, check: anew });
    });

    it.skipIf(!purges)('purges the checks past their retention and keeps the live ones', async () => {
      const old = check();
      const live = check({ checkedAt: ELEVEN_YEARS_LATER.toISOString() });
      await (await make({ clock: at(T0) })).save(old);
      const later = await make({ clock: at(ELEVEN_YEARS_LATER) });
      await later.save(live);
      await later.purgeExpired!(ELEVEN_YEARS_LATER);
      // Read as of a day after the old one was stored: it is gone, not merely hidden.
      expect((await (await make({ clock: at(A_DAY_LATER) })).save(check({ checkId: old.checkId }))).created).toBe(true);
      expect(await later.save(check({ checkId: live.checkId }))).toEqual({ created: false, check: live });
    });
  });
};
