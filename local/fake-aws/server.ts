import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the two AWS services the functions call for secrets, on loopback, speaking
 * their JSON protocol (`X-Amz-Target`) so the real SDK v3 clients talk to it unchanged:
 * - KMS `GenerateMac` (HMAC_SHA_256) with keys it holds — the functions never see them —,
 *   and `CreateKey`/`CreateAlias` for HMAC_256 keys (tests make a key of their own, as a
 *   stage would);
 * - Secrets Manager `GetSecretValue` (what Powertools Parameters calls).
 * Written here because no emulator runs on this machine (LocalStack needs Docker; moto
 * needs PyPI). Signatures are not checked: it serves the local cloud on 127.0.0.1 only.
 */
export interface FakeAwsOptions {
  port?: number;
  region?: string;
  /** HMAC keys it starts with, by KMS alias name (`alias/…`). */
  macKeys: ReadonlyMap<string, Buffer>;
  /** Secret strings by secret name. */
  secrets: ReadonlyMap<string, string>;
}

export interface FakeAws {
  endpoint: string;
  /** Calls served per operation (for tests and benchmarks). */
  calls: Record<string, number>;
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

export const startFakeAws = async ({ port = 0, region = 'eu-west-1', macKeys, secrets }: FakeAwsOptions): Promise<FakeAws> => {
  const calls: Record<string, number> = {};
  const keys = new Map<string, Buffer>();
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
    if (!keyId || !keys.has(keyId)) throw new AwsError('NotFoundException', `Key '${ref}' does not exist`);
    return keyId;
  };
  const operations: Record<string, (body: Record<string, unknown>) => unknown> = {
    'TrentService.GenerateMac': (body) => {
      const keyId = keyIdOf(String(body.KeyId ?? ''));
      if (body.MacAlgorithm !== 'HMAC_SHA_256') throw new AwsError('InvalidKeyUsageException', `${String(body.MacAlgorithm)} is not supported by this key`);
      if (typeof body.Message !== 'string') throw new AwsError('ValidationException', 'Message is required');
      if (Buffer.from(body.Message, 'base64').length > 4096) throw new AwsError('ValidationException', 'Message must be at most 4096 bytes');
      const mac = createHmac('sha256', keys.get(keyId)!).update(Buffer.from(body.Message, 'base64')).digest('base64');
      return { KeyId: keyArn(keyId), Mac: mac, MacAlgorithm: 'HMAC_SHA_256' };
    },
    'TrentService.CreateKey': (body) => {
      if (body.KeySpec !== 'HMAC_256' || body.KeyUsage !== 'GENERATE_VERIFY_MAC')
        throw new AwsError('UnsupportedOperationException', 'this stand-in makes HMAC_256 keys for GENERATE_VERIFY_MAC only');
      const keyId = randomUUID();
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

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
