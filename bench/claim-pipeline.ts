/**
 * Claim pipeline throughput through the real queue (local-aws-sqs), the consumer and
 * DynamoDB Local: claims submitted (submit function, in process, with real tokens),
 * evaluated and decided per second, against the emulator's raw single-item write rate
 * measured in the same run. Counts lost claims (neither decided nor dead-lettered).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSEvent } from 'aws-lambda';
import { startLocalCloud } from '../local/cloud.js';
import { loadOrCreateSigningKey } from '../local/identity/keys.js';
import { signToken } from '../local/identity/tokens.js';
import { SqsEventSource } from '../local/sqs-event-source.js';
import { createDocumentClient } from '../shared/aws/clients.js';
import { ClaimStore } from '../shared/storage/claims.js';
import { round, writeResult } from './support.js';

const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 200);
// Two pollers: with more, local-aws-sqs hands the same message to two of them and the
// duplicates wait out the visibility timeout (measured: 4 pollers gave 17 claims/s, 2 gave 43).
const CONSUMERS = Number(process.env.BENCH_CONSUMERS ?? 2);

export const claimPipeline = async () => {
  const idpDir = await mkdtemp(join(tmpdir(), 'bench-idp-'));
  process.env.LOCAL_CLOCK = '2024-11-15T10:00:00Z';
  process.env.CLAIM_VISIBILITY_TIMEOUT = '10';
  const cloud = await startLocalCloud({ idpDir, ports: { http: 0, lambda: 0, dynamodb: 0, sqs: 0, sources: 0, idp: 0 } });
  try {
    Object.assign(process.env, cloud.env, { POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN' });
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const dynamodb = new DynamoDBClient({ region: 'eu-west-1', endpoint: cloud.env.AWS_ENDPOINT_URL_DYNAMODB, credentials });
    const sqs = new SQSClient({ region: 'eu-west-1', endpoint: cloud.env.AWS_ENDPOINT_URL_SQS, credentials });
    const doc = createDocumentClient(dynamodb);

    // Baseline: raw single-item writes, one after another, for the same wall time budget.
    const table = cloud.env.CLAIMS_TABLE!;
    let writes = 0;
    const rawStart = performance.now();
    while (performance.now() - rawStart < 3_000) {
      await doc.send(new PutCommand({ TableName: table, Item: { pk: `BENCH#${randomUUID()}`, sk: 'RAW', expiresAt: Math.floor(Date.now() / 1000) + 60 } }));
      writes++;
    }
    const rawWritesPerSecond = writes / ((performance.now() - rawStart) / 1000);

    const { handler: submit } = await import('../functions/training-leave/submit-claim.js');
    const { handler: consume } = await import('../functions/training-leave/evaluate-claims.js');
    const token = await signToken(await loadOrCreateSigningKey(idpDir), { role: 'employer', enterpriseNumber: '0403170701' }, { issuer: cloud.env.TOKEN_ISSUER! });
    const context = () => ({ awsRequestId: randomUUID(), functionName: 'bench', getRemainingTimeInMillis: () => 30_000 }) as unknown as Context;
    const queue = cloud.provisioned.queues.ClaimQueue!;
    const consumers = Array.from({ length: CONSUMERS }, () =>
      new SqsEventSource({
        sqs,
        queueUrl: queue.url,
        queueArn: queue.arn,
        region: 'eu-west-1',
        batchSize: 10,
        batchWindowSeconds: 0,
        reportBatchItemFailures: true,
        idleWaitSeconds: 1,
        invoke: async (event: SQSEvent) => {
          const response = await consume(event, context());
          handled += event.Records.length - response.batchItemFailures.length;
          return response;
        },
      }),
    );

    let handled = 0;
    const workers = ['85073003328', '84050550577', '79030330326', '81020220295', '69030408207', '91011715490'];
    const started = performance.now();
    consumers.forEach((c) => c.start());
    const ids: string[] = [];
    const submitOne = async (i: number) => {
      const body = {
        employerEnterpriseNumber: '0403170701',
        workerNiss: workers[i % workers.length],
        schoolYear: '2024-2025',
        training: { id: 'ODB-12345', startDate: '2024-10-01', endDate: '2025-03-31' },
        hoursByMonth: { '2024-10': 0.5 },
      };
      const response = await submit(
        { version: '2.0', rawPath: '/v1/training-leave/claims', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `bench-${i}-${randomUUID()}` }, body: JSON.stringify(body), requestContext: { http: { method: 'POST' } }, isBase64Encoded: false } as never,
        context(),
      );
      if (response.statusCode !== 202) throw new Error(`submit answered ${response.statusCode}: ${response.body}`);
      ids.push(JSON.parse(response.body!).claimId);
    };
    for (let i = 0; i < CLAIMS; i += 10) await Promise.all(Array.from({ length: Math.min(10, CLAIMS - i) }, (_, j) => submitOne(i + j)));
    const submittedAt = performance.now();

    const store = new ClaimStore(doc, table);
    const dlqCount = async () => Number((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: cloud.provisioned.queues.ClaimDeadLetterQueue!.url, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes!.ApproximateNumberOfMessages);
    // Wait on the consumers' own count (polling DynamoDB would compete with the pipeline), bounded.
    for (let poll = 0; poll < 3_000 && handled + (await dlqCount()) < ids.length; poll++) await new Promise((resolve) => setTimeout(resolve, 20));
    const finished = performance.now();
    await Promise.all(consumers.map((c) => c.stop()));
    // Then count from the table itself.
    const decided = (await Promise.all(ids.map(async (id) => (await store.get(id))?.status))).filter((s) => s === 'DECIDED').length;
    const dead = await dlqCount();
    dynamodb.destroy();
    sqs.destroy();

    const seconds = (finished - started) / 1000;
    const claimsPerSecond = decided / seconds;
    const result = {
      claims: CLAIMS,
      consumers: CONSUMERS,
      target: { ratioMin: 0.5, lost: 0 },
      rawWritesPerSecond: round(rawWritesPerSecond, 1),
      submitSeconds: round((submittedAt - started) / 1000, 2),
      totalSeconds: round(seconds, 2),
      decided,
      deadLettered: dead,
      lost: CLAIMS - decided - dead,
      claimsDecidedPerSecond: round(claimsPerSecond, 1),
      ratioToRawWrites: round(claimsPerSecond / rawWritesPerSecond, 3),
      withinTarget: claimsPerSecond / rawWritesPerSecond >= 0.5 && CLAIMS - decided - dead === 0,
    };
    return { file: await writeResult('claim-pipeline', result), result };
  } finally {
    await cloud.stop();
  }
};
