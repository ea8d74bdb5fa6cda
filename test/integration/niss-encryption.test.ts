import { randomUUID } from 'node:crypto';
import { CreateKeyCommand, DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGetClaimHandler } from '../../functions/training-leave/get-claim.js';
import { sealClearNiss } from '../../local/seal-clear-niss.js';
import { createDocumentClient } from '../../shared/aws/clients.js';
import { kmsFieldCipher } from '../../shared/aws/envelope-cipher.js';
import { CipherIntegrityError, CipherUnavailableError } from '../../shared/privacy/field-cipher.js';
import { readTrainingLeaveClaim, trainingLeaveReimbursement } from '../../shared/purposes/catalogue.js';
import { ClaimStore, type StoredClaim } from '../../shared/storage/claims.js';
import { targetClients } from '../support/aws.js';
import { lambdaContext } from '../support/lambda.js';
import { type Harness, httpEvent, startHarness } from '../support/purpose-harness.js';
import { testPseudonymiser } from '../support/pseudonymiser.js';
import { targetEnv, targetValue } from '../support/target.js';

// The NISS of a claim sealed under KMS (the local stand-in, through the same SDK clients and
// Encryption SDK as in the cloud), stored in DynamoDB Local without the NISS in clear.
const env = targetEnv();
const region = env.AWS_REGION ?? 'eu-west-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
/** A KMS client that counts the operations it sends: what a burst of claims costs in KMS calls. */
const countingKms = (endpoint = env.AWS_ENDPOINT_URL_KMS) => {
  const kms = new KMSClient({ region, endpoint, credentials, maxAttempts: 1 });
  const calls: Record<string, number> = {};
  kms.middlewareStack.add(
    (next, context) => (args) => {
      const name = String(context.commandName).replace(/Command$/, '');
      calls[name] = (calls[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize' },
  );
  return { kms, calls };
};
const admin = new KMSClient({ region, endpoint: env.AWS_ENDPOINT_URL_KMS, credentials });
/** A symmetric key of this file's own, as a stage would create one: `v<n>=<ARN>`. */
const freshKey = async (version: string) => {
  const { KeyMetadata } = await admin.send(new CreateKeyCommand({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Description: 'niss test' }));
  return { version, keyId: KeyMetadata!.Arn! };
};
const context = (itemId: string) => ({ purpose: 'TRAINING_LEAVE_REIMBURSEMENT', field: 'workerNiss', itemId });
const NISS = '85073003328';

const { dynamodb } = targetClients();
const doc = createDocumentClient(dynamodb);
afterAll(() => {
  admin.destroy();
  dynamodb.destroy();
});

describe('envelope encryption under KMS', () => {
  it('seals a burst of 100 NISS with one GenerateDataKey, and another container opens all 100 with one Decrypt', async () => {
    const key = await freshKey('v1');
    const writer = countingKms();
    const sealer = kmsFieldCipher(() => writer.kms, [key]);
    const ids = Array.from({ length: 100 }, () => randomUUID());
    const sealed = await Promise.all(ids.map(async (id) => ({ id, value: await sealer.seal(NISS, context(id)) })));
    expect(writer.calls).toEqual({ GenerateDataKey: 1 });

    const reader = countingKms();
    const opener = kmsFieldCipher(() => reader.kms, [key]);
    // At once, on a cold cache: concurrent opens under one data key share one Decrypt.
    const opened = await Promise.all(sealed.map(({ id, value }) => opener.open(value, context(id))));
    expect(new Set(opened)).toEqual(new Set([NISS]));
    expect(reader.calls).toEqual({ Decrypt: 1 });
  });

  it('bounds the data-key cache: past its message limit, a new data key', async () => {
    const key = await freshKey('v1');
    const { kms, calls } = countingKms();
    const sealer = kmsFieldCipher(() => kms, [key], { maxMessages: 10 });
    for (let i = 0; i < 25; i++) await sealer.seal(NISS, context(randomUUID()));
    expect(calls.GenerateDataKey).toBe(3);
  });

  it('keeps old claims readable across a key rotation, seals new ones under the new key, and refuses once the old key is dropped', async () => {
    const v1 = await freshKey('v1');
    const v2 = await freshKey('v2');
    const { kms, calls } = countingKms();
    const before = await kmsFieldCipher(() => kms, [v1]).seal(NISS, context('rotation-a'));
    // v2 current, v1 still accepted: the old value opens, a new one is sealed under v2.
    const rotated = kmsFieldCipher(() => kms, [v2, v1]);
    expect(await rotated.open(before, context('rotation-a'))).toBe(NISS);
    const after = await rotated.seal(NISS, context('rotation-b'));
    await expect(kmsFieldCipher(() => kms, [v1]).open(after, context('rotation-b'))).rejects.toBeInstanceOf(CipherIntegrityError);
    expect(await kmsFieldCipher(() => kms, [v2]).open(after, context('rotation-b'))).toBe(NISS);
    // v1 no longer accepted: its values are refused, not half-read.
    await expect(kmsFieldCipher(() => kms, [v2]).open(before, context('rotation-a'))).rejects.toBeInstanceOf(CipherIntegrityError);
    expect(calls.GenerateDataKey).toBe(2);
  });

  it('tells a key service that is down (503, retried) from a value that is not this claim’s', async () => {
    const key = await freshKey('v1');
    const up = countingKms();
    const sealed = await kmsFieldCipher(() => up.kms, [key]).seal(NISS, context('down-a'));
    // Nothing listens on port 9: connection refused, as with KMS unreachable.
    const down = countingKms('http://127.0.0.1:9');
    await expect(kmsFieldCipher(() => down.kms, [key]).open(sealed, context('down-a'))).rejects.toBeInstanceOf(CipherUnavailableError);
    await expect(kmsFieldCipher(() => down.kms, [key]).seal(NISS, context('down-b'))).rejects.toBeInstanceOf(CipherUnavailableError);
    await expect(kmsFieldCipher(() => up.kms, [key]).open(sealed, context('down-other'))).rejects.toBeInstanceOf(CipherIntegrityError);
  });

  it('the stand-in binds a wrapped data key to its encryption context and its key, as KMS does', async () => {
    const key = await freshKey('v1');
    const other = await freshKey('v2');
    const { CiphertextBlob } = await admin.send(new GenerateDataKeyCommand({ KeyId: key.keyId, NumberOfBytes: 32, EncryptionContext: { claim: 'a' } }));
    await expect(admin.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { claim: 'b' } }))).rejects.toMatchObject({
      name: 'InvalidCiphertextException',
    });
    await expect(admin.send(new DecryptCommand({ CiphertextBlob, KeyId: other.keyId, EncryptionContext: { claim: 'a' } }))).rejects.toMatchObject({
      name: 'IncorrectKeyException',
    });
    const { Plaintext } = await admin.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { claim: 'a' } }));
    expect(Plaintext).toHaveLength(32);
  });
});

describe('a claim at rest (DynamoDB Local)', () => {
  let h: Harness;
  let key: Awaited<ReturnType<typeof freshKey>>;
  const table = () => targetValue('CLAIMS_TABLE');
  const storeWith = (kms: KMSClient) =>
    new ClaimStore(doc, table(), trainingLeaveReimbursement, { pseudonymiser: testPseudonymiser(), cipher: kmsFieldCipher(() => kms, [key]) });
  const claim = (): StoredClaim => ({
    claimId: randomUUID(),
    status: 'RECEIVED',
    submittedAt: '2024-11-15T10:00:00.000Z',
    requestHash: 'at-rest',
    employerEnterpriseNumber: '0403170701',
    workerNiss: NISS,
    schoolYear: '2024-2025',
    training: { id: 'ODB-12345', startDate: '2024-10-01', endDate: '2025-03-31' },
    hoursByMonth: { '2024-10': 8 },
  });
  beforeAll(async () => {
    h = await startHarness();
    key = await freshKey('v1');
  });
  afterAll(() => h.close());

  it('holds the subject hash and the sealed NISS, never the NISS, and opens it back', async () => {
    const store = storeWith(countingKms().kms);
    const c = claim();
    await store.create(c);
    const { Item } = await doc.send(new GetCommand({ TableName: table(), Key: { pk: `CLAIM#${c.claimId}`, sk: 'CLAIM' } }));
    expect(Item).not.toHaveProperty('workerNiss');
    expect(Item!.workerNissSealed).toMatch(/^esdk1:/);
    expect(Item!.workerSubject).toBe(await testPseudonymiser().subject(NISS));
    expect(JSON.stringify(Item)).not.toContain(NISS);
    expect((await store.open((await store.get(c.claimId))!)).workerNiss).toBe(NISS);
  });

  it('a warm-up fetches the data key the first claim is sealed with, and seals nothing of anyone; with KMS down it resolves and the claim still fails', async () => {
    const { kms, calls } = countingKms();
    const store = storeWith(kms);
    await store.warmUp();
    expect(calls).toEqual({ GenerateDataKey: 1 });
    const c = claim();
    await store.create(c);
    // The claim sealed under the warm-up's data key: no second KMS call, and it opens as its own.
    expect(calls).toEqual({ GenerateDataKey: 1 });
    expect((await store.open((await store.get(c.claimId))!)).workerNiss).toBe(NISS);

    const down = storeWith(countingKms('http://127.0.0.1:9').kms);
    await expect(down.warmUp()).resolves.toBeUndefined();
    await expect(down.create(claim())).rejects.toBeInstanceOf(CipherUnavailableError);
  });

  it('writes nothing when the key service is down at submission', async () => {
    const c = claim();
    await expect(storeWith(countingKms('http://127.0.0.1:9').kms).create(c)).rejects.toBeInstanceOf(CipherUnavailableError);
    expect(await storeWith(countingKms().kms).get(c.claimId)).toBeUndefined();
  });

  it('a sealed NISS copied onto another claim does not open there: DWSE gets a 500 without any NISS, the employer its usual answer', async () => {
    const store = storeWith(countingKms().kms);
    const [a, b] = [claim(), { ...claim(), workerNiss: '84050550577' }];
    await store.create(a);
    await store.create(b);
    const { Item } = await doc.send(new GetCommand({ TableName: table(), Key: { pk: `CLAIM#${a.claimId}`, sk: 'CLAIM' } }));
    await doc.send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: `CLAIM#${b.claimId}`, sk: 'CLAIM' },
        UpdateExpression: 'SET workerNissSealed = :copied',
        ExpressionAttributeValues: { ':copied': Item!.workerNissSealed },
      }),
    );
    await expect(store.open((await store.get(b.claimId))!)).rejects.toBeInstanceOf(CipherIntegrityError);
    const read = createGetClaimHandler(() => ({ ...h.deps(readTrainingLeaveClaim.purpose)(), claims: store }));
    const dwse = await read(httpEvent({ token: await h.token({ role: 'dwse', team: 'inspectie' }), pathParameters: { claimId: b.claimId } }), lambdaContext());
    expect([dwse.statusCode, JSON.parse(dwse.body!).code]).toEqual([500, 'INTERNAL_ERROR']);
    expect(dwse.body).not.toMatch(/85073003328|84050550577|esdk1:/);
    const employer = await read(
      httpEvent({ token: await h.token({ role: 'employer', enterpriseNumber: '0403170701' }), pathParameters: { claimId: b.claimId } }),
      lambdaContext(),
    );
    expect(employer.statusCode).toBe(200);
  });

  it('answers a replay of a stored claim while KMS is unreachable, and still writes no new claim', async () => {
    const c = claim();
    await storeWith(countingKms().kms).create(c);
    const down = storeWith(countingKms('http://127.0.0.1:9').kms);
    expect(await down.create(c)).toMatchObject({ created: false, claim: { claimId: c.claimId } });
    await expect(down.create(claim())).rejects.toBeInstanceOf(CipherUnavailableError);
  });

  it('tells a wrapped data key KMS refuses (altered) from KMS down: a broken value, not a 503', async () => {
    const { kms } = countingKms();
    const cipher = kmsFieldCipher(() => kms, [key]);
    const sealed = await cipher.seal(NISS, context('altered-edk'));
    const bytes = Buffer.from(sealed.slice('esdk1:'.length), 'base64');
    // A byte of the wrapped data key, just after the key's ARN in the message header.
    const at = bytes.indexOf(Buffer.from(key.keyId)) + key.keyId.length + 10;
    bytes[at]! ^= 1;
    await expect(kmsFieldCipher(() => kms, [key]).open(`esdk1:${bytes.toString('base64')}`, context('altered-edk'))).rejects.toBeInstanceOf(
      CipherIntegrityError,
    );
  });

  it('withdraws a provisionally decided claim without opening its NISS: the hours go back by the items the decision named', async () => {
    const pseudonymiser = testPseudonymiser({ t1: `withdraw-sealed-${randomUUID()}` });
    const opens = { count: 0 };
    const cipher = kmsFieldCipher(() => countingKms().kms, [key]);
    const counting = { seal: cipher.seal.bind(cipher), open: (v: string, c: Parameters<typeof cipher.open>[1]) => (opens.count++, cipher.open(v, c)) };
    const store = new ClaimStore(doc, table(), trainingLeaveReimbursement, { pseudonymiser, cipher: counting });
    const scope = 'ODB-12345';
    const decision = (id: string) =>
      ({
        outcome: 'APPROVED',
        approvedHours: 8,
        final: false,
        decidedAt: '2024-11-15T10:00:00.000Z',
        reasons: [],
        ledger: [{ bound: 'TRAINING', scope, limitHours: 20, alreadyApprovedHours: 0, hours: 8 }],
        claimId: id,
      }) as never;
    const c = claim();
    await store.create(c);
    const opened = await store.open((await store.get(c.claimId))!);
    await store.approvedSoFar(opened);
    expect(await store.decide(opened, decision(c.claimId))).toBe('DECIDED');
    expect((await store.approvedSoFar(opened)).training).toBe(8);
    opens.count = 0;
    const { outcome } = await store.withdraw((await store.get(c.claimId))!, new Date('2024-11-20T10:00:00Z'));
    expect(outcome).toBe('WITHDRAWN');
    expect(opens.count).toBe(0);
    expect((await store.approvedSoFar(opened)).training).toBe(0);
    const withdrawn = (await doc.send(new GetCommand({ TableName: table(), Key: { pk: `CLAIM#${c.claimId}`, sk: 'CLAIM' } }))).Item!;
    expect(withdrawn).not.toHaveProperty('ledgerItems');
    // Withdrawing a claim still waiting opens nothing either, nor does repeating a withdrawal.
    const waiting = claim();
    await store.create(waiting);
    await store.withdraw((await store.get(waiting.claimId))!, new Date());
    await store.withdraw((await store.get(waiting.claimId))!, new Date());
    expect(opens.count).toBe(0);
  });

  it('answers DWSE 503 ENCRYPTION_UNAVAILABLE when KMS is unreachable, never the ciphertext', async () => {
    const c = claim();
    await storeWith(countingKms().kms).create(c);
    const read = createGetClaimHandler(() => ({ ...h.deps(readTrainingLeaveClaim.purpose)(), claims: storeWith(countingKms('http://127.0.0.1:9').kms) }));
    const dwse = await read(
      httpEvent({ token: await h.token({ role: 'dwse', team: 'competenties' }), pathParameters: { claimId: c.claimId } }),
      lambdaContext(),
    );
    expect([dwse.statusCode, JSON.parse(dwse.body!).code]).toEqual([503, 'ENCRYPTION_UNAVAILABLE']);
    expect(dwse.body).not.toMatch(/esdk1:|85073003328/);
  });
});

describe('local data kept from before claims were sealed', () => {
  it('is sealed at start: the claim opens, the premium check keeps its hash, no clear NISS stays; twice changes nothing', async () => {
    const key = await freshKey('v1');
    const { kms } = countingKms();
    const privacy = { pseudonymiser: testPseudonymiser(), cipher: kmsFieldCipher(() => kms, [key]) };
    const claimId = randomUUID();
    const claimKey = { pk: `CLAIM#${claimId}`, sk: 'CLAIM' };
    const checkKey = { pk: `CHECK#${randomUUID()}`, sk: 'CHECK' };
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    await doc.send(
      new PutCommand({
        TableName: targetValue('CLAIMS_TABLE'),
        Item: { ...claimKey, claimId, status: 'RECEIVED', employerEnterpriseNumber: '0403170701', workerNiss: NISS, schoolYear: '2024-2025', expiresAt },
      }),
    );
    await doc.send(new PutCommand({ TableName: targetValue('PREMIUM_CHECKS_TABLE'), Item: { ...checkKey, workerNiss: '84050550577', expiresAt } }));
    const tables = { claims: targetValue('CLAIMS_TABLE'), premiumChecks: targetValue('PREMIUM_CHECKS_TABLE') };
    const first = await sealClearNiss(dynamodb, tables, privacy);
    expect(first.claims).toBeGreaterThanOrEqual(1);
    expect(first.premiumChecks).toBeGreaterThanOrEqual(1);
    const claim = (await doc.send(new GetCommand({ TableName: tables.claims, Key: claimKey }))).Item!;
    expect(claim).not.toHaveProperty('workerNiss');
    const store = new ClaimStore(doc, tables.claims, trainingLeaveReimbursement, privacy);
    expect((await store.open((await store.get(claimId))!)).workerNiss).toBe(NISS);
    const check = (await doc.send(new GetCommand({ TableName: tables.premiumChecks, Key: checkKey }))).Item!;
    expect(check).toEqual({ ...checkKey, expiresAt, workerSubject: await testPseudonymiser().subject('84050550577') });
    expect(await sealClearNiss(dynamodb, tables, privacy)).toEqual({ claims: 0, premiumChecks: 0 });
  });
});
