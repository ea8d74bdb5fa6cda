import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import type { LockMode } from './cloud-lock.js';
import { runsAlone } from './cloud-lock-rule.js';
import { isExternalTarget, targetEnv } from './target.js';

/**
 * Setup file of the projects on a local cloud: the file holds its cloud's lock for its whole
 * run (test/support/cloud-lock.ts), alone if it sets a fault of the fake sources or counts
 * their hits (test/support/cloud-lock-rule.ts).
 */

const call = (url: string) =>
  new Promise<void>((resolve, reject) => {
    // node:http, not fetch: a wait may outlast fetch's five-minute header time-out.
    const req = request(url, { method: 'POST' }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`cloud lock answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });

const lockUrl = isExternalTarget() ? undefined : targetEnv().CLOUD_LOCK_URL;
const id = randomUUID();
let held = false;

// biome-ignore lint/correctness/noEmptyPattern: vitest reads a hook's fixtures from a destructuring pattern; the suite is the second argument.
beforeAll(async ({}, suite) => {
  if (!lockUrl) return;
  const file = suite.file?.filepath;
  const alone = file !== undefined && runsAlone(await readFile(file, 'utf8'));
  const mode: LockMode = alone ? 'exclusive' : 'shared';
  await call(`${lockUrl}/acquire?mode=${mode}&id=${id}`);
  held = true;
}, 900_000);

afterAll(async () => {
  if (lockUrl && held) await call(`${lockUrl}/release?id=${id}`);
});
