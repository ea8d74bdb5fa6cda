import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerRuntime } from '../../container/runtime.js';
import { spawn } from 'node:child_process';
import { trainingLeaveReimbursement } from '../../shared/purposes/catalogue.js';
import type { StoredClaim } from '../../shared/storage/claims.js';
import { deadLetterQueueOf, redriveClaims } from '../../shared/storage/postgres/claim-queue.js';
import { PgClaimStore } from '../../shared/storage/postgres/claims.js';
import { createPool } from '../../shared/storage/postgres/pool.js';
import { targetCipher } from '../support/cipher.js';
import { freshSubjectHashKeys, targetPseudonymiser } from '../support/pseudonymiser.js';
import { targetEnv, targetValue } from '../support/target.js';
import { tokenFor } from '../support/tokens.js';

// The container runtime in this process, on the suite's PostgreSQL (its storage, and pg-boss in
// a schema of this file's own), the fake sources, the identity provider and the KMS stand-in:
// real HTTP in, a claim decided by the pg-boss worker through the same consumer as the Lambda
// function. Nothing of DynamoDB or SQS is used.
const pool = createPool(targetValue('DATABASE_URL'));
let runtime: ContainerRuntime;
let store: PgClaimStore;
let subjectHashKeys: string;
const queueName = `claims-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  subjectHashKeys = await freshSubjectHashKeys('container');
  Object.assign(process.env, targetEnv(), {
    RUNTIME: 'container',
    CONTAINER_STORAGE: 'postgres',
    THROTTLE_SCALE: '0',
    SUBJECT_HASH_KEYS: subjectHashKeys,
    PGBOSS_SCHEMA: `pgboss_${randomUUID().slice(0, 8)}`,
    CLAIM_QUEUE_NAME: queueName,
    PORT: '0',
    CLAIM_POLL_SECONDS: '0.5',
    CLAIM_RETRY_DELAY_SECONDS: '1',
  });
  const { startContainer } = await import('../../container/runtime.js');
  runtime = await startContainer();
  store = new PgClaimStore(pool, trainingLeaveReimbursement, { pseudonymiser: targetPseudonymiser(subjectHashKeys), cipher: targetCipher() });
});
afterAll(async () => {
  await runtime?.stop();
  await pool.end();
});

/** Polls until `probe` gives a value (bounded by the test's time-out, never asserted on). */
const eventually = async <T>(probe: () => Promise<T | undefined>): Promise<T> => {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(200);
  }
};

const claimBody = async (over: Record<string, unknown> = {}) => ({
  ...JSON.parse(await readFile(new URL('../../events/bodies/training-leave-claim.json', import.meta.url), 'utf8')),
  ...over,
});

describe('container runtime', () => {
  it('answers a route of the catalogue over HTTP with the function’s own answer, and unknown routes with its 404 problem', async () => {
    const health = await fetch(`${runtime.url}/v1/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'up' });
    const unknown = await fetch(`${runtime.url}/v1/nothing`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    expect(await unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
    const openapi = await fetch(`${runtime.url}/v1/openapi.json`);
    expect(((await openapi.json()) as { openapi: string }).openapi).toMatch(/^3\.1/);
  });

  it('decides a submitted claim through the pg-boss queue', async () => {
    const token = await tokenFor({ role: 'employer', enterpriseNumber: '0403170701' });
    const submitted = await fetch(`${runtime.url}/v1/training-leave/claims`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(await claimBody()),
    });
    expect(submitted.status).toBe(202);
    const { claimId } = (await submitted.json()) as { claimId: string };
    const decided = await eventually(async () => {
      const claim = await store.get(claimId);
      return claim?.status === 'DECIDED' ? claim : undefined;
    });
    expect(decided.decision).toMatchObject({ outcome: 'APPROVED', approvedHours: 20, amount: '426.00' });
    const read = await fetch(`${runtime.url}/v1/training-leave/claims/${claimId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(await read.json()).toMatchObject({ claimId, status: 'DECIDED' });
  });

  it('dead-letters a message that names no claim, and the redrive brings it back once the claim exists', async () => {
    const claimId = randomUUID();
    await runtime.boss.send(queueName, { claimId });
    const dlq = deadLetterQueueOf(queueName);
    await eventually(async () => ((await runtime.boss.findJobs(dlq, { data: { claimId } })).length > 0 ? true : undefined));
    const claim: StoredClaim = {
      claimId,
      status: 'RECEIVED',
      submittedAt: '2024-11-15T10:00:00.000Z',
      requestHash: 'test',
      employerEnterpriseNumber: '0403170701',
      workerNiss: '84050550577',
      schoolYear: '2024-2025',
      training: { id: 'ODB-12345', startDate: '2024-10-01', endDate: '2025-03-31' },
      hoursByMonth: { '2024-10': 8, '2024-11': 12 },
    };
    await store.create(claim);
    expect((await redriveClaims(runtime.boss, queueName)).moved).toBeGreaterThanOrEqual(1);
    const decided = await eventually(async () => {
      const stored = await store.get(claimId);
      return stored?.status === 'DECIDED' ? stored : undefined;
    });
    expect(decided.decision?.outcome).toBeDefined();
    expect(await redriveClaims(runtime.boss, queueName)).toEqual({ moved: 0 });
  });

  it('a claim for a school year without published figures waits through the pg-boss queue (completed, not dead-lettered), says why over HTTP, and is swept when due', async () => {
    const token = await tokenFor({ role: 'employer', enterpriseNumber: '0403170701' });
    const submitted = await fetch(`${runtime.url}/v1/training-leave/claims`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(
        await claimBody({
          schoolYear: '2026-2027',
          training: { id: 'ODB-12345', startDate: '2026-10-01', endDate: '2027-03-31' },
          hoursByMonth: { '2026-10': 4 },
        }),
      ),
    });
    expect(submitted.status).toBe(202);
    const { claimId } = (await submitted.json()) as { claimId: string };
    const waiting = await eventually(async () => (await store.get(claimId))?.waitingFor);
    expect(waiting).toMatchObject({ code: 'SCHOOL_YEAR_FIGURES_NOT_PUBLISHED', attempts: 1 });
    expect(await runtime.boss.findJobs(deadLetterQueueOf(queueName), { data: { claimId } })).toEqual([]);
    const read = await fetch(`${runtime.url}/v1/training-leave/claims/${claimId}`, { headers: { authorization: `Bearer ${token}`, 'accept-language': 'fr' } });
    expect(read.headers.get('content-language')).toBe('fr');
    expect(await read.json()).toMatchObject({
      claimId,
      status: 'RECEIVED',
      waitingFor: { code: 'SCHOOL_YEAR_FIGURES_NOT_PUBLISHED', title: 'En attente des chiffres de l’année scolaire', schoolYear: '2026-2027' },
    });
    const { sweepWaitingClaims } = await import('../../functions/training-leave/sweep-waiting-claims.js');
    const swept = async (now: Date, figuresPublished?: (schoolYear: string) => boolean) => {
      const ids: string[] = [];
      const queue = { enqueueAll: async (claimIds: readonly string[]) => void ids.push(...claimIds) };
      await sweepWaitingClaims({ claims: store, queue, ...(figuresPublished ? { figuresPublished } : {}) }, now, 300, 100_000);
      return ids.filter((id) => id === claimId);
    };
    const next = Date.parse(waiting.nextAttemptAt);
    expect(await swept(new Date(next - 60_000))).toEqual([]);
    expect(await swept(new Date(next))).toEqual([claimId]);
    expect(await swept(new Date(next - 60_000), (year) => year === '2026-2027')).toEqual([claimId]);
  });

  it('registers the sweeper and the purge as schedules kept in the database (one run per occurrence, whatever the replicas)', async () => {
    const names = (await runtime.boss.getSchedules()).map((s) => s.name).sort();
    expect(names).toEqual(['purge-expired', 'sweep-waiting-claims']);
  });
});

describe('container replicas', () => {
  /** One replica: the image's entry (container/main.ts) in a process of its own, on the same database. */
  const replica = async (env: Record<string, string>) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'container/main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk;
        const found = /container on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (found) resolve(found[1]!);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk;
      });
      child.once('exit', (code) => reject(new Error(`a replica exited (${code}) before it served:\n${output.slice(-2000)}`)));
    });
    const stopped = new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { url, stop: () => (child.kill('SIGTERM'), stopped) };
  };

  it('two container processes on one database decide a burst of claims, none twice, the ledger holding', { timeout: 180_000 }, async () => {
    // Both replicas on this test's own queue and key; the one in this process works nothing.
    const shared = {
      ...process.env,
      PORT: '0',
      WORKERS: 'on',
      PGBOSS_SCHEMA: `pgboss_r${randomUUID().slice(0, 8)}`,
      CLAIM_QUEUE_NAME: `claims-r${randomUUID().slice(0, 8)}`,
    } as Record<string, string>;
    const replicas = await Promise.all([replica(shared), replica(shared)]);
    try {
      const token = await tokenFor({ role: 'employer', enterpriseNumber: '0403170701' });
      // Worker 86041210115: a personal maximum of 100 h; ten claims of 50 h for one training, at once, half on each replica.
      const bodies = Array.from({ length: 10 }, () =>
        claimBody({
          workerNiss: '86041210115',
          training: { id: 'ODB-30001', startDate: '2024-10-01', endDate: '2025-06-30' },
          hoursByMonth: { '2024-10': 25, '2024-11': 25 },
        }),
      );
      const ids = await Promise.all(
        bodies.map(async (body, i) => {
          const answer = await fetch(`${replicas[i % 2]!.url}/v1/training-leave/claims`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
            body: JSON.stringify(await body),
          });
          expect(answer.status).toBe(202);
          return ((await answer.json()) as { claimId: string }).claimId;
        }),
      );
      const decided = await eventually(async () => {
        const claims = await Promise.all(ids.map((id) => store.get(id)));
        return claims.every((c) => c?.status === 'DECIDED') ? claims.map((c) => c!) : undefined;
      });
      // Exactly the maximum approved across both replicas, and the ledger says the same: no hour paid twice.
      expect(decided.reduce((sum, c) => sum + c.decision!.approvedHours, 0)).toBe(100);
      expect(decided.filter((c) => c.decision!.approvedHours === 0)).toHaveLength(8);
      const ledger = await store.approvedSoFar(await store.open(decided[0]!));
      expect([ledger.schoolYear, ledger.training]).toEqual([100, 100]);
    } finally {
      const codes = await Promise.all(replicas.map((r) => r.stop()));
      // Each stopped by itself on SIGTERM, gracefully (exit code 0).
      expect(codes).toEqual([0, 0]);
    }
  });
});
