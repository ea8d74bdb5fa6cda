import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../../local/web/build.js';
import { startWebServer, type WebServer } from '../../local/web/server.js';

// The local web server: static pages under a strict policy, the API on the same origin,
// and a token endpoint for the local sign-in that signs only well-formed principals.
let web: WebServer;
let webNoMint: WebServer;
const api = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    res.writeHead(201, { 'content-type': 'application/json', 'x-seen-authorization': req.headers.authorization ?? '' });
    res.end(JSON.stringify({ method: req.method, url: req.url, body }));
  });
});
const minted: unknown[] = [];

beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'web-'));
  await mkdir(join(root, 'sub'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>x</title>');
  await writeFile(join(root, 'secret.txt'), 'not served');
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', () => resolve()));
  const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  web = await startWebServer({
    root,
    apiUrl,
    mint: async (p) => {
      minted.push(p);
      return 'signed';
    },
  });
  webNoMint = await startWebServer({ root, apiUrl });
});
afterAll(async () => {
  await web.close();
  await webNoMint.close();
  api.close();
});

describe('the local web server', () => {
  it('serves the pages under a policy that admits only its own origin', async () => {
    const response = await fetch(`${web.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).not.toContain('unsafe');
  });

  it('serves nothing outside its folder, and no file type it does not know', async () => {
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fpackage.json', '/secret.txt', '/missing.html']) {
      const response = await fetch(`${web.url}${path}`);
      expect(response.status, path).toBe(404);
    }
  });

  it('passes /v1 and /docs to the API with method, query, headers and body', async () => {
    const response = await fetch(`${web.url}/v1/training-leave/claims?limit=2`, { method: 'POST', headers: { authorization: 'Bearer t' }, body: '{"a":1}' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-seen-authorization')).toBe('Bearer t');
    expect(await response.json()).toEqual({ method: 'POST', url: '/v1/training-leave/claims?limit=2', body: '{"a":1}' });
    expect(((await (await fetch(`${web.url}/docs`)).json()) as { url: string }).url).toBe('/docs');
  });

  it('signs a token for a well-formed principal only, and only where it is allowed to', async () => {
    const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      fetch(`${web.url}/local/token`, { method: 'POST', headers, body });
    const ok = await post(JSON.stringify({ role: 'citizen', niss: '85073003328' }));
    expect(await ok.json()).toEqual({ token: 'signed' });
    expect(minted).toEqual([{ role: 'citizen', niss: '85073003328' }]);
    const bad = await post(JSON.stringify({ role: 'citizen', niss: '85073003329' }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toContain('NISS');
    expect((await fetch(`${web.url}/local/token`)).status).toBe(405);
    expect((await fetch(`${webNoMint.url}/local/token`, { method: 'POST', body: '{}' })).status).toBe(404);
    // A form or text post (which a page of another site could send without asking) is refused.
    expect((await post(JSON.stringify({ role: 'actiris' }), { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post('{not json')).status).toBe(400);
    expect((await post('x'.repeat(5000))).status).toBe(413);
    // Another host name (DNS rebinding) is refused.
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = request(`${web.url}/local/token`, { method: 'POST', headers: { host: 'evil.example', 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ role: 'actiris' }));
    });
    expect(rebound).toBe(403);
    expect(minted).toHaveLength(1);
    expect((await fetch(`${web.url}/%E0%A4%A`)).status).toBe(400);
  });
});

describe('the pages’ build', () => {
  it('builds small page modules; the deployed build has no sign-in page', async () => {
    const local = await mkdtemp(join(tmpdir(), 'web-local-'));
    const sizes = await buildWeb({ outDir: local });
    expect(Object.keys(sizes).sort()).toEqual(['access-log.js', 'case.js', 'claims.js', 'possibilities.js', 'premium-check.js', 'signin.js']);
    for (const bytes of Object.values(sizes)) expect(bytes).toBeLessThan(40 * 1024);
    const prod = await mkdtemp(join(tmpdir(), 'web-prod-'));
    expect(Object.keys(await buildWeb({ outDir: prod, stage: 'prod' })).sort()).toEqual([
      'access-log.js',
      'case.js',
      'claims.js',
      'possibilities.js',
      'premium-check.js',
    ]);
    expect(existsSync(join(prod, 'index.html'))).toBe(false);
    expect(existsSync(join(local, 'index.html'))).toBe(true);
  });
});
