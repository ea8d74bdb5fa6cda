/**
 * What sealing a claim's NISS costs (issue 24): per claim, the envelope encryption at
 * submission and its opening when DWSE reads it, through the Encryption SDK and the KMS
 * adapter against the local stand-in in another process:
 * - `cached`: the functions' cipher (bounded data-key cache): KMS calls per 1 000 claims;
 * - `no cache`: the same with a data key per value (`maxMessages: 1`), what the cache saves;
 * - baseline: nothing sealed (the NISS stored in clear, as before issue 24): 0 ms.
 * Interleaved in blocks; the KMS calls are counted at the client. Loopback to a local
 * stand-in: AWS KMS adds its own round trip on a cache miss, which this machine cannot measure.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { requestHandler } from '../shared/aws/clients.js';
import { kmsFieldCipher } from '../shared/aws/envelope-cipher.js';
import { parseEncryptionKeys } from '../shared/config/env.js';
import { startEmulators } from './emulators.js';
import { median, percentile, round, writeResult } from './support.js';

const N = Number(process.env.BENCH_CIPHER_CLAIMS ?? 2_000);
const BLOCK = 100;

export const nissCipher = async () => {
  const cloud = await startEmulators(['--idp-dir', await mkdtemp(join(tmpdir(), 'bench-idp-'))]);
  try {
    const calls: Record<string, number> = {};
    const kms = new KMSClient({
      region: 'eu-west-1',
      endpoint: cloud.env.AWS_ENDPOINT_URL_KMS,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 3,
      requestHandler,
    });
    kms.middlewareStack.add(
      (next, context) => (args) => {
        const name = `${String(context.commandName).replace(/Command$/, '')}`;
        calls[name] = (calls[name] ?? 0) + 1;
        return next(args);
      },
      { step: 'initialize' },
    );
    const keys = parseEncryptionKeys(cloud.env.NISS_ENCRYPTION_KEYS!);
    const ciphers = { cached: kmsFieldCipher(() => kms, keys), noCache: kmsFieldCipher(() => kms, keys, { maxMessages: 1, capacity: 1 }) };
    const niss = '85073003328';
    const perClaim = async (cipher: (typeof ciphers)['cached']) => {
      const context = { purpose: 'TRAINING_LEAVE_REIMBURSEMENT', field: 'workerNiss', itemId: randomUUID() };
      const sealStart = performance.now();
      const sealed = await cipher.seal(niss, context);
      const sealMs = performance.now() - sealStart;
      const openStart = performance.now();
      if ((await cipher.open(sealed, context)) !== niss) throw new Error('the NISS did not come back');
      return { sealMs, openMs: performance.now() - openStart, bytes: sealed.length };
    };
    const samples = { cached: [] as Awaited<ReturnType<typeof perClaim>>[], noCache: [] as Awaited<ReturnType<typeof perClaim>>[] };
    for (const cipher of Object.values(ciphers)) for (let i = 0; i < 50; i++) await perClaim(cipher); // warm-up
    const callsDuring: Record<keyof typeof ciphers, Record<string, number>> = { cached: {}, noCache: {} };
    for (let done = 0; done < N; done += BLOCK) {
      for (const name of Object.keys(ciphers) as (keyof typeof ciphers)[]) {
        const before = { ...calls };
        for (let i = 0; i < BLOCK; i++) samples[name].push(await perClaim(ciphers[name]));
        for (const [op, count] of Object.entries(calls)) callsDuring[name][op] = (callsDuring[name][op] ?? 0) + count - (before[op] ?? 0);
      }
    }
    kms.destroy();
    const stats = (s: Awaited<ReturnType<typeof perClaim>>[]) => ({
      sealMedianMs: round(median(s.map((x) => x.sealMs)), 4),
      sealP99Ms: round(
        percentile(
          s.map((x) => x.sealMs),
          99,
        ),
        4,
      ),
      openMedianMs: round(median(s.map((x) => x.openMs)), 4),
      openP99Ms: round(
        percentile(
          s.map((x) => x.openMs),
          99,
        ),
        4,
      ),
    });
    const per1000 = (name: keyof typeof ciphers) =>
      Object.fromEntries(Object.entries(callsDuring[name]).map(([op, count]) => [op, round((count / samples[name].length) * 1000, 2)]));
    if (samples.cached.length === 0) throw new Error('no claim was sealed: the benchmark did no work');
    const result = {
      claims: N,
      cached: { ...stats(samples.cached), kmsCallsPer1000Claims: per1000('cached') },
      noCache: { ...stats(samples.noCache), kmsCallsPer1000Claims: per1000('noCache') },
      sealedBytesMedian: median(samples.cached.map((x) => x.bytes)),
      baseline: 'NISS in clear: 0 ms, 0 KMS calls, 11 bytes',
    };
    return { file: await writeResult('niss-cipher', result), result };
  } finally {
    await cloud.stop();
  }
};
