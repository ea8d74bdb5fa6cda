import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AccessLog, AuditDayItem, AuditEntry, AuditInvestigation, AuditSink } from '../../shared/audit/audit-trail.js';
import { InvalidCursorError } from '../../shared/domain/pagination.js';
import { type MacService, Pseudonymiser } from '../../shared/privacy/pseudonymiser.js';
import { inProcessMacs } from '../support/pseudonymiser.js';

/**
 * What every audit trail means (DynamoDB, PostgreSQL, the in-memory fake), as the citizen's
 * access log sees it: a record is found by its subject under every accepted key version,
 * newest first, in pages whose cursor is stable and refuses what it did not give; a list's
 * disclosures are one record per distinct person, `listed`, all or none; nobody sees
 * another's records, and a refusal naming no one is in nobody's log. Records past their
 * retention are hidden and purged. `make` gives a trail on one shared backing (every call
 * the same data) with the pseudonymiser and "now" given.
 */
export type AuditUnderTest = AuditSink & AccessLog & AuditInvestigation & { purgeExpired?(now: Date): Promise<unknown> };

export type MakeAudit = (options: { pseudonymiser: Pseudonymiser; clock: () => Date }) => Promise<AuditUnderTest>;

/**
 * `purges`: the implementation's purge deletes, table-wide, what is past its expiry at the
 * instant given. Such a purge reaches every row written as of a date before that instant, so
 * the suite writes its rows in the past (1991) and purges as of 2002: nothing any other test
 * wrote is reached. DynamoDB's purge is the scheduled function over the whole table
 * (test/integration/retention.test.ts), which another file runs as of today: there the
 * suite writes in the future (2101), where nothing purges, and does not purge.
 */
export interface AuditContractOptions {
  purges: boolean;
}

const CITIZEN = '85073003328';
const OTHER = '87091520373';
const THIRD = '90022212345';
const DAY = 86_400_000;

/** A clock that moves a second per reading, from `start`: every record has its own instant. */
const ticking = (start: number) => {
  let now = start;
  return () => {
    now += 1_000;
    return new Date(now);
  };
};
const fixed = (at: number) => () => new Date(at);

/** A key of its own per test: the rows of one test are nobody else's, on a shared table. */
const keys = () => ({ v1: `contract-${randomUUID()}`, v2: `contract-${randomUUID()}` });

const access = (subjectNiss: string | undefined, purpose: string, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  purpose,
  deliberation: '24/012',
  requestId: randomUUID(),
  actorRole: 'citizen',
  actorOrganisation: 'MYCAREER',
  outcome: 'ALLOWED',
  status: 200,
  ...(subjectNiss ? { subjectNiss } : {}),
  ...overrides,
});

/** A refusal before authentication: no subject, no organisation. */
const anonymousRefusal = (): AuditEntry => ({
  purpose: 'ANONYMOUS',
  deliberation: '24/012',
  requestId: randomUUID(),
  actorRole: 'anonymous',
  outcome: 'DENIED',
  status: 401,
  code: 'UNAUTHENTICATED',
});

/** A purpose of its own per test: its days are nobody else's, on a shared table. */
const purposeOwn = (label: string) => `${label}-${randomUUID()}`;

/** Every page of a purpose's day, following `next`. */
const dayPages = async (trail: AuditInvestigation, purpose: string, day: string, limit: number) => {
  const pages: { items: AuditDayItem[]; next?: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await trail.recordsOf(purpose, day, { limit, ...(cursor ? { cursor } : {}) });
    pages.push(page);
    cursor = page.next;
  } while (cursor && pages.length < 200);
  return pages;
};

/** A record's identity in a day reading: its request id, and for a list's disclosure its subject. */
const idOf = (item: AuditDayItem) =>
  item.kind === 'RECORD' ? `${item.requestId}${item.listed ? `/${item.subjectHash}` : ''}` : `refusals/${item.route}/${item.code}/${item.at}`;

const purposesOf = async (log: AccessLog, niss: string, limit = 100) => (await log.accessesTo(niss, { limit })).items.map((i) => i.purpose);

/** Every page, following `next`. */
const allPages = async (log: AccessLog, niss: string, limit: number) => {
  const pages = [];
  let cursor: string | undefined;
  do {
    const page = await log.accessesTo(niss, { limit, ...(cursor ? { cursor } : {}) });
    pages.push(page);
    cursor = page.next;
  } while (cursor && pages.length < 20);
  return pages;
};

/** A MAC service that cannot hash one NISS (KMS failing mid-list). */
const failingFor = (niss: string, keysOf: Record<string, string>): MacService => {
  const macs = inProcessMacs(keysOf);
  return {
    versions: macs.versions,
    mac: async (version, message) => {
      if (message.includes(niss)) throw new Error('KMS unavailable');
      return macs.mac(version, message);
    },
  };
};

export const auditContract = (name: string, make: MakeAudit, { purges }: AuditContractOptions) => {
  const T0 = Date.parse(purges ? '1991-06-01T08:00:00.000Z' : '2101-06-01T08:00:00.000Z');
  describe(`audit trail contract: ${name}`, () => {
    it('finds a record by its subject, as an access record without any person, NISS or hash', async () => {
      const trail = await make({ pseudonymiser: new Pseudonymiser(inProcessMacs(keys())), clock: ticking(T0) });
      await trail.prepare?.(CITIZEN);
      await trail.record(access(CITIZEN, 'P1', { actorRole: 'dwse', actorOrganisation: 'DWSE:competenties' }));
      const page = await trail.accessesTo(CITIZEN, { limit: 10 });
      expect(page).toEqual({
        items: [
          {
            at: new Date(T0 + 1_000).toISOString(),
            purpose: 'P1',
            deliberation: '24/012',
            actorRole: 'dwse',
            actorOrganisation: 'DWSE:competenties',
            outcome: 'ALLOWED',
          },
        ],
      });
      expect(JSON.stringify(page)).not.toMatch(new RegExp(`${CITIZEN}|requestId|subjectHash|t1:|v1:`));
    });

    it('finds a subject’s records under every accepted key version, newest first', async () => {
      const k = keys();
      const clock = ticking(T0);
      const before = await make({ pseudonymiser: new Pseudonymiser(inProcessMacs({ v1: k.v1 })), clock });
      await before.record(access(CITIZEN, 'P1'));
      await before.record(access(CITIZEN, 'P2', { outcome: 'DENIED', status: 403, code: 'FORBIDDEN' }));
      // A rotation: v2 current, v1 still accepted.
      const after = await make({ pseudonymiser: new Pseudonymiser(inProcessMacs({ v2: k.v2, v1: k.v1 })), clock });
      await after.record(access(CITIZEN, 'P3'));
      expect(await purposesOf(after, CITIZEN)).toEqual(['P3', 'P2', 'P1']);
      expect((await after.accessesTo(CITIZEN, { limit: 10 })).items[1]).toMatchObject({ purpose: 'P2', outcome: 'DENIED' });
      // Under v1 alone the v2 record cannot be found (its key is not known there).
      expect(await purposesOf(before, CITIZEN)).toEqual(['P2', 'P1']);
      // After v1 is withdrawn, what it hashed is out of reach.
      const withdrawn = await make({ pseudonymiser: new Pseudonymiser(inProcessMacs({ v2: k.v2 })), clock });
      expect(await purposesOf(withdrawn, CITIZEN)).toEqual(['P3']);
    });

    it('pages newest first with a cursor that is stable: the same cursor gives the same page, whatever was written since', async () => {
      const k = keys();
      const clock = ticking(T0);
      const trail = await make({ pseudonymiser: new Pseudonymiser(inProcessMacs({ v1: k.v1 })), clock });
      for (const p of ['P1', 'P2', 'P3', 'P4', 'P5']) await trail.record(access(CITIZEN, p));
      const pages = await allPages(trail, CITIZEN, 2);
      expect(pages.map((p) => p.items.map((i) => i.purpose))).toEqual([['P5', 'P4'], ['P3', 'P2'], ['P1']]);
      expect(pages.at(-1)!.next).toBeUndefined();
      const second = await trail.accessesTo(CITIZEN, { limit: 2, cursor: pages[0]!.next! });
      await trail.record(access(CITIZEN, 'P6'));
      expect(await trail.accessesTo(CITIZEN, { limit: 2, cursor: pages[0]!.next! })).toEqual(second);
      // A rotation between two pages keeps the cursor.
      const rotated = await make({ pseudonymiser: new Pseudonymiser(inProcessMacs({ v2: k.v2, v1: k.v1 })), clock });
      expect((await rotated.accessesTo(CITIZEN, { limit: 2, cursor: pages[0]!.next! })).items.map((i) => i.purpose)).toEqual(['P3', 'P2']);
      // A page that ends exactly at the last record says there is none after it.
      expect((await trail.accessesTo(CITIZEN, { limit: 6 })).next).toBeUndefined();
    });

    it('refuses a cursor it did not give: made up, edited, or from another person’s log', async () => {
      const trail = await make({ pseudonymiser: new Pseudonymiser(inProcessMacs(keys())), clock: ticking(T0) });
      for (const p of ['P1', 'P2', 'P3']) {
        await trail.record(access(CITIZEN, p));
        await trail.record(access(OTHER, p));
      }
      const mine = (await trail.accessesTo(CITIZEN, { limit: 1 })).next!;
      const theirs = (await trail.accessesTo(OTHER, { limit: 1 })).next!;
      // A cursor is base64url as the contract declares: its 32-hex-digit tag, then its position.
      expect(mine).toMatch(/^[A-Za-z0-9_-]+$/);
      const [tag, position] = [mine.slice(0, 32), mine.slice(32)];
      const edited = [
        `${tag.slice(0, -1)}${tag.endsWith('0') ? '1' : '0'}${position}`,
        `${tag}${Buffer.from(`${Buffer.from(position, 'base64url').toString('utf8')}x`).toString('base64url')}`,
      ];
      const madeUp = ['x', '', 'bm90LWEtY3Vyc29y', Buffer.from('2101-06-01T08:00:00.000Z#a#b').toString('base64url'), `${'0'.repeat(32)}${position}`];
      for (const cursor of [...madeUp, ...edited, theirs]) {
        await expect(trail.accessesTo(CITIZEN, { limit: 1, cursor }), cursor).rejects.toBeInstanceOf(InvalidCursorError);
      }
      // A cursor of another key set (another stage, a withdrawn key) is refused too.
      const elsewhere = await make({ pseudonymiser: new Pseudonymiser(inProcessMacs(keys())), clock: ticking(T0) });
      await expect(elsewhere.accessesTo(CITIZEN, { limit: 1, cursor: mine })).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it('reads a purpose’s day oldest first, over every shard, in pages with no record twice and none missing', async () => {
      const pseudonymiser = new Pseudonymiser(inProcessMacs(keys()));
      const clock = ticking(T0);
      const trail = await make({ pseudonymiser, clock });
      const purpose = purposeOwn('DAY');
      const day = new Date(T0).toISOString().slice(0, 10);
      // 120 accesses at 120 instants (many per shard), written 20 at a time, and a list of 30 people.
      const singles: string[] = [];
      for (let wave = 0; wave < 6; wave++) {
        const entries = Array.from({ length: 20 }, (_, i) =>
          access(i % 3 === 0 ? undefined : CITIZEN, purpose, i % 4 === 0 ? { outcome: 'DENIED', status: 403, code: 'FORBIDDEN' } : {}),
        );
        singles.push(...entries.map((e) => e.requestId));
        await Promise.all(entries.map((e) => trail.record(e)));
      }
      const list = {
        purpose,
        deliberation: '19/038',
        requestId: randomUUID(),
        actorRole: 'dwse',
        actorOrganisation: 'DWSE:inspectie',
        outcome: 'ALLOWED' as const,
      };
      const listed = Array.from({ length: 30 }, (_, i) => ({ hash: `v1:${String(i).padStart(64, '0')}` }));
      await trail.recordDisclosures(list, listed);
      // Neither another purpose nor another day is in the reading.
      await trail.record(access(CITIZEN, purposeOwn('OTHER')));
      await (await make({ pseudonymiser, clock: fixed(T0 - DAY) })).record(access(CITIZEN, purpose));

      const pages = await dayPages(trail, purpose, day, 7);
      const items = pages.flatMap((p) => p.items);
      expect(pages.length).toBe(Math.ceil(150 / 7));
      expect(pages.slice(0, -1).every((p) => p.items.length === 7 && p.next)).toBe(true);
      expect(pages.at(-1)!.next).toBeUndefined();
      expect(items.map(idOf)).toHaveLength(150);
      expect(new Set(items.map(idOf)).size).toBe(150);
      // Oldest first: the single accesses in the order written (each its own instant), the list's 30 records last.
      const records = items.filter((i) => i.kind === 'RECORD');
      expect(records.filter((i) => !i.listed).map((i) => i.requestId)).toEqual(singles);
      expect(records.slice(120).map((i) => i.listed && i.subjectHash)).toEqual(expect.arrayContaining(listed.map((l) => l.hash)));
      expect(items.map((i) => i.at)).toEqual(items.map((i) => i.at).sort());
      expect(records[0]).toEqual({
        kind: 'RECORD',
        at: new Date(T0 + 1_000).toISOString(),
        purpose,
        deliberation: '24/012',
        requestId: singles[0],
        actorRole: 'citizen',
        actorOrganisation: 'MYCAREER',
        outcome: 'DENIED',
        status: 403,
        code: 'FORBIDDEN',
      });
      expect(records[1]).toMatchObject({ outcome: 'ALLOWED', subjectHash: expect.stringMatching(/^v1:[0-9a-f]{64}$/) });
      expect(JSON.stringify(items)).not.toContain(CITIZEN);

      // Stable: a cursor gives the same page again, whatever was written since (later the same day).
      const third = await trail.recordsOf(purpose, day, { limit: 7, cursor: pages[1]!.next! });
      expect(third).toEqual(pages[2]);
      await trail.record(access(CITIZEN, purpose));
      expect(await trail.recordsOf(purpose, day, { limit: 7, cursor: pages[1]!.next! })).toEqual(third);
      // A page that ends exactly at the day's last record says there is none after it.
      expect((await trail.recordsOf(purpose, day, { limit: 151 })).next).toBeUndefined();
      expect(await trail.recordsOf(purposeOwn('EMPTY'), day, { limit: 5 })).toEqual({ items: [] });
    });

    it('refuses a day reading’s cursor it did not give: made up, edited, of another purpose or day, or of an access log', async () => {
      const pseudonymiser = new Pseudonymiser(inProcessMacs(keys()));
      const trail = await make({ pseudonymiser, clock: ticking(T0) });
      const [purpose, other] = [purposeOwn('DAY'), purposeOwn('DAY')];
      const day = new Date(T0).toISOString().slice(0, 10);
      for (let i = 0; i < 3; i++) {
        await trail.record(access(CITIZEN, purpose));
        await trail.record(access(CITIZEN, other));
      }
      const mine = (await trail.recordsOf(purpose, day, { limit: 1 })).next!;
      const theirs = (await trail.recordsOf(other, day, { limit: 1 })).next!;
      const accessLog = (await trail.accessesTo(CITIZEN, { limit: 1 })).next!;
      expect(mine).toMatch(/^[0-9a-f]{32}[A-Za-z0-9_-]+$/);
      const [tag, position] = [mine.slice(0, 32), mine.slice(32)];
      const edited = [
        `${tag.slice(0, -1)}${tag.endsWith('0') ? '1' : '0'}${position}`,
        `${tag}${Buffer.from(`${Buffer.from(position, 'base64url').toString('utf8')}0`).toString('base64url')}`,
        `${'0'.repeat(32)}${position}`,
      ];
      for (const cursor of ['x', '', Buffer.from(`${day}T08:00:00.000Z#a`).toString('base64url'), ...edited, theirs, accessLog]) {
        await expect(trail.recordsOf(purpose, day, { limit: 1, cursor }), cursor).rejects.toBeInstanceOf(InvalidCursorError);
      }
      const nextDay = new Date(T0 + DAY).toISOString().slice(0, 10);
      await expect(trail.recordsOf(purpose, nextDay, { limit: 1, cursor: mine })).rejects.toBeInstanceOf(InvalidCursorError);
      // Under another key set (another stage, a withdrawn key) the cursor is refused too.
      const elsewhere = await make({ pseudonymiser: new Pseudonymiser(inProcessMacs(keys())), clock: ticking(T0) });
      await expect(elsewhere.recordsOf(purpose, day, { limit: 1, cursor: mine })).rejects.toBeInstanceOf(InvalidCursorError);
      // A purpose or day that is not one (a `#` would reach into another key) is not read at all.
      await expect(trail.recordsOf('A#B', day, { limit: 1 })).rejects.toBeInstanceOf(RangeError);
      await expect(trail.recordsOf(purpose, '2101-6-1', { limit: 1 })).rejects.toBeInstanceOf(RangeError);
    });

    it('counts refusals before authentication: 200 at once on one route are one aggregate of 200; a known principal’s refusals stay one record each', async () => {
      const pseudonymiser = new Pseudonymiser(inProcessMacs(keys()));
      const purpose = purposeOwn('FLOOD');
      const day = new Date(T0).toISOString().slice(0, 10);
      const minute = T0 + 5 * 60_000;
      let tick = 0;
      // 200 refusals within one minute, all at once.
      const trail = await make({ pseudonymiser, clock: () => new Date(minute + 10_000 + (tick++ % 40) * 1_000) });
      const route = 'GET /v1/training-leave/claims';
      const flood = Array.from({ length: 200 }, () => ({ ...anonymousRefusal(), purpose, route }));
      await Promise.all(flood.map((e) => trail.record(e)));
      // Another reason, another route, another minute: each an aggregate of its own.
      await trail.record({ ...anonymousRefusal(), purpose, route, status: 503, code: 'KEYS_UNAVAILABLE', outcome: 'FAILED' });
      await trail.record({ ...anonymousRefusal(), purpose, route: 'POST /v1/training-leave/claims' });
      const later = await make({ pseudonymiser, clock: fixed(minute + 60_000) });
      await later.record({ ...anonymousRefusal(), purpose, route });
      // A 403 of a known principal: one record each, with who asked.
      const forbidden = Array.from({ length: 3 }, () =>
        access(undefined, purpose, { actorRole: 'employer', actorOrganisation: '0123456789', outcome: 'DENIED', status: 403, code: 'FORBIDDEN', route }),
      );
      await Promise.all(forbidden.map((e) => later.record(e)));

      const items = (await dayPages(trail, purpose, day, 3)).flatMap((p) => p.items);
      const aggregates = items.filter((i) => i.kind === 'REFUSALS');
      expect(aggregates.map((a) => [a.at, a.route, a.status, a.code, a.count])).toEqual(
        expect.arrayContaining([
          [new Date(minute).toISOString(), route, 401, 'UNAUTHENTICATED', 200],
          [new Date(minute).toISOString(), route, 503, 'KEYS_UNAVAILABLE', 1],
          [new Date(minute).toISOString(), 'POST /v1/training-leave/claims', 401, 'UNAUTHENTICATED', 1],
          [new Date(minute + 60_000).toISOString(), route, 401, 'UNAUTHENTICATED', 1],
        ]),
      );
      expect(aggregates).toHaveLength(4);
      const flooded = aggregates.find((a) => a.count === 200)!;
      expect(flooded).toMatchObject({
        kind: 'REFUSALS',
        purpose,
        deliberation: '24/012',
        actorRole: 'anonymous',
        outcome: 'DENIED',
      });
      // The first and last instants are among the refusals counted (DynamoDB: of those written first and last in each part).
      const instants = Array.from({ length: 40 }, (_, i) => new Date(minute + 10_000 + i * 1_000).toISOString());
      expect(instants).toContain(flooded.firstAt);
      expect(instants).toContain(flooded.lastAt);
      expect(flooded.firstAt <= flooded.lastAt).toBe(true);
      const ids = new Set(flood.map((e) => e.requestId));
      expect(flooded.sampleRequestIds.length).toBeGreaterThan(0);
      expect(flooded.sampleRequestIds.length).toBeLessThanOrEqual(8);
      expect(flooded.sampleRequestIds.every((id) => ids.has(id))).toBe(true);
      const records = items.filter((i) => i.kind === 'RECORD');
      expect(records.map((r) => r.requestId).sort()).toEqual(forbidden.map((e) => e.requestId).sort());
      expect(records.every((r) => r.actorOrganisation === '0123456789' && r.route === route)).toBe(true);
      expect(await purposesOf(trail, CITIZEN)).toEqual([]);
      // Kept 90 days, then hidden.
      const in89Days = await make({ pseudonymiser, clock: fixed(minute + 89 * DAY) });
      expect((await in89Days.recordsOf(purpose, day, { limit: 100 })).items.filter((i) => i.kind === 'REFUSALS')).toHaveLength(4);
      const in91Days = await make({ pseudonymiser, clock: fixed(minute + 91 * DAY) });
      expect((await in91Days.recordsOf(purpose, day, { limit: 100 })).items.filter((i) => i.kind === 'REFUSALS')).toEqual([]);
    });

    it('records a list’s disclosures once per distinct person, by NISS or by stored hash, each `listed` in their own log', async () => {
      const k = keys();
      const pseudonymiser = new Pseudonymiser(inProcessMacs({ v1: k.v1 }));
      const trail = await make({ pseudonymiser, clock: ticking(T0) });
      const thirdHash = await pseudonymiser.subject(THIRD);
      const entry = {
        purpose: 'LIST',
        deliberation: '19/038',
        requestId: randomUUID(),
        actorRole: 'dwse',
        actorOrganisation: 'DWSE:inspectie',
        outcome: 'ALLOWED' as const,
        status: 200,
      };
      await trail.recordDisclosures(entry, [{ niss: CITIZEN }, { niss: OTHER }, { niss: CITIZEN }, { hash: thirdHash }, { hash: thirdHash }]);
      await trail.recordDisclosures(entry, []);
      for (const niss of [CITIZEN, OTHER, THIRD]) {
        expect((await trail.accessesTo(niss, { limit: 10 })).items, niss).toEqual([
          {
            at: expect.any(String),
            purpose: 'LIST',
            deliberation: '19/038',
            actorRole: 'dwse',
            actorOrganisation: 'DWSE:inspectie',
            outcome: 'ALLOWED',
            listed: true,
          },
        ]);
      }
    });

    it('never shows another person’s records, and a refusal naming no one is in nobody’s log', async () => {
      const trail = await make({ pseudonymiser: new Pseudonymiser(inProcessMacs(keys())), clock: ticking(T0) });
      await trail.record(access(CITIZEN, 'MINE'));
      await trail.record(access(OTHER, 'THEIRS'));
      await trail.record(anonymousRefusal());
      await trail.record(access(undefined, 'UNBOUND', { outcome: 'DENIED', status: 403, code: 'FORBIDDEN' }));
      expect(await purposesOf(trail, CITIZEN)).toEqual(['MINE']);
      expect(await purposesOf(trail, OTHER)).toEqual(['THEIRS']);
      expect(await purposesOf(trail, THIRD)).toEqual([]);
    });

    it('records none of a list’s disclosures when one cannot be recorded, and says so', async () => {
      const k = keys();
      const trail = await make({ pseudonymiser: new Pseudonymiser(failingFor(THIRD, { v1: k.v1 })), clock: ticking(T0) });
      const entry = { purpose: 'LIST', deliberation: '19/038', requestId: randomUUID(), actorRole: 'dwse', outcome: 'ALLOWED' as const };
      await expect(trail.recordDisclosures(entry, [{ niss: CITIZEN }, { niss: OTHER }, { niss: THIRD }])).rejects.toThrow();
      expect(await purposesOf(trail, CITIZEN)).toEqual([]);
      expect(await purposesOf(trail, OTHER)).toEqual([]);
    });

    it('hides records past their retention (10 years for a record naming someone)', async () => {
      const pseudonymiser = new Pseudonymiser(inProcessMacs(keys()));
      await (await make({ pseudonymiser, clock: fixed(T0) })).record(access(CITIZEN, 'OLD'));
      await (await make({ pseudonymiser, clock: fixed(T0) })).recordDisclosures(
        { purpose: 'OLD_LIST', deliberation: '19/038', requestId: randomUUID(), actorRole: 'dwse', outcome: 'ALLOWED' },
        [{ niss: CITIZEN }],
      );
      expect((await purposesOf(await make({ pseudonymiser, clock: fixed(T0 + 9 * 365 * DAY) }), CITIZEN)).sort()).toEqual(['OLD', 'OLD_LIST']);
      expect(await purposesOf(await make({ pseudonymiser, clock: fixed(T0 + 11 * 365 * DAY) }), CITIZEN)).toEqual([]);
    });

    it.skipIf(!purges)(
      'purges what is past its retention: a purge 91 days on keeps the accesses (it is for refusals naming no one), one 11 years on deletes them',
      async () => {
        const k = keys();
        const pseudonymiser = new Pseudonymiser(inProcessMacs({ v1: k.v1 }));
        const writer = await make({ pseudonymiser, clock: fixed(T0) });
        await writer.record(access(CITIZEN, 'OLD'));
        await writer.recordDisclosures({ purpose: 'OLD_LIST', deliberation: '19/038', requestId: randomUUID(), actorRole: 'dwse', outcome: 'ALLOWED' }, [
          { niss: CITIZEN },
        ]);
        await writer.record(anonymousRefusal());
        const refused = purposeOwn('REFUSED');
        await writer.record({ ...anonymousRefusal(), purpose: refused, route: 'GET /v1/x' });
        const day = new Date(T0).toISOString().slice(0, 10);
        const aDayLater = await make({ pseudonymiser, clock: fixed(T0 + DAY) });
        expect(await purposesOf(aDayLater, CITIZEN)).toEqual(expect.arrayContaining(['OLD', 'OLD_LIST']));
        expect((await aDayLater.recordsOf(refused, day, { limit: 10 })).items).toMatchObject([{ kind: 'REFUSALS', count: 1 }]);

        // 91 days on, only refusals naming no one are past their retention: the aggregate is gone, not merely hidden.
        await writer.purgeExpired!(new Date(T0 + 91 * DAY));
        expect(await purposesOf(aDayLater, CITIZEN)).toEqual(expect.arrayContaining(['OLD', 'OLD_LIST']));
        expect(await aDayLater.recordsOf(refused, day, { limit: 10 })).toEqual({ items: [] });

        const elevenYearsLater = T0 + 11 * 365 * DAY;
        const later = await make({ pseudonymiser, clock: fixed(elevenYearsLater) });
        await later.record(access(CITIZEN, 'NEW'));
        expect(await purposesOf(later, CITIZEN)).toEqual(['NEW']);
        await later.purgeExpired!(new Date(elevenYearsLater));
        // Read as of a day after they were written: the old records are gone, not merely hidden.
        expect(await purposesOf(aDayLater, CITIZEN)).toEqual(['NEW']);
      },
    );
  });
};
