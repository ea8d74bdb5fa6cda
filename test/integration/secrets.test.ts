import { inProcessCipher } from '../support/cipher.js';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateTlsMaterial, type TlsMaterial } from '../../local/fake-aws/certificates.js';
import { type FakeAws, startFakeAws } from '../../local/fake-aws/server.js';
import { loadDataset } from '../../local/fake-sources/dataset.js';
import { type FakeSources, startFakeSources } from '../../local/fake-sources/server.js';
import { createDocumentClient } from '../../shared/aws/clients.js';
import { KmsMacService } from '../../shared/aws/kms-mac.js';
import { secretsManagerCertificate } from '../../shared/aws/secrets.js';
import { MacUnavailableError, Pseudonymiser, withHashScope } from '../../shared/privacy/pseudonymiser.js';
import { trainingLeaveReimbursement } from '../../shared/purposes/catalogue.js';
import { certificateFetch, ClientCertificateError, clientCertificateFetch } from '../../shared/sources/client-certificate.js';
import { HttpSourceClient } from '../../shared/sources/http-source.js';
import { SourceContractError, SourceUnavailableError } from '../../shared/sources/source-errors.js';
import { ClaimStore, type StoredClaim } from '../../shared/storage/claims.js';
import { targetClients } from '../support/aws.js';
import { isExternalTarget, targetEnv, targetValue } from '../support/target.js';

// The secrets path with the real SDK clients against the local stand-in of KMS and Secrets
// Manager (its own instance here, so the test knows the key it holds and counts the calls),
// and the fake sources behind mutual TLS.
const KEY_V1 = randomBytes(32);
const KEY_V2 = randomBytes(32);
const SECRET = 'test/sources-client-certificate';
const REGION = 'eu-west-1';
let aws: FakeAws;
let tls: TlsMaterial;
let otherCa: TlsMaterial;
let sources: FakeSources;
let kms: KMSClient;
const secrets = new Map<string, string>();

beforeAll(async () => {
  // The stand-in checks no signature, but the SDK signs: credentials as the functions have them locally.
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  const dir = await mkdtemp(join(tmpdir(), 'secrets-test-'));
  [tls, otherCa] = await Promise.all([loadOrCreateTlsMaterial(join(dir, 'tls')), loadOrCreateTlsMaterial(join(dir, 'other-ca'))]);
  secrets.set(SECRET, JSON.stringify({ certificate: tls.client.certificate, privateKey: tls.client.privateKey, ca: tls.ca }));
  secrets.set('test/malformed', JSON.stringify({ certificate: 'not a certificate', privateKey: 'secret-value-that-must-not-leak' }));
  aws = await startFakeAws({
    region: REGION,
    macKeys: new Map([
      ['alias/test-v1', KEY_V1],
      ['alias/test-v2', KEY_V2],
    ]),
    secrets,
  });
  kms = new KMSClient({ region: REGION, endpoint: aws.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  sources = await startFakeSources(await loadDataset(), { tls: { ...tls.server, ca: tls.ca } });
});
afterAll(async () => {
  kms.destroy();
  await Promise.all([aws.close(), sources.close()]);
});

const macs = (...versions: ('v1' | 'v2')[]) =>
  new KmsMacService(
    () => kms,
    versions.map((v) => ({ version: v, keyId: `alias/test-${v}` })),
  );

/** The NISS cipher is not what these tests turn: one in process for every store. */
const cipher = inProcessCipher();

describe('subject hash in KMS (GenerateMac)', () => {
  it('is the HMAC-SHA-256 of the NISS under the key KMS holds, with its version', async () => {
    const hash = await new Pseudonymiser(macs('v1')).subject('85073003328');
    expect(hash).toBe(`v1:${createHmac('sha256', KEY_V1).update('niss:85073003328').digest('hex')}`);
  });

  it('fails clearly for a key KMS does not have', async () => {
    const missing = new KmsMacService(() => kms, [{ version: 'v9', keyId: 'alias/no-such-key' }]);
    const error = await missing.mac('v9', 'niss:85073003328').catch((e: Error) => e);
    // Answered 503 by the HTTP layer; the cause says which KMS error, the message names no NISS.
    expect(error).toBeInstanceOf(MacUnavailableError);
    expect((error as Error).message).toBe('KMS GenerateMac failed for key version v9: NotFoundException');
    await expect(missing.mac('v1', 'niss:85073003328')).rejects.toThrow('no key for subject-hash version v1');
  });

  it('calls KMS once per NISS within a request, however often the request hashes it', async () => {
    const p = new Pseudonymiser(macs('v1'));
    const before = aws.calls['TrentService.GenerateMac'] ?? 0;
    await withHashScope(async () => {
      for (let i = 0; i < 5; i++) await p.subject('90022830580');
    });
    expect((aws.calls['TrentService.GenerateMac'] ?? 0) - before).toBe(1);
  });
});

describe.skipIf(isExternalTarget())('ledger across a key rotation (DynamoDB Local)', () => {
  const { dynamodb } = targetClients();
  const doc = createDocumentClient(dynamodb);
  afterAll(() => dynamodb.destroy());

  it('keeps counting the hours approved under the old key, posts to the item that holds them, rewrites nothing', async () => {
    const table = targetValue('CLAIMS_TABLE');
    const niss = '87091520373';
    const training = `ODB-ROT-${randomUUID()}`;
    const claim = (hours: number): StoredClaim => ({
      claimId: randomUUID(),
      status: 'RECEIVED',
      submittedAt: '2024-11-15T10:00:00.000Z',
      requestHash: 'rotation-test',
      employerEnterpriseNumber: '0403170701',
      workerNiss: niss,
      schoolYear: '2024-2025',
      training: { id: training, startDate: '2024-10-01', endDate: '2025-06-30' },
      hoursByMonth: { '2024-10': hours },
    });
    const decide = async (store: ClaimStore, c: StoredClaim, hours: number) => {
      await store.create(c);
      const read = await store.approvedSoFar(c);
      return {
        read,
        result: await store.decide(c, {
          outcome: 'APPROVED',
          approvedHours: hours,
          decidedAt: '2024-11-15T10:00:00.000Z',
          reasons: [],
          ledger: [{ bound: 'TRAINING', scope: training, limitHours: 20, alreadyApprovedHours: read.training, hours }],
        } as never),
      };
    };
    const before = new ClaimStore(doc, table, trainingLeaveReimbursement, { pseudonymiser: new Pseudonymiser(macs('v1')), cipher });
    expect((await decide(before, claim(12), 12)).result).toBe('DECIDED');

    // v2 becomes current, v1 stays accepted.
    const after = new ClaimStore(doc, table, trainingLeaveReimbursement, { pseudonymiser: new Pseudonymiser(macs('v2', 'v1')), cipher });
    const { read, result } = await decide(after, claim(8), 8);
    expect(read.training).toBe(12);
    expect(result).toBe('DECIDED');
    // Past the bound across both keys: refused by the ledger's condition, not counted from zero under v2.
    const third = claim(1);
    await after.create(third);
    await expect(
      after.decide(third, {
        outcome: 'APPROVED',
        approvedHours: 1,
        decidedAt: '2024-11-15T10:00:00.000Z',
        reasons: [],
        ledger: [{ bound: 'TRAINING', scope: training, limitHours: 20, alreadyApprovedHours: 20, hours: 1 }],
      } as never),
    ).rejects.toThrow(/outside its bound/);

    const items = async (version: 'v1' | 'v2') => {
      const pk = `WORKER#${await new Pseudonymiser(macs(version)).subject(niss)}`;
      return (
        (
          await doc.send(
            new QueryCommand({
              TableName: table,
              KeyConditionExpression: 'pk = :pk AND sk = :sk',
              ExpressionAttributeValues: { ':pk': pk, ':sk': `LEDGER#TRAINING#${training}` },
            }),
          )
        ).Items ?? []
      );
    };
    expect((await items('v1')).map((i) => i.approvedHundredths)).toEqual([2000]);
    expect(await items('v2')).toEqual([]);
  });

  it('refuses a decision when the bound moved under another key version since it was read (a container still on the other key list)', async () => {
    const table = targetValue('CLAIMS_TABLE');
    const training = `ODB-ROT-${randomUUID()}`;
    const claim = (): StoredClaim => ({
      claimId: randomUUID(),
      status: 'RECEIVED',
      submittedAt: '2024-11-15T10:00:00.000Z',
      requestHash: 'rotation-test',
      employerEnterpriseNumber: '0403170701',
      workerNiss: '86041210115',
      schoolYear: '2024-2025',
      training: { id: training, startDate: '2024-10-01', endDate: '2025-06-30' },
      hoursByMonth: { '2024-10': 3 },
    });
    const posting = (read: number, hours: number) =>
      ({
        outcome: 'APPROVED',
        approvedHours: hours,
        decidedAt: '2024-11-15T10:00:00.000Z',
        reasons: [],
        ledger: [{ bound: 'TRAINING', scope: training, limitHours: 20, alreadyApprovedHours: read, hours }],
      }) as never;
    const v1Only = new ClaimStore(doc, table, trainingLeaveReimbursement, { pseudonymiser: new Pseudonymiser(macs('v1')), cipher });
    const v2Only = new ClaimStore(doc, table, trainingLeaveReimbursement, { pseudonymiser: new Pseudonymiser(macs('v2')), cipher });
    const both = new ClaimStore(doc, table, trainingLeaveReimbursement, { pseudonymiser: new Pseudonymiser(macs('v2', 'v1')), cipher });
    // 12 h under v1, then 5 h under v2 (written by a container that only knew v2).
    const first = claim();
    await v1Only.create(first);
    await v1Only.approvedSoFar(first);
    expect(await v1Only.decide(first, posting(0, 12))).toBe('DECIDED');
    const second = claim();
    await v2Only.create(second);
    await v2Only.approvedSoFar(second);
    expect(await v2Only.decide(second, posting(0, 5))).toBe('DECIDED');
    // A decision reads 17 h across both versions and would post 3 h to the v1 item...
    const third = claim();
    await both.create(third);
    expect((await both.approvedSoFar(third)).training).toBe(17);
    // ...while the v2-only container posts 3 h more to the v2 item.
    const fourth = claim();
    await v2Only.create(fourth);
    await v2Only.approvedSoFar(fourth);
    expect(await v2Only.decide(fourth, posting(5, 3))).toBe('DECIDED');
    // The v2 item no longer holds what was read: nothing is written (else 12 + 3 + 8 = 23 > 20).
    expect(await both.decide(third, posting(17, 3))).toBe('LEDGER_MOVED');
    expect((await both.approvedSoFar(third)).training).toBe(20);
  });
});

describe('sources behind mutual TLS, with the client certificate from Secrets Manager (Powertools Parameters)', () => {
  const cfg = { region: REGION, endpoints: { secretsManager: '' } };
  const client = (fetchImpl: typeof fetch) =>
    new HttpSourceClient({ name: 'bcss-registers', baseUrl: `${sources.url}/bcss-registers`, retries: 0, timeoutMs: 3_000, fetchImpl });

  it('presents the certificate read from the secret store and gets the answer', async () => {
    const errors: Error[] = [];
    const fetchImpl = certificateFetch(secretsManagerCertificate({ ...cfg, endpoints: { secretsManager: aws.endpoint } }, SECRET), (e) => errors.push(e));
    const before = aws.calls['secretsmanager.GetSecretValue'] ?? 0;
    const first = await client(fetchImpl).getJson('/persons/85073003328');
    const second = await client(fetchImpl).getJson('/persons/85073003328');
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.body).toMatchObject({ niss: '85073003328' });
    // Loaded once per container (this fetch), not per call.
    expect((aws.calls['secretsmanager.GetSecretValue'] ?? 0) - before).toBe(1);
    expect(errors).toEqual([]);
  });

  it('keeps the connection open: one mutual-TLS handshake for consecutive calls, answers or not', async () => {
    const fetchImpl = certificateFetch(secretsManagerCertificate({ ...cfg, endpoints: { secretsManager: aws.endpoint } }, SECRET));
    let handshakes = 0;
    const count = () => handshakes++;
    sources.server.on('secureConnection', count);
    try {
      const statuses = [];
      for (const path of ['/persons/85073003328', '/persons/00000000000', '/persons/85073003328', '/persons/84050550577'])
        statuses.push((await client(fetchImpl).getJson(path)).status);
      expect(statuses).toEqual([200, 404, 200, 200]);
      expect(handshakes).toBe(1);
    } finally {
      sources.server.off('secureConnection', count);
    }
  });

  it('is refused without a certificate of the network, and cannot be reached in plain HTTP', async () => {
    const foreign = clientCertificateFetch({ certificate: otherCa.client.certificate, privateKey: otherCa.client.privateKey, ca: tls.ca });
    await expect(client(foreign).getJson('/persons/85073003328')).rejects.toBeInstanceOf(SourceContractError);
    const plain = clientCertificateFetch({ certificate: tls.client.certificate, privateKey: tls.client.privateKey, ca: tls.ca });
    await expect(plain(sources.url.replace('https:', 'http:'))).rejects.toThrow(/only presented over https/);
  });

  it('picks up a certificate put into the secret after a failed load, without waiting for the cache', async () => {
    secrets.set('test/fixed-later', '{}');
    const logged: Error[] = [];
    const fetchImpl = certificateFetch(secretsManagerCertificate({ ...cfg, endpoints: { secretsManager: aws.endpoint } }, 'test/fixed-later'), (e) =>
      logged.push(e),
    );
    await expect(client(fetchImpl).getJson('/persons/85073003328')).rejects.toBeInstanceOf(SourceUnavailableError);
    // The deployer puts the certificate (the stack created the secret as `{}`).
    secrets.set('test/fixed-later', secrets.get(SECRET)!);
    expect((await client(fetchImpl).getJson('/persons/85073003328')).status).toBe(200);
    expect(logged).toHaveLength(1);
  });

  it('turns statuses fetch cannot represent into errors, not a crash, and answers 205 without a body', async () => {
    const { createServer } = await import('node:https');
    const odd = createServer({ cert: tls.server.certificate, key: tls.server.privateKey, ca: tls.ca, requestCert: true }, (req, res) => {
      res.writeHead(req.url === '/205' ? 205 : 600);
      res.end('ignored');
    });
    await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve));
    const base = `https://127.0.0.1:${(odd.address() as { port: number }).port}`;
    const f = clientCertificateFetch({ certificate: tls.client.certificate, privateKey: tls.client.privateKey, ca: tls.ca });
    const reset = await f(`${base}/205`);
    expect(reset.status).toBe(205);
    expect(await reset.text()).toBe('');
    await expect(f(`${base}/600`)).rejects.toThrow(/cannot represent \(600\)/);
    odd.close();
  });

  it('answers "source unavailable" when the secret cannot be read, and names no value when it is malformed', async () => {
    const logged: Error[] = [];
    const missing = certificateFetch(secretsManagerCertificate({ ...cfg, endpoints: { secretsManager: aws.endpoint } }, 'test/absent'), (e) => logged.push(e));
    await expect(client(missing).getJson('/persons/85073003328')).rejects.toBeInstanceOf(SourceUnavailableError);
    const malformed = certificateFetch(secretsManagerCertificate({ ...cfg, endpoints: { secretsManager: aws.endpoint } }, 'test/malformed'), (e) =>
      logged.push(e),
    );
    await expect(client(malformed).getJson('/persons/85073003328')).rejects.toBeInstanceOf(SourceUnavailableError);
    expect(logged.at(-1)).toBeInstanceOf(ClientCertificateError);
    expect(logged.at(-1)!.message).toMatch(/certificate/);
    for (const e of logged) expect(`${e.message} ${String(e.cause ?? '')}`).not.toContain('secret-value-that-must-not-leak');
    // A value that is not JSON: the parser would quote its start; the error does not.
    secrets.set('test/not-json', 'MIIEvQIBADANBgkqhkiG9w0BAQ');
    const notJson = certificateFetch(secretsManagerCertificate({ ...cfg, endpoints: { secretsManager: aws.endpoint } }, 'test/not-json'), (e) =>
      logged.push(e),
    );
    await expect(client(notJson).getJson('/persons/85073003328')).rejects.toBeInstanceOf(SourceUnavailableError);
    expect(logged.at(-1)).toBeInstanceOf(ClientCertificateError);
    expect(logged.at(-1)!.message).not.toContain('MIIE');
  });
});

describe.skipIf(isExternalTarget())('the functions of the local cloud', () => {
  it('are given where the key is, never the key', async () => {
    const env = targetEnv();
    const key = await readFile(join(env.CLOUD_KEYS_DIR!, 'kms', 'subject-hash-v1.key'));
    expect(key.length).toBe(32);
    const forms = [key.toString('hex'), key.toString('base64'), key.toString('base64url'), key.toString('latin1')];
    for (const [name, value] of Object.entries(env)) for (const form of forms) expect(value.includes(form), name).toBe(false);
    expect(env.SUBJECT_HASH_KEYS).toMatch(/^v1=alias\//);
  });
});
