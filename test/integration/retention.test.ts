import { randomUUID } from 'node:crypto';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../shared/audit/audit-trail.js';
import { targetPseudonymiser } from '../support/pseudonymiser.js';
import { createDocumentClient } from '../../shared/aws/clients.js';
import { checkPremium, submitTrainingLeaveClaim } from '../../shared/purposes/catalogue.js';
import { RetentionError } from '../../shared/purposes/retention.js';
import { purgeExpired, RetentionRepository, retentionReport } from '../../shared/storage/retention-repository.js';
import { targetClients } from '../support/aws.js';
import { lambdaContext } from '../support/lambda.js';
import { isExternalTarget, targetEnv, targetValue } from '../support/target.js';

// The repository against the real emulator, with an injected clock to travel past expiry.
const { dynamodb } = targetClients();
const doc = createDocumentClient(dynamodb);
afterAll(() => dynamodb.destroy());

// A table of this file's own (the premium checks' key schema) for the repository's tests: the
// purge and the report over a whole table then see only what these tests wrote, whatever runs
// beside them. Against an external target, the stage's table.
let ownTable: string | undefined;
beforeAll(async () => {
  if (isExternalTarget()) return;
  ownTable = `retention-test-${randomUUID()}`;
  await dynamodb.send(
    new CreateTableCommand({
      TableName: ownTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
});
afterAll(async () => {
  if (ownTable) await dynamodb.send(new DeleteTableCommand({ TableName: ownTable }));
});
const table = () => ownTable ?? targetValue('PREMIUM_CHECKS_TABLE');
const T0 = new Date('2026-01-15T09:00:00Z');
const ELEVEN_YEARS_LATER = new Date('2037-01-15T09:00:00Z');
const repo = (clock: Date) => new RetentionRepository(doc, table(), checkPremium.purpose, () => clock, {});
const rawGet = async (key: Record<string, string>) => (await doc.send(new GetCommand({ TableName: table(), Key: key }))).Item;

describe('retention-aware repository on DynamoDB Local', () => {
  it('stamps every item with the expiry its purpose allows, and refuses one chosen by the caller', async () => {
    const key = { pk: `TEST#${randomUUID()}`, sk: 'A' };
    const stored = await repo(T0).put({ ...key, outcome: 'CONFORM' });
    expect(stored.expiresAt).toBe(Date.parse('2036-01-15T09:00:00Z') / 1000);
    expect((await rawGet(key))?.expiresAt).toBe(stored.expiresAt);
    await expect(repo(T0).put({ ...key, expiresAt: 4_102_444_800 })).rejects.toBeInstanceOf(RetentionError);
  });

  it('hides an item past its expiry from get and query, though DynamoDB still holds it', async () => {
    const pk = `TEST#${randomUUID()}`;
    await repo(T0).put({ pk, sk: 'A' });
    expect(await repo(T0).get({ pk, sk: 'A' })).toBeDefined();
    expect(await repo(ELEVEN_YEARS_LATER).get({ pk, sk: 'A' })).toBeUndefined();
    const query = { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } };
    expect(await repo(T0).query(query)).toHaveLength(1);
    expect(await repo(ELEVEN_YEARS_LATER).query(query)).toHaveLength(0);
    expect(await rawGet({ pk, sk: 'A' })).toBeDefined();
  });

  it('purges expired items and keeps live ones', async () => {
    const pk = `TEST#${randomUUID()}`;
    await repo(T0).put({ pk, sk: 'old' });
    await new RetentionRepository(doc, table(), checkPremium.purpose, () => ELEVEN_YEARS_LATER, {}).put({ pk, sk: 'new' });
    const result = await purgeExpired(doc, { name: table(), keys: ['pk', 'sk'] }, () => ELEVEN_YEARS_LATER);
    expect(result.deleted).toBeGreaterThanOrEqual(1);
    expect(await rawGet({ pk, sk: 'old' })).toBeUndefined();
    expect(await rawGet({ pk, sk: 'new' })).toBeDefined();
    const report = await retentionReport(doc, { name: table() }, () => ELEVEN_YEARS_LATER);
    expect(report).toMatchObject({ pastExpiry: 0, withoutExpiry: 0 });
  });

  it('the scheduled purge function deletes what is past expiry in every table', async () => {
    Object.assign(process.env, targetEnv(), { POWERTOOLS_LOG_LEVEL: 'SILENT' });
    const pk = `TEST#${randomUUID()}`;
    const longAgo = new Date(Date.now() - 11 * 365 * 86_400_000);
    await new RetentionRepository(doc, targetValue('CLAIMS_TABLE'), submitTrainingLeaveClaim.purpose, () => longAgo, {}).put({ pk, sk: 'CLAIM' });
    const { handler } = await import('../../functions/maintenance/purge-expired.js');
    const { purged } = await handler({}, lambdaContext('purgeExpired'));
    expect(purged.map((p) => p.table).sort()).toEqual(['AUDIT_TABLE', 'CLAIMS_TABLE', 'PREMIUM_CHECKS_TABLE'].map((name) => targetValue(name)).sort());
    expect((await doc.send(new GetCommand({ TableName: targetValue('CLAIMS_TABLE'), Key: { pk, sk: 'CLAIM' } }))).Item).toBeUndefined();
  });
});

describe('audit trail on DynamoDB Local', () => {
  it('keeps a keyed hash of the subject (made by KMS, with its key version), never the NISS, with an expiry', async () => {
    const requestId = randomUUID();
    const pseudonymiser = targetPseudonymiser();
    await new AuditTrail(doc, targetValue('AUDIT_TABLE'), pseudonymiser).record({
      purpose: 'TEST_PURPOSE',
      deliberation: '00/000',
      requestId,
      actorRole: 'citizen',
      actorOrganisation: 'MYCAREER',
      outcome: 'ALLOWED',
      status: 200,
      subjectNiss: '85073003328',
    });
    const { Items = [] } = await doc.send(
      new ScanCommand({ TableName: targetValue('AUDIT_TABLE'), FilterExpression: 'requestId = :r', ExpressionAttributeValues: { ':r': requestId } }),
    );
    expect(Items).toHaveLength(1);
    expect(JSON.stringify(Items[0])).not.toContain('85073003328');
    expect(Items[0]).toMatchObject({ subjectHash: await pseudonymiser.subject('85073003328'), outcome: 'ALLOWED', expiresAt: expect.any(Number) });
    expect(Items[0]!.subjectHash).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(await pseudonymiser.subject('85073003329')).not.toBe(Items[0]!.subjectHash);
  });

  it('keeps a refusal that names no subject (before authentication, or before the subject is bound) 90 days, not 10 years', async () => {
    const requestId = randomUUID();
    const at = new Date('2026-01-15T09:00:00Z');
    const trail = new AuditTrail(doc, targetValue('AUDIT_TABLE'), targetPseudonymiser(), () => at);
    await trail.record({
      purpose: 'TEST_PURPOSE',
      deliberation: '00/000',
      requestId,
      actorRole: 'anonymous',
      outcome: 'DENIED',
      status: 401,
      code: 'TOKEN_MISSING',
    });
    await trail.record({
      purpose: 'TEST_PURPOSE',
      deliberation: '00/000',
      requestId: `${requestId}-2`,
      actorRole: 'citizen',
      actorOrganisation: 'MYCAREER',
      outcome: 'DENIED',
      status: 403,
      subjectNiss: '85073003328',
    });
    await trail.record({
      purpose: 'TEST_PURPOSE',
      deliberation: '00/000',
      requestId: `${requestId}-3`,
      actorRole: 'employer',
      actorOrganisation: '0403170701',
      outcome: 'DENIED',
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    const { Items = [] } = await doc.send(
      new ScanCommand({
        TableName: targetValue('AUDIT_TABLE'),
        FilterExpression: 'begins_with(requestId, :r) OR firstRequestId = :r',
        ExpressionAttributeValues: { ':r': requestId },
      }),
    );
    // The refusal before authentication is counted in its minute's aggregate (firstRequestId).
    const expiry = (id: string) => Items.find((i) => i.requestId === id || i.firstRequestId === id)!.expiresAt;
    // A refusal after authentication that names no subject is kept briefly too.
    expect(expiry(`${requestId}-3`)).toBe(Date.parse('2026-04-15T09:00:00Z') / 1000);
    expect(expiry(requestId)).toBe(Date.parse('2026-04-15T09:00:00Z') / 1000);
    expect(expiry(`${requestId}-2`)).toBe(Date.parse('2036-01-15T09:00:00Z') / 1000);
  });
});
