import { randomInt, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlreadyApproved, LedgerPosting } from '../../shared/domain/training-leave/evaluate.js';
import {
  CLAIM_STATUSES,
  type Claim,
  type ClaimListQuery,
  type ClaimRepository,
  type ClaimStatus,
  type ClaimWait,
  InvalidCursorError,
  type StoredDecision,
  type WaitingQuery,
} from '../../shared/domain/training-leave/ports.js';

/**
 * What every ClaimRepository means (the in-memory fake, DynamoDB, PostgreSQL), as the
 * functions rely on it: create-if-absent, lists, decide once, the ledger's bounds under
 * concurrency, settlement, withdrawal and the ledger across a key rotation. Each test gets a
 * fresh harness (`make`), whose repository hashes workers with a key of its own: its ledger
 * rows are its own even on a database other test files share. Employers are unique per test.
 */
export interface ClaimRepositoryHarness {
  /** The repository under test, its subject-hash key this test's own (version t1). */
  repo: ClaimRepository;
  /** Another instance over the same storage on this key list (current first), as another container after a rotation. */
  withKeys(keys: Record<string, string>): ClaimRepository;
  /** The claim as it rests in storage (every attribute or column), to look for a NISS in it. */
  stored(claimId: string): Promise<unknown>;
  close?(): Promise<void>;
}

const NISS = '86041210115';

/** An enterprise number of this test's own, so other tests' claims stay out of its lists. */
const enterprise = () => `0${String(randomInt(100_000_000, 999_999_999))}`;

const claimOf = (employer: string, over: Partial<Claim> = {}): Claim => ({
  claimId: randomUUID(),
  status: 'RECEIVED',
  submittedAt: new Date().toISOString(),
  requestHash: 'contract',
  employerEnterpriseNumber: employer,
  workerNiss: NISS,
  schoolYear: '2024-2025',
  training: { id: `ODB-C-${randomUUID().slice(0, 8)}`, startDate: '2024-10-01', endDate: '2025-06-30' },
  hoursByMonth: { '2024-10': 50 },
  ...over,
});

/** A decision approving what its school-year posting (or its first) says, at the forfait. */
const decisionOf = (ledger: LedgerPosting[], over: Partial<StoredDecision> = {}): StoredDecision => {
  const hours = (ledger.find((p) => p.bound === 'SCHOOL_YEAR') ?? ledger[0])?.hours ?? 0;
  return {
    outcome: hours > 0 ? 'APPROVED' : 'REJECTED',
    final: true,
    approvedHours: hours,
    approvedHoursByMonth: hours > 0 ? { '2024-10': hours } : {},
    amount: (hours * 21.3).toFixed(2),
    reasons: [],
    ledger,
    figures: {},
    decidedAt: new Date().toISOString(),
    ...over,
  };
};

/** 5 ms plus up to 10·2^attempt ms (at most 200 ms), jittered, as the consumer waits. */
const backoff = (attempt: number) => sleep(5 + Math.random() * Math.min(200, 10 * 2 ** attempt));

/**
 * The consumer's loop: read the ledger, evaluate, decide; on LEDGER_MOVED evaluate again.
 * Resolves to DECIDED or ALREADY_DECIDED (never LEDGER_MOVED: it keeps trying).
 */
const decideAsConsumer = async (repo: ClaimRepository, claim: Claim, evaluate: (read: AlreadyApproved) => StoredDecision) => {
  for (let attempt = 1; attempt <= 200; attempt++) {
    const read = await repo.approvedSoFar(claim);
    const result = await repo.decide(claim, evaluate(read));
    if (result !== 'LEDGER_MOVED') return result;
    await backoff(attempt);
  }
  throw new Error(`claim ${claim.claimId}: the ledger kept moving`);
};

/** Every page of a list, following `next`, checking each page's size. */
const everyPage = async (repo: ClaimRepository, query: ClaimListQuery, until?: (seen: string[]) => boolean) => {
  const seen: string[] = [];
  const order: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await repo.list({ ...query, ...(cursor ? { cursor } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(query.limit);
    seen.push(...page.items.map((c) => c.claimId));
    order.push(...page.items.map((c) => `${c.submittedAt}#${c.claimId}`));
    cursor = page.next;
    pages++;
  } while (cursor && pages < 100 && !until?.(seen));
  return { seen, order, pages };
};

const opened = async (repo: ClaimRepository, claimId: string) => repo.open((await repo.get(claimId))!);

export const claimRepositoryContract = (name: string, make: () => Promise<ClaimRepositoryHarness>) => {
  describe(`ClaimRepository contract: ${name}`, () => {
    let harness: ClaimRepositoryHarness;
    let repo: ClaimRepository;
    beforeEach(async () => {
      harness = await make();
      repo = harness.repo;
    });
    afterEach(async () => {
      await harness.close?.();
    });

    describe('create and read', () => {
      it('creates a claim once: a second create of its id returns the stored one, unchanged', async () => {
        const claim = claimOf(enterprise());
        const first = await repo.create(claim);
        expect(first.created).toBe(true);
        const again = await repo.create({ ...claim, requestHash: 'other content' });
        expect(again.created).toBe(false);
        expect(again.claim).toEqual(first.claim);
        expect((await repo.get(claim.claimId))?.requestHash).toBe('contract');
      });

      it('ten creates of one id at once make one claim; every caller gets that one', async () => {
        const claimId = randomUUID();
        const employer = enterprise();
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => repo.create(claimOf(employer, { claimId, requestHash: `attempt-${i}` }))));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        const winner = results.find((r) => r.created)!.claim.requestHash;
        expect(results.map((r) => r.claim.requestHash)).toEqual(Array(10).fill(winner));
        expect((await repo.get(claimId))?.requestHash).toBe(winner);
      });

      it('gives the claim back sealed (subject hash, sealed NISS) and opens it to what was created; no NISS rests in storage', async () => {
        const claim = claimOf(enterprise());
        const { claim: sealed } = await repo.create(claim);
        expect(sealed).not.toHaveProperty('workerNiss');
        expect(sealed.workerSubject).toMatch(/^t1:[0-9a-f]{64}$/);
        expect(sealed.workerNissSealed).not.toContain(NISS);
        const read = await repo.get(claim.claimId);
        expect(read).toEqual(sealed);
        expect(await repo.open(read!)).toEqual(claim);
        expect(JSON.stringify(await harness.stored(claim.claimId))).not.toContain(NISS);
        expect(await repo.get(randomUUID())).toBeUndefined();
      });

      it('a warm-up (where the store has one) resolves and stores nothing; the next create seals and opens as usual', async () => {
        await expect(repo.warmUp?.() ?? Promise.resolve()).resolves.toBeUndefined();
        // The warm-up seals a constant for an item named 'warm-up': nothing of it is kept.
        expect(await repo.get('warm-up')).toBeUndefined();
        const claim = claimOf(enterprise());
        const { created } = await repo.create(claim);
        expect(created).toBe(true);
        expect(await opened(repo, claim.claimId)).toEqual(claim);
      });
    });

    describe('lists', () => {
      const make = async (employer: string, n: number, over: (i: number) => Partial<Claim> = () => ({})) => {
        const ids: string[] = [];
        for (let i = 0; i < n; i++) {
          const claim = claimOf(employer, { submittedAt: new Date(Date.UTC(2024, 10, 1, 8, i)).toISOString(), ...over(i) });
          await repo.create(claim);
          ids.push(claim.claimId);
        }
        return ids;
      };

      it('pages through an employer’s claims newest first, each once', async () => {
        const employer = enterprise();
        const ids = await make(employer, 7);
        const { seen, pages } = await everyPage(repo, { employerEnterpriseNumber: employer, limit: 3 });
        expect(seen).toEqual([...ids].reverse());
        expect(pages).toBe(3);
      });

      it('keeps its place across pages while newer claims arrive: none twice, none skipped', async () => {
        const employer = enterprise();
        const ids = await make(employer, 5);
        const first = await repo.list({ employerEnterpriseNumber: employer, limit: 2 });
        await repo.create(claimOf(employer, { submittedAt: new Date(Date.UTC(2024, 10, 2)).toISOString() }));
        const rest = await everyPage(repo, { employerEnterpriseNumber: employer, limit: 2, cursor: first.next! });
        expect([...first.items.map((c) => c.claimId), ...rest.seen]).toEqual([...ids].reverse());
      });

      it('filters by status and by school year, across pages', async () => {
        const employer = enterprise();
        const ids = await make(employer, 9, (i) => (i % 3 === 0 ? { status: 'DECIDED' } : { schoolYear: i % 3 === 1 ? '2024-2025' : '2025-2026' }));
        const decided = await everyPage(repo, { employerEnterpriseNumber: employer, status: 'DECIDED', limit: 2 });
        expect(decided.seen).toEqual(ids.filter((_, i) => i % 3 === 0).reverse());
        const year = await everyPage(repo, { employerEnterpriseNumber: employer, schoolYear: '2025-2026', limit: 2 });
        expect(year.seen).toEqual(ids.filter((_, i) => i % 3 === 2).reverse());
      });

      it('lists all claims for DWSE across employers, newest first', async () => {
        // Above every other test's claims but below claim-lifecycle's (2099), which counts on being first.
        const at = (day: number) => new Date(Date.UTC(2098, randomInt(0, 11), day, 0, 0, 0, randomInt(0, 999))).toISOString();
        const [a, b] = [enterprise(), enterprise()];
        const early = await make(a, 1, () => ({ submittedAt: at(1) }));
        const middle = await make(b, 1, () => ({ submittedAt: at(2) }));
        const late = await make(a, 1, () => ({ submittedAt: at(3) }));
        const mine = [...early, ...middle, ...late];
        const { seen, order } = await everyPage(repo, { limit: 2 }, (s) => mine.every((id) => s.includes(id)));
        expect(order).toEqual([...order].sort().reverse());
        const placed = seen.filter((id) => mine.includes(id));
        expect(new Set(placed).size).toBe(placed.length);
        expect(placed.sort()).toEqual([...mine].sort());
      });

      it('refuses a cursor from another employer’s list, from the DWSE list, or made up', async () => {
        const [a, b] = [enterprise(), enterprise()];
        await make(a, 3);
        await make(b, 3);
        const ofA = (await repo.list({ employerEnterpriseNumber: a, limit: 1 })).next!;
        const ofAll = (await repo.list({ limit: 1 })).next!;
        expect(ofA).toBeTypeOf('string');
        await expect(repo.list({ employerEnterpriseNumber: b, limit: 1, cursor: ofA })).rejects.toBeInstanceOf(InvalidCursorError);
        await expect(repo.list({ employerEnterpriseNumber: a, limit: 1, cursor: ofAll })).rejects.toBeInstanceOf(InvalidCursorError);
        await expect(repo.list({ limit: 1, cursor: ofA })).rejects.toBeInstanceOf(InvalidCursorError);
        for (const cursor of ['', 'e30', '%%%', Buffer.from('[1]').toString('base64url'), Buffer.from('"x"').toString('base64url')]) {
          await expect(repo.list({ employerEnterpriseNumber: a, limit: 1, cursor }), cursor).rejects.toBeInstanceOf(InvalidCursorError);
        }
      });
    });

    describe('lists by filter, across shards and pages', () => {
      /**
       * A school year of this test's own (the lists of a year then hold only its claims), in
       * 2097 (above the other tests' claims but the DWSE list's 2098 and claim-lifecycle's
       * 2099), over three employers; decided and withdrawn by the repository itself, so the
       * lists' keys follow each change of status.
       */
      const fill = async () => {
        const y = randomInt(3_000, 9_000);
        const schoolYear = `${y}-${y + 1}`;
        const employers = [enterprise(), enterprise(), enterprise()];
        const claims: Claim[] = [];
        for (let i = 0; i < 24; i++) {
          const claim = claimOf(employers[i % 3]!, {
            schoolYear,
            submittedAt: new Date(Date.UTC(2097, 0, 1, 0, i, randomInt(0, 59), randomInt(0, 999))).toISOString(),
          });
          await repo.create(claim);
          claims.push(claim);
        }
        const status: Record<string, ClaimStatus> = {};
        for (const [i, claim] of claims.entries()) {
          if (i % 3 === 0) {
            await repo.approvedSoFar(claim);
            expect(await repo.decide(claim, decisionOf([]))).toBe('DECIDED');
            status[claim.claimId] = 'DECIDED';
          } else if (i % 4 === 1) {
            expect((await repo.withdraw((await repo.get(claim.claimId))!, new Date())).outcome).toBe('WITHDRAWN');
            status[claim.claimId] = 'WITHDRAWN';
          } else status[claim.claimId] = 'RECEIVED';
        }
        const newestFirst = [...claims].sort((a, b) => (b.submittedAt < a.submittedAt ? -1 : 1));
        const expected = (f: (c: Claim) => boolean) => newestFirst.filter(f).map((c) => c.claimId);
        return { schoolYear, employers, status, expected };
      };

      it('every combination of school year, status and employer: newest first, each claim once, none missing, across pages', async () => {
        const { schoolYear, employers, status, expected } = await fill();
        const [e] = employers;
        const cases: [ClaimListQuery, (c: Claim) => boolean][] = [
          [{ schoolYear, limit: 5 }, () => true],
          ...CLAIM_STATUSES.map((s): [ClaimListQuery, (c: Claim) => boolean] => [{ schoolYear, status: s, limit: 3 }, (c) => status[c.claimId] === s]),
          [{ employerEnterpriseNumber: e!, limit: 2 }, (c) => c.employerEnterpriseNumber === e],
          [{ employerEnterpriseNumber: e!, status: 'RECEIVED', limit: 2 }, (c) => c.employerEnterpriseNumber === e && status[c.claimId] === 'RECEIVED'],
          [{ employerEnterpriseNumber: e!, schoolYear, limit: 3 }, (c) => c.employerEnterpriseNumber === e],
          [
            { employerEnterpriseNumber: e!, schoolYear, status: 'DECIDED', limit: 1 },
            (c) => c.employerEnterpriseNumber === e && status[c.claimId] === 'DECIDED',
          ],
          [{ employerEnterpriseNumber: e!, schoolYear: '1999-2000', limit: 3 }, () => false],
        ];
        for (const [query, mine] of cases) {
          const want = expected(mine);
          const { seen, pages } = await everyPage(repo, query);
          expect(seen, JSON.stringify(query)).toEqual(want);
          // Full pages until the last, which is never empty (unless the list is).
          expect(pages, JSON.stringify(query)).toBe(Math.max(1, Math.ceil(want.length / query.limit)));
        }
      });

      it('the DWSE lists by status alone, across every employer and year: newest first, ours in place', async () => {
        const { status, expected } = await fill();
        for (const s of CLAIM_STATUSES) {
          const mine = new Set(expected((c) => status[c.claimId] === s));
          const { seen, order } = await everyPage(repo, { status: s, limit: 10 }, (got) => [...mine].every((id) => got.includes(id)));
          expect(order).toEqual([...order].sort().reverse());
          expect(new Set(seen).size).toBe(seen.length);
          expect(seen.filter((id) => mine.has(id))).toEqual(expected((c) => status[c.claimId] === s));
        }
      });

      it('refuses a cursor of another filter, and one edited anywhere', async () => {
        const { schoolYear, employers } = await fill();
        const page = await repo.list({ schoolYear, limit: 2 });
        const cursor = page.next!;
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        expect((await repo.list({ schoolYear, limit: 2, cursor })).items).toHaveLength(2);
        for (const other of [
          {},
          { status: 'RECEIVED' as const },
          { schoolYear, status: 'DECIDED' as const },
          { employerEnterpriseNumber: employers[0]!, schoolYear },
        ])
          await expect(repo.list({ ...other, limit: 2, cursor }), JSON.stringify(other)).rejects.toBeInstanceOf(InvalidCursorError);
        const flip = (at: number) => `${cursor.slice(0, at)}${cursor[at] === 'A' ? 'B' : 'A'}${cursor.slice(at + 1)}`;
        for (const tampered of [flip(0), flip(20), flip(40), flip(cursor.length - 2), cursor.slice(0, -3), `${cursor}x`])
          await expect(repo.list({ schoolYear, limit: 2, cursor: tampered }), tampered).rejects.toBeInstanceOf(InvalidCursorError);
      });
    });

    describe('waiting and due for settlement', () => {
      it('the claims still waiting, submitted at `before` or earlier, oldest first', async () => {
        // A window of this test's own, nine years back (within retention, older than other tests' claims).
        const t0 = Date.now() - 9 * 365 * 86_400_000 + randomInt(0, 86_400_000);
        const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
        const employer = enterprise();
        const [waiting, decided, withdrawn, lastIn, after] = [0, 1, 2, 3, 5].map((m) => claimOf(employer, { submittedAt: at(m) }));
        for (const c of [after!, lastIn!, withdrawn!, decided!, waiting!]) await repo.create(c);
        await repo.approvedSoFar(decided!);
        expect(await repo.decide(decided!, decisionOf([]))).toBe('DECIDED');
        expect((await repo.withdraw((await repo.get(withdrawn!.claimId))!, new Date())).outcome).toBe('WITHDRAWN');
        const mine = new Set([waiting, decided, withdrawn, lastIn, after].map((c) => c!.claimId));
        const ids = (await repo.waiting({ submittedBefore: new Date(at(3)), now: new Date(at(3)) }, 1000)).filter((id) => mine.has(id));
        expect(ids).toEqual([waiting!.claimId, lastIn!.claimId]);
      });

      describe('postponed (a school year without published figures)', () => {
        // A school year of this test's own (the store takes any), so other tests' postponed claims and figures stay apart.
        const year = () => {
          const y = randomInt(3000, 9000);
          return `${y}-${y + 1}`;
        };
        const T = Date.UTC(2026, 11, 3, 10, 0, 0);
        const hours = (h: number) => new Date(T + h * 3_600_000);
        const waitUntil = (h: number): ClaimWait => ({
          code: 'SCHOOL_YEAR_FIGURES_NOT_PUBLISHED',
          since: hours(0).toISOString(),
          attempts: 1,
          nextAttemptAt: hours(h).toISOString(),
        });
        /** Every claim of `mine` due for the sweeper (a limit past every other test's claims). */
        const due = async (mine: Set<string>, query: Partial<WaitingQuery>) =>
          (await repo.waiting({ submittedBefore: new Date(), now: hours(0), ...query }, 100_000)).filter((id) => mine.has(id));

        it('is left alone until its next attempt, then due in order of it; a claim never postponed stays due as before, first', async () => {
          const schoolYear = year();
          const employer = enterprise();
          const [late, early, fresh] = [0, 1, 2].map((m) =>
            claimOf(employer, { schoolYear, submittedAt: new Date(T - 86_400_000 + m * 60_000).toISOString() }),
          );
          for (const c of [late!, early!, fresh!]) await repo.create(c);
          const mine = new Set([late, early, fresh].map((c) => c!.claimId));
          expect(await due(mine, {})).toEqual([late!.claimId, early!.claimId, fresh!.claimId]);
          expect(await repo.postpone(late!.claimId, waitUntil(2))).toBe(true);
          expect(await repo.postpone(early!.claimId, waitUntil(1))).toBe(true);
          // Postponed: what it waits for is kept beside it, language-neutral; it is still RECEIVED.
          expect(await repo.get(late!.claimId)).toMatchObject({ status: 'RECEIVED', waitingFor: waitUntil(2) });
          expect(await due(mine, {})).toEqual([fresh!.claimId]);
          expect(await due(mine, { now: hours(1) })).toEqual([fresh!.claimId, early!.claimId]);
          expect(await due(mine, { now: hours(3) })).toEqual([fresh!.claimId, early!.claimId, late!.claimId]);
          // Postponed again, further: due later again.
          expect(await repo.postpone(early!.claimId, { ...waitUntil(4), attempts: 2 })).toBe(true);
          expect(await due(mine, { now: hours(3) })).toEqual([fresh!.claimId, late!.claimId]);
          expect((await repo.get(early!.claimId))?.waitingFor).toEqual({ ...waitUntil(4), attempts: 2 });
          expect(JSON.stringify(await harness.stored(early!.claimId))).not.toContain(NISS);
        });

        it('is due at once, whatever its back-off, when its school year now has figures; other school years keep waiting', async () => {
          const [published, unpublished] = [year(), year()];
          if (published === unpublished) return;
          const employer = enterprise();
          const a = claimOf(employer, { schoolYear: published, submittedAt: new Date(T - 86_400_000).toISOString() });
          const b = claimOf(employer, { schoolYear: unpublished, submittedAt: new Date(T - 86_400_000).toISOString() });
          for (const c of [a, b]) {
            await repo.create(c);
            expect(await repo.postpone(c.claimId, waitUntil(24))).toBe(true);
          }
          const mine = new Set([a.claimId, b.claimId]);
          expect(await due(mine, {})).toEqual([]);
          expect(await due(mine, { figuresPublished: (y) => y === published })).toEqual([a.claimId]);
          // School years in order, each year's claims by their next attempt.
          const inYearOrder = published < unpublished ? [a.claimId, b.claimId] : [b.claimId, a.claimId];
          expect(await due(mine, { figuresPublished: () => true })).toEqual(inYearOrder);
          expect(await due(mine, { now: hours(24) })).toEqual(inYearOrder);
        });

        it('leaves the sweeper, and forgets what it waited for, once decided or withdrawn; a claim no longer RECEIVED is not postponed', async () => {
          const schoolYear = year();
          const employer = enterprise();
          const [decided, withdrawn] = [0, 1].map(() => claimOf(employer, { schoolYear, submittedAt: new Date(T - 86_400_000).toISOString() }));
          for (const c of [decided!, withdrawn!]) {
            await repo.create(c);
            expect(await repo.postpone(c.claimId, waitUntil(1))).toBe(true);
          }
          const mine = new Set([decided!.claimId, withdrawn!.claimId]);
          await repo.approvedSoFar(decided!);
          expect(await repo.decide(decided!, decisionOf([]))).toBe('DECIDED');
          const out = await repo.withdraw((await repo.get(withdrawn!.claimId))!, new Date());
          expect(out.outcome).toBe('WITHDRAWN');
          expect(out.claim).not.toHaveProperty('waitingFor');
          expect(await due(mine, { now: hours(48), figuresPublished: () => true })).toEqual([]);
          for (const id of mine) expect(await repo.get(id)).not.toHaveProperty('waitingFor');
          expect(await repo.postpone(decided!.claimId, waitUntil(2))).toBe(false);
          expect(await repo.postpone(withdrawn!.claimId, waitUntil(2))).toBe(false);
          expect(await repo.postpone(randomUUID(), waitUntil(2))).toBe(false);
          expect(await repo.get(decided!.claimId)).toMatchObject({ status: 'DECIDED' });
        });

        it('is created once: a second create of a postponed claim’s id returns it, still postponed', async () => {
          const claim = claimOf(enterprise(), { schoolYear: year() });
          await repo.create(claim);
          expect(await repo.postpone(claim.claimId, waitUntil(1))).toBe(true);
          const again = await repo.create(claim);
          expect(again.created).toBe(false);
          expect(again.claim.waitingFor).toEqual(waitUntil(1));
          expect(await due(new Set([claim.claimId]), {})).toEqual([]);
        });
      });

      it('the provisionally decided claims whose training ended before today, oldest first; not once settled or withdrawn', async () => {
        const employer = enterprise();
        const ending = (endDate: string) =>
          claimOf(employer, { schoolYear: '2017-2018', training: { id: `ODB-S-${randomUUID()}`, startDate: '2017-10-01', endDate } });
        // `final` is decided finally, the others provisionally.
        const [first, second, final, third] = [ending('2018-03-01'), ending('2018-03-05'), ending('2018-03-05'), ending('2018-03-09')];
        for (const c of [third!, final!, second!, first!]) {
          await repo.create(c);
          expect(await repo.decide(c, decisionOf([], { final: c === final }))).toBe('DECIDED');
        }
        const mine = new Set([first, second, final, third].map((c) => c!.claimId));
        const due = async (today: string) => (await repo.dueForSettlement(today, 1000)).filter((id) => mine.has(id));
        expect(await due('2018-03-05')).toEqual([first!.claimId]);
        expect(await due('2018-03-06')).toEqual([first!.claimId, second!.claimId]);
        expect(await due('2018-03-10')).toEqual([first!.claimId, second!.claimId, third!.claimId]);
        const provisional = await opened(repo, first!.claimId);
        expect(await repo.settle(provisional, decisionOf([]), 'settled')).toBe('DECIDED');
        expect((await repo.withdraw((await repo.get(second!.claimId))!, new Date())).outcome).toBe('WITHDRAWN');
        expect(await due('2018-03-10')).toEqual([third!.claimId]);
      });
    });

    describe('decisions and the ledger', () => {
      const training = (claim: Claim, already: number, hours: number, limit = 100): LedgerPosting => ({
        bound: 'TRAINING',
        scope: claim.training.id,
        limitHours: limit,
        alreadyApprovedHours: already,
        hours,
      });

      it('decides a claim once: of eight deliveries at once, one records the decision, the others find it decided', async () => {
        const claim = claimOf(enterprise());
        await repo.create(claim);
        const results = await Promise.all(
          Array.from({ length: 8 }, async () => {
            // Each delivery opens its own copy, as separate consumers would.
            const copy = await opened(repo, claim.claimId);
            return decideAsConsumer(repo, copy, (read) => decisionOf([training(copy, read.training, 10)]));
          }),
        );
        expect(results.filter((r) => r === 'DECIDED')).toHaveLength(1);
        expect(results.filter((r) => r === 'ALREADY_DECIDED')).toHaveLength(7);
        expect((await repo.approvedSoFar(claim)).training).toBe(10);
        expect((await repo.get(claim.claimId))?.status).toBe('DECIDED');
      });

      it('LEDGER_MOVED when another decision moved the ledger between the read and the decision; evaluated again, it is recorded', async () => {
        const employer = enterprise();
        const shared = claimOf(employer);
        const [mine, theirs] = [claimOf(employer, { training: shared.training }), claimOf(employer, { training: shared.training })];
        await repo.create(mine);
        await repo.create(theirs);
        const stale = await repo.approvedSoFar(mine);
        await repo.approvedSoFar(theirs);
        expect(await repo.decide(theirs, decisionOf([training(theirs, 0, 30)]))).toBe('DECIDED');
        expect(await repo.decide(mine, decisionOf([training(mine, stale.training, 30)]))).toBe('LEDGER_MOVED');
        expect((await repo.get(mine.claimId))?.status).toBe('RECEIVED');
        const fresh = await repo.approvedSoFar(mine);
        expect(fresh.training).toBe(30);
        expect(await repo.decide(mine, decisionOf([training(mine, fresh.training, 30)]))).toBe('DECIDED');
        expect((await repo.approvedSoFar(mine)).training).toBe(60);
      });

      it('refuses a posting past its bound, whatever the caller says it read', async () => {
        const claim = claimOf(enterprise());
        await repo.create(claim);
        await repo.approvedSoFar(claim);
        await expect(repo.decide(claim, decisionOf([training(claim, 0, 30, 20)]))).rejects.toThrow(/outside its bound/);
        expect((await repo.get(claim.claimId))?.status).toBe('RECEIVED');
      });

      it('ten claims of 50 h at once for a worker whose maximum is 100 h: exactly 100 h approved, each claim decided once', async () => {
        const employer = enterprise();
        const claims = Array.from({ length: 10 }, () => claimOf(employer, { hoursByMonth: { '2024-10': 25, '2024-11': 25 } }));
        for (const c of claims) await repo.create(c);
        const results = await Promise.all(
          claims.map((c) =>
            decideAsConsumer(repo, c, (read) => {
              const hours = Math.min(50, 100 - read.schoolYear, 250 - (read.quarters['2024-Q4'] ?? 0));
              if (hours <= 0) return decisionOf([]);
              return decisionOf([
                { bound: 'SCHOOL_YEAR', scope: c.schoolYear, limitHours: 100, alreadyApprovedHours: read.schoolYear, hours },
                { bound: 'TRAINING', scope: c.training.id, limitHours: 500, alreadyApprovedHours: read.training, hours },
                { bound: 'QUARTER', scope: '2024-Q4', limitHours: 250, alreadyApprovedHours: read.quarters['2024-Q4'] ?? 0, hours },
              ]);
            }),
          ),
        );
        expect(results).toEqual(Array(10).fill('DECIDED'));
        const decided = await Promise.all(claims.map((c) => repo.get(c.claimId)));
        expect(decided.reduce((sum, c) => sum + c!.decision!.approvedHours, 0)).toBe(100);
        expect(decided.filter((c) => c!.decision!.approvedHours === 0)).toHaveLength(8);
        const ledger = await repo.approvedSoFar(claims[0]!);
        expect(ledger).toMatchObject({ schoolYear: 100, quarters: { '2024-Q4': 100 }, schoolYearLimit: 100 });
      });

      it('the school year keeps the maximum its first approving decision set: a posting under another is LEDGER_MOVED', async () => {
        const employer = enterprise();
        const [first, next] = [claimOf(employer), claimOf(employer)];
        await repo.create(first);
        await repo.create(next);
        await repo.approvedSoFar(first);
        expect(await repo.decide(first, decisionOf([{ bound: 'SCHOOL_YEAR', scope: '2024-2025', limitHours: 100, alreadyApprovedHours: 0, hours: 10 }]))).toBe(
          'DECIDED',
        );
        expect((await repo.approvedSoFar(next)).schoolYearLimit).toBe(100);
        const posting = { bound: 'SCHOOL_YEAR' as const, scope: '2024-2025', limitHours: 125, alreadyApprovedHours: 10, hours: 5 };
        expect(await repo.decide(next, decisionOf([posting]))).toBe('LEDGER_MOVED');
        expect(await repo.decide(next, decisionOf([{ ...posting, limitHours: 100 }]))).toBe('DECIDED');
        expect((await repo.approvedSoFar(next)).schoolYear).toBe(15);
      });
    });

    describe('settlement', () => {
      const provisionalClaim = async () => {
        const claim = claimOf(enterprise());
        await repo.create(claim);
        await repo.approvedSoFar(claim);
        const provisional = decisionOf(
          [
            { bound: 'SCHOOL_YEAR', scope: claim.schoolYear, limitHours: 125, alreadyApprovedHours: 0, hours: 20 },
            { bound: 'TRAINING', scope: claim.training.id, limitHours: 120, alreadyApprovedHours: 0, hours: 20 },
          ],
          { final: false },
        );
        expect(await repo.decide(claim, provisional)).toBe('DECIDED');
        return opened(repo, claim.claimId);
      };
      const final = (claim: Claim, read: AlreadyApproved, hours: number) =>
        decisionOf(
          [
            { bound: 'SCHOOL_YEAR', scope: claim.schoolYear, limitHours: 125, alreadyApprovedHours: read.schoolYear - 20, hours },
            { bound: 'TRAINING', scope: claim.training.id, limitHours: 120, alreadyApprovedHours: read.training - 20, hours },
          ],
          { final: true },
        );

      it('replaces the provisional decision once, moves the ledger by the difference and keeps the correction', async () => {
        const claim = await provisionalClaim();
        const read = await repo.approvedSoFar(claim);
        expect(read.training).toBe(20);
        expect(await repo.settle(claim, final(claim, read, 12), 'Settled on the attendance of the whole training.')).toBe('DECIDED');
        const settled = await opened(repo, claim.claimId);
        expect(settled.decision).toMatchObject({ final: true, approvedHours: 12 });
        expect(settled.corrections).toEqual([
          {
            at: settled.decision!.decidedAt,
            reason: 'Settled on the attendance of the whole training.',
            previous: expect.objectContaining({ approvedHours: 20 }),
          },
        ]);
        expect(await repo.approvedSoFar(settled)).toMatchObject({ schoolYear: 12, training: 12 });
        // Once: the settled claim, or a stale copy still holding the provisional decision, is not settled again.
        expect(await repo.settle(settled, final(settled, await repo.approvedSoFar(settled), 12), 'again')).toBe('ALREADY_DECIDED');
        expect(await repo.settle(claim, final(claim, read, 12), 'again')).toBe('ALREADY_DECIDED');
        expect((await repo.get(claim.claimId))?.corrections).toHaveLength(1);
        expect((await repo.approvedSoFar(settled)).training).toBe(12);
      });

      it('two settlements of one claim at once: one is recorded, the other finds it settled', async () => {
        const claim = await provisionalClaim();
        const results = await Promise.all(
          [15, 18].map(async (hours) => {
            const copy = await opened(repo, claim.claimId);
            for (let attempt = 1; ; attempt++) {
              const read = await repo.approvedSoFar(copy);
              const result = await repo.settle(copy, final(copy, read, hours), 'settled');
              if (result !== 'LEDGER_MOVED' || attempt >= 100) return result;
              await backoff(attempt);
            }
          }),
        );
        expect(results.sort()).toEqual(['ALREADY_DECIDED', 'DECIDED']);
        const settled = await repo.get(claim.claimId);
        expect(settled?.corrections).toHaveLength(1);
        expect((await repo.approvedSoFar(claim)).training).toBe(settled!.decision!.approvedHours);
      });
    });

    describe('withdrawal', () => {
      it('against a decision at the same moment, exactly one wins, many times over', async () => {
        const outcomes = { withdrawn: 0, decided: 0 };
        for (let round = 0; round < 10; round++) {
          const claim = claimOf(enterprise());
          await repo.create(claim);
          const [forWithdrawal, forDecision] = [(await repo.get(claim.claimId))!, await opened(repo, claim.claimId)];
          const [withdrawal, decision] = await Promise.all([
            repo.withdraw(forWithdrawal, new Date()),
            decideAsConsumer(repo, forDecision, (read) =>
              decisionOf([{ bound: 'TRAINING', scope: claim.training.id, limitHours: 10, alreadyApprovedHours: read.training, hours: 1 }]),
            ),
          ]);
          const stored = (await repo.get(claim.claimId))!;
          if (stored.status === 'WITHDRAWN') {
            outcomes.withdrawn++;
            expect([withdrawal.outcome, decision]).toEqual(['WITHDRAWN', 'ALREADY_DECIDED']);
            expect(stored.decision).toBeUndefined();
            expect((await repo.approvedSoFar(claim)).training).toBe(0);
          } else {
            outcomes.decided++;
            expect([stored.status, decision, withdrawal.outcome]).toEqual(['DECIDED', 'DECIDED', 'TOO_LATE']);
            expect((await repo.approvedSoFar(claim)).training).toBe(1);
          }
        }
        expect(outcomes.withdrawn + outcomes.decided).toBe(10);
      });

      it('of a provisionally decided claim releases its hours (the year forgets its maximum) and keeps the decision as a correction; a final one is TOO_LATE', async () => {
        const employer = enterprise();
        const claim = claimOf(employer);
        await repo.create(claim);
        await repo.approvedSoFar(claim);
        const postings: LedgerPosting[] = [
          { bound: 'SCHOOL_YEAR', scope: claim.schoolYear, limitHours: 100, alreadyApprovedHours: 0, hours: 20 },
          { bound: 'TRAINING', scope: claim.training.id, limitHours: 120, alreadyApprovedHours: 0, hours: 20 },
          { bound: 'QUARTER', scope: '2024-Q4', limitHours: 250, alreadyApprovedHours: 0, hours: 20 },
        ];
        expect(await repo.decide(claim, decisionOf(postings, { final: false }))).toBe('DECIDED');
        const provisional = await opened(repo, claim.claimId);
        expect(await repo.approvedSoFar(provisional)).toMatchObject({ schoolYear: 20, schoolYearLimit: 100 });
        const { outcome, claim: withdrawn } = await repo.withdraw((await repo.get(provisional.claimId))!, new Date('2024-12-20T10:00:00Z'));
        expect([outcome, withdrawn.status, withdrawn.withdrawnAt]).toEqual(['WITHDRAWN', 'WITHDRAWN', '2024-12-20T10:00:00.000Z']);
        const after = (await repo.get(claim.claimId))!;
        expect(after.status).toBe('WITHDRAWN');
        expect(after.decision).toBeUndefined();
        expect(after.corrections).toEqual([
          { at: '2024-12-20T10:00:00.000Z', reason: expect.stringMatching(/Withdrawn/), previous: expect.objectContaining({ approvedHours: 20 }) },
        ]);
        expect(await repo.approvedSoFar(claim)).toEqual({ schoolYear: 0, training: 0, quarters: { '2024-Q4': 0 } });
        // Withdrawn again: nothing more moves.
        expect((await repo.withdraw((await repo.get(claim.claimId))!, new Date())).outcome).toBe('WITHDRAWN');
        expect((await repo.approvedSoFar(claim)).training).toBe(0);

        const finalClaim = claimOf(employer);
        await repo.create(finalClaim);
        await repo.approvedSoFar(finalClaim);
        expect(await repo.decide(finalClaim, decisionOf([]))).toBe('DECIDED');
        expect((await repo.withdraw((await repo.get(finalClaim.claimId))!, new Date())).outcome).toBe('TOO_LATE');
        expect((await repo.get(finalClaim.claimId))?.status).toBe('DECIDED');
      });
    });

    describe('the ledger across a subject-hash key rotation', () => {
      const keys = () => ({ v1: `rot-v1-${randomUUID()}`, v2: `rot-v2-${randomUUID()}` });
      const posting = (claim: Claim, read: number, hours: number) =>
        decisionOf([{ bound: 'TRAINING', scope: claim.training.id, limitHours: 20, alreadyApprovedHours: read, hours }]);

      it('counts a bound’s hours under both key versions together and posts to the row that holds them', async () => {
        const k = keys();
        const before = harness.withKeys({ v1: k.v1 });
        const after = harness.withKeys({ v2: k.v2, v1: k.v1 });
        const v2Only = harness.withKeys({ v2: k.v2 });
        const employer = enterprise();
        const first = claimOf(employer);
        const [second, third] = [claimOf(employer, { training: first.training }), claimOf(employer, { training: first.training })];
        await before.create(first);
        await before.approvedSoFar(first);
        expect(await before.decide(first, posting(first, 0, 12))).toBe('DECIDED');
        // v2 current, v1 still accepted: the 12 h count.
        await after.create(second);
        expect((await after.approvedSoFar(second)).training).toBe(12);
        expect(await after.decide(second, posting(second, 12, 8))).toBe('DECIDED');
        // The 20 h are on the v1 row: a v2-only reader sees none of them (nothing rewritten).
        expect((await before.approvedSoFar(first)).training).toBe(20);
        expect((await v2Only.approvedSoFar(first)).training).toBe(0);
        // Past the bound across both versions: refused, not counted from zero under v2.
        await after.create(third);
        await after.approvedSoFar(third);
        await expect(after.decide(third, posting(third, 20, 1))).rejects.toThrow(/outside its bound/);
      });

      it('LEDGER_MOVED when the bound moved under the other key version since it was read', async () => {
        const k = keys();
        const v1Only = harness.withKeys({ v1: k.v1 });
        const v2Only = harness.withKeys({ v2: k.v2 });
        const both = harness.withKeys({ v2: k.v2, v1: k.v1 });
        const employer = enterprise();
        const base = claimOf(employer);
        const claim = () => claimOf(employer, { training: base.training });
        const decided = async (store: ClaimRepository, read: number, hours: number) => {
          const c = claim();
          await store.create(c);
          await store.approvedSoFar(c);
          expect(await store.decide(c, posting(c, read, hours))).toBe('DECIDED');
        };
        await decided(v1Only, 0, 12);
        await decided(v2Only, 0, 5);
        const third = claim();
        await both.create(third);
        expect((await both.approvedSoFar(third)).training).toBe(17);
        // Meanwhile a container still on v2 only posts 3 h to the v2 row.
        await decided(v2Only, 5, 3);
        expect(await both.decide(third, posting(third, 17, 3))).toBe('LEDGER_MOVED');
        expect((await both.approvedSoFar(third)).training).toBe(20);
      });
    });
  });
};
