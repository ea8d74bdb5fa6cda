import { EventEmitter } from 'node:events';
import { request } from 'node:http';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import type { LambdaHandler } from '../../container/handlers.js';
import { startHttpServer, type ContainerHttpServer } from '../../container/http-server.js';
import { fromHttpResult, toHttpEvent } from '../../container/lambda-event.js';
import { routeTable } from '../../container/routes.js';
import { stopOnSignals } from '../../container/runtime.js';
import { type RouteThrottle, routeThrottle } from '../../container/throttle.js';
import type { FunctionKey } from '../../shared/deployment/functions.js';
import type { HttpEvent } from '../../shared/http/http-handler.js';

// The container's HTTP front with fake handlers: the request → event → result conversion, the
// body limit and the graceful stop, over real loopback HTTP.
const baseRequest = {
  method: 'POST',
  url: '/v1/training-leave/claims/c-1/withdrawal?a=1&a=2&b=x%20y',
  headers: { 'Content-Type': 'application/json', cookie: 'k=v; other=w', 'x-many': ['1', '2'], host: '127.0.0.1:3000' },
  body: Buffer.from('{"x":1}'),
  sourceIp: '127.0.0.1',
  requestId: 'req-1',
  receivedAt: Date.UTC(2024, 10, 15),
};

describe('request → API Gateway v2 event', () => {
  it('carries what a function reads: raw path, lower-case headers, query, path parameters, cookies, body, method and source IP', () => {
    const event = toHttpEvent(baseRequest, { functionKey: 'withdrawTrainingLeaveClaim', routeKey: 'POST /x/{claimId}', pathParameters: { claimId: 'c-1' } });
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /x/{claimId}',
      rawPath: '/v1/training-leave/claims/c-1/withdrawal',
      rawQueryString: 'a=1&a=2&b=x%20y',
      queryStringParameters: { a: '1,2', b: 'x y' },
      pathParameters: { claimId: 'c-1' },
      cookies: ['k=v', 'other=w'],
      body: '{"x":1}',
      isBase64Encoded: false,
      requestContext: {
        requestId: 'req-1',
        http: { method: 'POST', sourceIp: '127.0.0.1', path: '/v1/training-leave/claims/c-1/withdrawal' },
        timeEpoch: baseRequest.receivedAt,
      },
    });
    expect(event.headers).toEqual({ 'content-type': 'application/json', 'x-many': '1,2', host: '127.0.0.1:3000' });
  });

  it('omits what the gateway omits: no body, no query, no path parameters', () => {
    const event = toHttpEvent(
      { ...baseRequest, method: 'GET', url: '/v1/health', headers: {}, body: Buffer.alloc(0) },
      { functionKey: 'health', routeKey: 'GET /v1/health' },
    );
    expect(event).not.toHaveProperty('body');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
  });
});

describe('function result → HTTP answer', () => {
  it('writes status, headers, cookies and a base64 body as bytes', () => {
    const out = fromHttpResult({
      statusCode: 201,
      headers: { 'X-A': 'b' },
      cookies: ['s=1'],
      body: Buffer.from([0, 1, 2]).toString('base64'),
      isBase64Encoded: true,
    });
    expect(out.status).toBe(201);
    expect(out.headers).toEqual({ 'x-a': 'b', 'set-cookie': ['s=1'] });
    expect([...out.body]).toEqual([0, 1, 2]);
  });

  it('treats a bare value as a 200 JSON body (payload 2.0)', () => {
    expect(fromHttpResult('{"a":1}' as never)).toMatchObject({ status: 200, headers: { 'content-type': 'application/json' } });
  });
});

const call = (port: number, method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { ...headers, connection: 'close' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });

describe('container HTTP server', () => {
  let server: ContainerHttpServer | undefined;
  afterEach(async () => {
    await server?.stop(1_000);
    server = undefined;
  });

  const serveWith = async (handlers: Partial<Record<FunctionKey, LambdaHandler>>, maxRequestBytes = 1024, throttle?: RouteThrottle) => {
    server = await startHttpServer({
      table: routeTable(),
      ...(throttle ? { throttle } : {}),
      handler: async (key) => handlers[key] ?? (async () => ({ statusCode: 404, body: `{"function":"${key}"}` })),
      maxRequestBytes,
      port: 0,
      host: '127.0.0.1',
    });
    return server;
  };

  it('calls the function of the route with its event and a Lambda context', async () => {
    const seen: { event?: HttpEvent; context?: Context } = {};
    const s = await serveWith({
      getTrainingLeaveClaim: async (event: HttpEvent, context: Context) => {
        Object.assign(seen, { event, context });
        return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
      },
    });
    const answer = await call(s.port, 'GET', '/v1/training-leave/claims/c-9?x=1', undefined, { Authorization: 'Bearer t' });
    expect(answer).toMatchObject({ status: 200, body: '{"ok":true}' });
    expect(seen.event).toMatchObject({ pathParameters: { claimId: 'c-9' }, queryStringParameters: { x: '1' }, headers: { authorization: 'Bearer t' } });
    expect(seen.context!.awsRequestId).toBe(seen.event!.requestContext.requestId);
    expect(seen.context!.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });

  it('throttles a route as the catalogue throttles it at the gateway: past its burst, a 429 problem with Retry-After, without calling the function', async () => {
    let calls = 0;
    const throttle = routeThrottle({ throttles: { 'GET /v1/health': { ratePerSecond: 1, burst: 2 } } });
    const s = await serveWith(
      {
        health: async () => {
          calls++;
          return { statusCode: 200, body: '{}' };
        },
      },
      1024,
      throttle,
    );
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await call(s.port, 'GET', '/v1/health'));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    expect(answers[2]!.headers['content-type']).toBe('application/problem+json');
    expect(answers[2]!.headers['retry-after']).toBe('1');
    expect(JSON.parse(answers[2]!.body)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(calls).toBe(2);
  });

  it('refills a route’s bucket at its rate, never above its burst, each route apart', () => {
    const throttle = routeThrottle({ throttles: { 'GET /a': { ratePerSecond: 2, burst: 2 } } });
    const t0 = 1_000_000;
    expect([throttle.take('GET /a', t0), throttle.take('GET /a', t0), throttle.take('GET /a', t0)].map((r) => r.admitted)).toEqual([true, true, false]);
    // Half a second at 2 per second: one more; ten seconds: still only the burst.
    expect(throttle.take('GET /a', t0 + 500).admitted).toBe(true);
    expect(throttle.take('GET /a', t0 + 500).admitted).toBe(false);
    expect([0, 1, 2].map(() => throttle.take('GET /a', t0 + 10_500).admitted)).toEqual([true, true, false]);
    // Another route has its own bucket (the catalogue's default throttle when it names none).
    expect(throttle.take('GET /b', t0).admitted).toBe(true);
  });

  it('sends an unknown route to the default route function', async () => {
    const s = await serveWith({});
    expect(JSON.parse((await call(s.port, 'PATCH', '/v1/health')).body)).toEqual({ function: 'notFound' });
  });

  it('refuses a body above the limit with a 413 problem, without calling the function', async () => {
    let called = false;
    const s = await serveWith({
      submitTrainingLeaveClaim: async () => {
        called = true;
        return { statusCode: 202, body: '{}' };
      },
    });
    const answer = await call(s.port, 'POST', '/v1/training-leave/claims', 'x'.repeat(2048), { 'content-type': 'application/json' });
    expect(answer.status).toBe(413);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
    expect(called).toBe(false);
  });

  it('on stop, finishes the request in flight and accepts no new connection', async () => {
    let release!: () => void;
    let arrived!: () => void;
    const inFlight = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const s = await serveWith({
      health: async () => {
        arrived();
        await gate;
        return { statusCode: 200, body: '{"status":"up"}' };
      },
    });
    const answer = call(s.port, 'GET', '/v1/health');
    await inFlight;
    let stopped = false;
    const stopping = s.stop(30_000).then(() => {
      stopped = true;
    });
    await expect(call(s.port, 'GET', '/v1/health')).rejects.toThrow(/ECONNREFUSED/);
    expect(stopped).toBe(false);
    release();
    expect(await answer).toMatchObject({ status: 200, body: '{"status":"up"}' });
    await stopping;
    expect(stopped).toBe(true);
    server = undefined;
  });
});

describe('signals', () => {
  it('SIGTERM (or SIGINT) stops the runtime once, then exits 0', async () => {
    const signals = new EventEmitter();
    let stops = 0;
    const exited = new Promise<number>((resolve) => {
      stopOnSignals(
        {
          stop: async () => {
            stops++;
          },
        },
        { on: signals, exit: resolve, log: () => {} },
      );
    });
    signals.emit('SIGTERM');
    signals.emit('SIGINT');
    expect(await exited).toBe(0);
    expect(stops).toBe(1);
  });
});
