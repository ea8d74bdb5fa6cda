/**
 * What computing the subject hash in KMS adds to a request. A request of the claim consumer
 * hashes the worker's NISS at least twice (its audit record, its ledger keys), an HTTP
 * request once or twice. Measured per request, hashing one NISS twice:
 * - `kms, cached per request`: the KMS adapter (SDK v3 GenerateMac) against the local
 *   stand-in in another process, with the per-request cache (one KMS call);
 * - `kms, no cache`: the same without the cache (two calls);
 * - baseline `in process`: the HMAC computed in the function with the key in memory, as
 *   before issue 18 (what the key leaving KMS would save).
 * Interleaved in blocks. Loopback to a local stand-in: AWS KMS adds its own network round
 * trip, which this machine cannot measure.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { requestHandler } from '../shared/aws/clients.js';
import { KmsMacService } from '../shared/aws/kms-mac.js';
import { parseMacKeys } from '../shared/config/env.js';
import { Pseudonymiser, withHashScope } from '../shared/privacy/pseudonymiser.js';
import { startEmulators } from './emulators.js';
import { median, percentile, round, writeResult } from './support.js';

const N = Number(process.env.BENCH_HASH_REQUESTS ?? 2_000);
const BLOCK = 100;

export const subjectHash = async () => {
  const cloud = await startEmulators(['--idp-dir', await mkdtemp(join(tmpdir(), 'bench-idp-'))]);
  try {
    const kms = new KMSClient({
      region: 'eu-west-1',
      endpoint: cloud.env.AWS_ENDPOINT_URL_KMS,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 3,
      requestHandler,
    });
    const viaKms = new Pseudonymiser(new KmsMacService(() => kms, parseMacKeys(cloud.env.SUBJECT_HASH_KEYS!)));
    const key = randomUUID();
    const inProcess = new Pseudonymiser({ versions: ['v1'], mac: async (_v, m) => createHmac('sha256', key).update(m).digest('hex') });
    const niss = '85073003328';
    const loads = {
      kmsCached: () => withHashScope(async () => void (await viaKms.subject(niss), await viaKms.subject(niss))),
      kmsNoCache: async () => void (await viaKms.subject(niss), await viaKms.subject(niss)),
      inProcess: () => withHashScope(async () => void (await inProcess.subject(niss), await inProcess.subject(niss))),
    };
    const samples: Record<keyof typeof loads, number[]> = { kmsCached: [], kmsNoCache: [], inProcess: [] };
    for (const load of Object.values(loads)) for (let i = 0; i < 50; i++) await load(); // warm-up
    for (let done = 0; done < N; done += BLOCK) {
      for (const [name, load] of Object.entries(loads) as [keyof typeof loads, () => Promise<void>][]) {
        for (let i = 0; i < BLOCK; i++) {
          const t = performance.now();
          await load();
          samples[name].push(performance.now() - t);
        }
      }
    }
    kms.destroy();
    const stats = (s: number[]) => ({ medianMs: round(median(s), 4), p99Ms: round(percentile(s, 99), 4) });
    const base = median(samples.inProcess);
    const result = {
      requests: N,
      hashesPerRequest: 2,
      kmsCachedPerRequest: stats(samples.kmsCached),
      kmsNoCache: stats(samples.kmsNoCache),
      inProcessBaseline: stats(samples.inProcess),
      addedMedianMsPerRequest: round(median(samples.kmsCached) - base, 4),
      cacheSavesMedianMs: round(median(samples.kmsNoCache) - median(samples.kmsCached), 4),
    };
    return { file: await writeResult('subject-hash', result), result };
  } finally {
    await cloud.stop();
  }
};
