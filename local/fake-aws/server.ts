import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the two AWS services the functions call for secrets, on loopback, speaking
 * their JSON protocol (`X-Amz-Target`) so the real SDK v3 clients talk to it unchanged:
 * - KMS `GenerateMac` (HMAC_SHA_256) with keys it holds — the functions never see them —,
 *   and `CreateKey`/`CreateAlias` for HMAC_256 keys (tests make a key of their own, as a
 *   stage would);
 * - KMS `GenerateDataKey`, `Encrypt` and `Decrypt` with symmetric keys (SYMMETRIC_DEFAULT),
 *   binding each wrapped key to its encryption context as KMS does (another context, or
 *   another key, cannot unwrap it), and `CreateKey` for them;
 * - Secrets Manager `GetSecretValue` (what Powertools Parameters calls).
 * Written here because no emulator runs on this machine (LocalStack needs Docker; moto
 * needs PyPI). Signatures are not checked: it serves the local cloud on 127.0.0.1 only.
 */
export interface FakeAwsOptions {
  port?: number;
  region?: string;
  /** HMAC keys it starts with, by KMS alias name (`alias/…`). */
  macKeys: ReadonlyMap<string, Buffer>;
  /**
   * Symmetric (encryption) keys it starts with, by key id: their ARNs name them in stored
   * ciphertexts, so a local key keeps its id across restarts.
   */
  encryptionKeys?: ReadonlyMap<string, Buffer>;
  /** Secret strings by secret name. */
  secrets: ReadonlyMap<string, string>;
}

export interface FakeAws {
  endpoint: string;
  /** Calls served per operation (for tests and benchmarks). */
  calls: Record<string, number>;
  /** Operations answered with KMS's internal error until set again (tests: the key service down). */
  failing: Set<string>;
  close(): Promise<void>;
}

const ACCOUNT = '000000000000';

class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const readJson = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    throw new AwsError('SerializationException', 'the body is not JSON');
  }
};

/** A wrapped data key: version, key id (36 chars), IV, tag, ciphertext; the context is its additional data. */
const BLOB_VERSION = 1;
const contextBytes = (context: unknown) => {
  const entries = Object.entries((context ?? {}) as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(entries));
};
const wrap = (keyId: string, material: Buffer, plaintext: Buffer, context: unknown) => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', material, iv).setAAD(contextBytes(context));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([BLOB_VERSION]), Buffer.from(keyId.padEnd(36).slice(0, 36)), iv, cipher.getAuthTag(), body]);
};
const unwrapKeyId = (blob: Buffer) => (blob.length > 65 && blob[0] === BLOB_VERSION ? blob.subarray(1, 37).toString().trim() : undefined);
const unwrap = (material: Buffer, blob: Buffer, context: unknown) => {
  const decipher = createDecipheriv('aes-256-gcm', material, blob.subarray(37, 49)).setAAD(contextBytes(context));
  decipher.setAuthTag(blob.subarray(49, 65));
  return Buffer.concat([decipher.update(blob.subarray(65)), decipher.final()]);
};

export const startFakeAws = async ({ port = 0, region = 'eu-west-1', macKeys, encryptionKeys = new Map(), secrets }: FakeAwsOptions): Promise<FakeAws> => {
  const calls: Record<string, number> = {};
  const failing = new Set<string>();
  const keys = new Map<string, Buffer>();
  /** Symmetric keys, by key id. */
  const symmetric = new Map<string, Buffer>(encryptionKeys);
  const aliases = new Map<string, string>();
  for (const [alias, material] of macKeys) {
    const keyId = randomUUID();
    keys.set(keyId, material);
    aliases.set(alias, keyId);
  }
  const keyArn = (keyId: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`;
  /** A key id, key ARN, alias name or alias ARN, as KMS accepts them. */
  const keyIdOf = (ref: string) => {
    // arn:aws:kms:<region>:<account>:key/<id> or …:alias/<name>: the resource is after the fifth colon.
    const tail = ref.startsWith('arn:') ? ref.split(':').slice(5).join(':') : ref;
    const keyId = tail.startsWith('alias/') ? aliases.get(tail) : tail.startsWith('key/') ? tail.slice(4) : tail;
    if (!keyId || !(keys.has(keyId) || symmetric.has(keyId))) throw new AwsError('NotFoundException', `Key '${ref}' does not exist`);
    return keyId;
  };
  const symmetricKey = (ref: unknown) => {
    const keyId = keyIdOf(String(ref ?? ''));
    const material = symmetric.get(keyId);
    if (!material) throw new AwsError('InvalidKeyUsageException', `${String(ref)} is not a symmetric encryption key`);
    return { keyId, material };
  };
  const base64 = (value: unknown, name: string) => {
    if (typeof value !== 'string' || value === '') throw new AwsError('ValidationException', `${name} is required`);
    return Buffer.from(value, 'base64');
  };
  const operations: Record<string, (body: Record<string, unknown>) => unknown> = {
    'TrentService.GenerateMac': (body) => {
      const keyId = keyIdOf(String(body.KeyId ?? ''));
      if (!keys.has(keyId)) throw new AwsError('InvalidKeyUsageException', `${String(body.KeyId)} is not an HMAC key`);
      if (body.MacAlgorithm !== 'HMAC_SHA_256') throw new AwsError('InvalidKeyUsageException', `${String(body.MacAlgorithm)} is not supported by this key`);
      if (typeof body.Message !== 'string') throw new AwsError('ValidationException', 'Message is required');
      if (Buffer.from(body.Message, 'base64').length > 4096) throw new AwsError('ValidationException', 'Message must be at most 4096 bytes');
      const mac = createHmac('sha256', keys.get(keyId)!).update(Buffer.from(body.Message, 'base64')).digest('base64');
      return { KeyId: keyArn(keyId), Mac: mac, MacAlgorithm: 'HMAC_SHA_256' };
    },
    'TrentService.GenerateDataKey': (body) => {
      const { keyId, material } = symmetricKey(body.KeyId);
      const bytes = body.NumberOfBytes ?? (body.KeySpec === 'AES_128' ? 16 : body.KeySpec === 'AES_256' ? 32 : undefined);
      if (typeof bytes !== 'number' || bytes < 1 || bytes > 1024) throw new AwsError('ValidationException', 'NumberOfBytes (1-1024) or KeySpec is required');
      const plaintext = randomBytes(bytes);
      return {
        KeyId: keyArn(keyId),
        Plaintext: plaintext.toString('base64'),
        CiphertextBlob: wrap(keyId, material, plaintext, body.EncryptionContext).toString('base64'),
      };
    },
    'TrentService.Encrypt': (body) => {
      const { keyId, material } = symmetricKey(body.KeyId);
      const plaintext = base64(body.Plaintext, 'Plaintext');
      if (plaintext.length > 4096) throw new AwsError('ValidationException', 'Plaintext must be at most 4096 bytes');
      return {
        KeyId: keyArn(keyId),
        CiphertextBlob: wrap(keyId, material, plaintext, body.EncryptionContext).toString('base64'),
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    },
    'TrentService.Decrypt': (body) => {
      const blob = base64(body.CiphertextBlob, 'CiphertextBlob');
      const blobKey = unwrapKeyId(blob);
      const material = blobKey === undefined ? undefined : symmetric.get(blobKey);
      if (!blobKey || !material) throw new AwsError('InvalidCiphertextException', 'the ciphertext was not made by a key of this account');
      // As KMS: a KeyId given must be the key that made the ciphertext.
      if (body.KeyId !== undefined && keyIdOf(String(body.KeyId)) !== blobKey)
        throw new AwsError('IncorrectKeyException', 'the ciphertext was made by another key');
      let plaintext: Buffer;
      try {
        plaintext = unwrap(material, blob, body.EncryptionContext);
      } catch {
        // Another encryption context, or an altered ciphertext: KMS says no more than this.
        throw new AwsError('InvalidCiphertextException', 'the ciphertext or its encryption context is not valid');
      }
      return { KeyId: keyArn(blobKey), Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    },
    'TrentService.CreateKey': (body) => {
      const keyId = randomUUID();
      if ((body.KeySpec ?? 'SYMMETRIC_DEFAULT') === 'SYMMETRIC_DEFAULT' && (body.KeyUsage ?? 'ENCRYPT_DECRYPT') === 'ENCRYPT_DECRYPT') {
        symmetric.set(keyId, randomBytes(32));
        return {
          KeyMetadata: { KeyId: keyId, Arn: keyArn(keyId), KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Enabled: true, KeyState: 'Enabled' },
        };
      }
      if (body.KeySpec !== 'HMAC_256' || body.KeyUsage !== 'GENERATE_VERIFY_MAC')
        throw new AwsError('UnsupportedOperationException', 'this stand-in makes HMAC_256 keys for GENERATE_VERIFY_MAC and SYMMETRIC_DEFAULT keys only');
      keys.set(keyId, randomBytes(32));
      return { KeyMetadata: { KeyId: keyId, Arn: keyArn(keyId), KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', Enabled: true, KeyState: 'Enabled' } };
    },
    'TrentService.CreateAlias': (body) => {
      const alias = String(body.AliasName ?? '');
      if (!alias.startsWith('alias/')) throw new AwsError('ValidationException', 'AliasName must begin with alias/');
      if (aliases.has(alias)) throw new AwsError('AlreadyExistsException', `An alias with the name ${alias} already exists`);
      aliases.set(alias, keyIdOf(String(body.TargetKeyId ?? '')));
      return {};
    },
    'secretsmanager.GetSecretValue': (body) => {
      const id = String(body.SecretId ?? '');
      const name = id.startsWith('arn:') ? id.slice(id.indexOf(':secret:') + ':secret:'.length) : id;
      const value = secrets.get(name);
      if (value === undefined) throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      return {
        ARN: `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}`,
        Name: name,
        SecretString: value,
        VersionId: randomUUID(),
        VersionStages: ['AWSCURRENT'],
        CreatedDate: Date.now() / 1000,
      };
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    try {
      if (req.method === 'PUT' && req.url === '/_control/faults') return setFaults(await readJson(req), res);
      if (failing.has(target)) throw new AwsError('KMSInternalException', 'the key service is down (fault injected)', 500);
      const operation = operations[target];
      if (req.method !== 'POST' || !operation) throw new AwsError('UnknownOperationException', `${target || 'no X-Amz-Target'} is not served here`);
      const answer = operation(await readJson(req));
      calls[target] = (calls[target] ?? 0) + 1;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(answer));
    } catch (error) {
      const e = error instanceof AwsError ? error : new AwsError('InternalFailure', 'the local AWS stand-in failed', 500);
      res
        .writeHead(e.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': e.type })
        .end(JSON.stringify({ __type: e.type, message: e.message }));
    }
  };

  /** `PUT /_control/faults` `{"down":["TrentService.Decrypt"]}`: those operations fail until the next PUT. */
  const setFaults = (body: Record<string, unknown>, res: ServerResponse) => {
    failing.clear();
    for (const operation of Array.isArray(body.down) ? body.down : []) failing.add(String(operation));
    res.writeHead(204).end();
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    failing,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
