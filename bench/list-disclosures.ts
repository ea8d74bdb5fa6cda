/**
 * What a list page's per-person audit records (recordDisclosures) add to the request: a
 * page of 100 claims about 100 workers, audited
 * - `with disclosures`: 100 subject hashes (KMS GenerateMac, in parallel, cached per request)
 *   and 100 records in BatchWriteItem calls of 25 in parallel, then the request's own record;
 * - baseline `own record only`: the request's own record (naming no one), as before issue 24;
 * - `hashes only`: the 100 hashes without any write, KMS's share of the difference.
 * Both through the real adapters (AuditTrail, KmsMacService) against DynamoDB Local and the KMS
 * stand-in in another process, interleaved in blocks. Loopback: in AWS each call adds its
 * network round trip, and KMS and DynamoDB quotas apply (not measurable here).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { AuditTrail } from '../shared/audit/audit-trail.js';
import { createDocumentClient, requestHandler } from '../shared/aws/clients.js';
import { KmsMacService } from '../shared/aws/kms-mac.js';
import { parseMacKeys } from '../shared/config/env.js';
import { Pseudonymiser, withHashScope } from '../shared/privacy/pseudonymiser.js';
import { startEmulators } from './emulators.js';
import { median, percentile, round, writeResult } from './support.js';

const PAGES = Number(process.env.BENCH_LIST_PAGES ?? 60);
const PAGE_SIZE = 100;
const BLOCK = 10;

export const listDisclosures = async () => {
  const cloud = await startEmulators(['--idp-dir', await mkdtemp(join(tmpdir(), 'bench-idp-'))]);
  try {
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const dynamodb = new DynamoDBClient({ region: 'eu-west-1', endpoint: cloud.env.AWS_ENDPOINT_URL_DYNAMODB, credentials, maxAttempts: 3, requestHandler });
    const kms = new KMSClient({ region: 'eu-west-1', endpoint: cloud.env.AWS_ENDPOINT_URL_KMS, credentials, maxAttempts: 3, requestHandler });
    let batchWrites = 0;
    dynamodb.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'BatchWriteItemCommand') batchWrites++;
        return next(args);
      },
      { step: 'initialize', name: 'countBatchWrites' },
    );
    const pseudonymiser = new Pseudonymiser(new KmsMacService(() => kms, parseMacKeys(cloud.env.SUBJECT_HASH_KEYS!)));
    const trail = new AuditTrail(createDocumentClient(dynamodb), cloud.env.AUDIT_TABLE!, pseudonymiser);
    const entry = () => ({
      purpose: 'TRAINING_LEAVE_REIMBURSEMENT',
      deliberation: '19/038',
      requestId: randomUUID(),
      actorRole: 'dwse',
      actorOrganisation: 'DWSE:competenties',
      outcome: 'ALLOWED' as const,
      status: 200,
    });
    // A page of 100 workers, other ones on each page (no hash cached across requests).
    const workers = () => Array.from({ length: PAGE_SIZE }, () => String(10_000_000_000 + Math.floor(Math.random() * 89_999_999_999)));
    const loads = {
      withDisclosures: () =>
        withHashScope(async () => {
          const own = entry();
          await trail.recordDisclosures(
            own,
            workers().map((niss) => ({ niss })),
          );
          await trail.record(own);
        }),
      ownRecordOnly: () => withHashScope(() => trail.record(entry())),
      // The hashes alone, to tell KMS's share of the cost from DynamoDB's.
      hashesOnly: () => withHashScope(async () => void (await Promise.all(workers().map((niss) => pseudonymiser.subject(niss))))),
    };
    const samples: Record<keyof typeof loads, number[]> = { withDisclosures: [], ownRecordOnly: [], hashesOnly: [] };
    for (const load of Object.values(loads)) for (let i = 0; i < 5; i++) await load(); // warm-up
    batchWrites = 0;
    for (let done = 0; done < PAGES; done += BLOCK) {
      for (const [name, load] of Object.entries(loads) as [keyof typeof loads, () => Promise<void>][]) {
        for (let i = 0; i < BLOCK; i++) {
          const t = performance.now();
          await load();
          samples[name].push(performance.now() - t);
        }
      }
    }
    dynamodb.destroy();
    kms.destroy();
    const stats = (s: number[]) => ({ medianMs: round(median(s), 2), p99Ms: round(percentile(s, 99), 2) });
    const result = {
      pages: PAGES,
      pageSize: PAGE_SIZE,
      batchWriteItemCallsPerPage: batchWrites / PAGES,
      withDisclosures: stats(samples.withDisclosures),
      ownRecordOnly: stats(samples.ownRecordOnly),
      hashesOnly: stats(samples.hashesOnly),
      addedMedianMsPerPage: round(median(samples.withDisclosures) - median(samples.ownRecordOnly), 2),
    };
    return { file: await writeResult('list-disclosures', result), result };
  } finally {
    await cloud.stop();
  }
};
