import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSourceClient } from '../../shared/sources/http-source.js';

// A scripted loopback server: each request takes the next planned answer.
let server: Server;
let url: string;
let plan: (number | 'drop')[] = [];
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    const next = plan.shift() ?? 200;
    if (next === 'drop') return req.socket.destroy();
    res.writeHead(next, { 'content-type': 'application/json', ...(next === 503 ? { 'retry-after': '7' } : {}) });
    res.end(JSON.stringify({ ok: next }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = (retries = 1) => new HttpSourceClient({ name: 'test', baseUrl: url, retries, retryDelayMs: 1 });
const run = async (answers: (number | 'drop')[], retries = 1) => {
  plan = answers;
  hits = 0;
  const result = await client(retries)
    .getJson('/x')
    .catch((e: unknown) => e);
  return { result, hits };
};

describe('HttpSourceClient retries', () => {
  it('retries once after a dropped connection, then succeeds', async () => {
    const { result, hits } = await run(['drop', 200]);
    expect(result).toEqual({ status: 200, body: { ok: 200 } });
    expect(hits).toBe(2);
  });

  it('retries a 503 and gives up with the source Retry-After', async () => {
    const { result, hits } = await run([503, 503, 200]);
    expect(result).toMatchObject({ name: 'SourceUnavailableError', reason: 'status', retryAfterSeconds: 7 });
    expect(hits).toBe(2);
  });

  it('does not retry a client error', async () => {
    const { result, hits } = await run([400, 200]);
    expect(result).toMatchObject({ name: 'SourceContractError' });
    expect(hits).toBe(1);
  });

  it('returns 404 as an answer, not an error', async () => {
    const { result } = await run([404]);
    expect(result).toEqual({ status: 404, body: undefined });
  });
});
