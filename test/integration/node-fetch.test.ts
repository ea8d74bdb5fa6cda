import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteKeySet } from '../../shared/auth/remote-key-set.js';
import { verifyToken } from '../../shared/auth/verify-token.js';
import { nodeFetch } from '../../shared/transport/node-fetch.js';

// A loopback server whose answer each test sets; it counts requests and connections.
let server: Server;
let base: string;
let answer: (path: string, res: import('node:http').ServerResponse, headers: import('node:http').IncomingHttpHeaders) => void = (_p, res) => res.end();
let requests = 0;
let connections = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    answer(req.url ?? '/', res, req.headers);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('nodeFetch (fetch on node:http)', () => {
  const get = nodeFetch();

  it('answers status, headers case-insensitively and the body once, like fetch', async () => {
    answer = (_p, res, headers) => {
      res.writeHead(201, { 'Content-Type': 'application/json', 'Retry-After': '7', 'x-seen-accept': String(headers.accept) });
      res.end(JSON.stringify({ a: 1 }));
    };
    const response = await get(`${base}/x`, { headers: { Accept: 'application/json' } });
    expect([response.status, response.ok]).toEqual([201, true]);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('X-Seen-Accept')).toBe('application/json');
    expect(response.headers.get('absent')).toBeNull();
    expect(await response.json()).toEqual({ a: 1 });
    await expect(response.text()).rejects.toThrow(TypeError);
  });

  it('says ok only for 2xx, and a cancelled body keeps the connection for the next call', async () => {
    answer = (_p, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"missing":true}');
    };
    const before = connections;
    for (let i = 0; i < 5; i++) {
      const response = await get(`${base}/missing`);
      expect([response.status, response.ok]).toEqual([404, false]);
      await response.body?.cancel();
    }
    expect(connections - before).toBeLessThanOrEqual(1);
  });

  it('rejects with the signal reason when it times out, as fetch does', async () => {
    answer = () => {
      /* never answers */
    };
    const error = await get(`${base}/slow`, { signal: AbortSignal.timeout(50) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('TimeoutError');
  });

  it('rejects a refused connection, an http URL when https is required, and another protocol', async () => {
    await expect(get('http://127.0.0.1:1/')).rejects.toThrow();
    await expect(nodeFetch({ httpsOnly: true })(`${base}/x`)).rejects.toThrow(/only presented over https/);
    await expect(get('ftp://127.0.0.1/x')).rejects.toThrow(/unsupported protocol/);
  });

  it('gives a 204 no body', async () => {
    answer = (_p, res) => {
      res.writeHead(204);
      res.end();
    };
    const response = await get(`${base}/none`);
    expect(response.body).toBeNull();
    expect(await response.text()).toBe('');
  });

  it('loads no undici: a process that calls it never touches fetch, Headers or Response', async () => {
    answer = (_p, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"fine":true}');
    };
    const script = `
      for (const name of ['fetch', 'Headers', 'Response', 'Request']) {
        Object.defineProperty(globalThis, name, { configurable: true, get() { throw new Error('touched ' + name); } });
      }
      const { nodeFetch } = await import(${JSON.stringify(new URL('../../shared/transport/node-fetch.ts', import.meta.url).pathname)});
      const r = await nodeFetch()(${JSON.stringify(`${base}/ok`)}, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(2000) });
      process.stdout.write(JSON.stringify(await r.json()));
    `;
    // Asynchronously: this process's server answers the child.
    const { stdout: out } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ fine: true });
  });
});

describe('remoteKeySet (the identity provider keys over node:http)', () => {
  const ISSUER = 'https://idp.test';
  const setUp = async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: `k-${Math.random()}`, alg: 'RS256', use: 'sig' };
    const sign = (kid = jwk.kid) =>
      new SignJWT({ role: 'actiris' })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(ISSUER)
        .setAudience('bcss')
        .setSubject('actiris')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
    return { jwk, sign };
  };

  it('fetches once for many verifications, and once more for an unknown key id only after the cool-down', async () => {
    const { jwk, sign } = await setUp();
    answer = (_p, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    };
    const set = remoteKeySet(new URL(`${base}/jwks-a`), { cooldownMs: 60_000 });
    requests = 0;
    const token = await sign();
    await Promise.all(Array.from({ length: 10 }, () => verifyToken(token, { keys: set.getKey, issuer: ISSUER, audience: 'bcss' })));
    expect(requests).toBe(1);
    await expect(verifyToken(await sign('unknown'), { keys: set.getKey, issuer: ISSUER, audience: 'bcss' })).rejects.toThrow();
    expect(requests).toBe(1);

    const eager = remoteKeySet(new URL(`${base}/jwks-b`), { cooldownMs: 0 });
    await eager.getKey({ alg: 'RS256', kid: jwk.kid }, undefined as never);
    requests = 0;
    await expect(verifyToken(await sign('unknown'), { keys: eager.getKey, issuer: ISSUER, audience: 'bcss' })).rejects.toThrow();
    expect(requests).toBe(1);
  });

  it('prefetches once, and the first verification uses what was fetched', async () => {
    const { jwk, sign } = await setUp();
    answer = (_p, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    };
    const set = remoteKeySet(new URL(`${base}/jwks-c`));
    requests = 0;
    set.prefetch();
    set.prefetch();
    await verifyToken(await sign(), { keys: set.getKey, issuer: ISSUER, audience: 'bcss' });
    expect(requests).toBe(1);
  });

  it('an outage, a slow provider or an answer that is not a key set are "keys unavailable", never "token invalid"', async () => {
    const { sign } = await setUp();
    const token = await sign();
    for (const [name, respond] of [
      ['500', (res: import('node:http').ServerResponse) => res.writeHead(500).end()],
      ['not JSON', (res: import('node:http').ServerResponse) => res.writeHead(200).end('<html>')],
      ['not a key set', (res: import('node:http').ServerResponse) => res.writeHead(200).end('{"keys":"no"}')],
      ['slow', () => {}],
    ] as const) {
      answer = (_p, res) => respond(res);
      const set = remoteKeySet(new URL(`${base}/jwks-${name.replace(/ /g, '-')}`), { timeoutMs: 100 });
      const error = await verifyToken(token, { keys: set.getKey, issuer: ISSUER, audience: 'bcss' }).catch((e: unknown) => e);
      expect([name, (error as Error).name]).toEqual([name, 'KeySetUnavailableError']);
    }
  });
});
