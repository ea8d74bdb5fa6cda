import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError, parseAllowedOrigins } from '../../shared/config/env.js';
import { eventsOf, FUNCTIONS } from '../../shared/deployment/functions.js';
import { handler as notFound } from '../../functions/edge/not-found.js';
import type { HttpEvent } from '../../shared/http/http-handler.js';
import { eventFile, lambdaContext } from '../support/lambda.js';

const { admits, allowedOriginsOf, gatewayCors } = createRequire(import.meta.url)('../../serverless/local-api.cjs') as {
  admits: (allowedOrigins: readonly string[], origin: string) => boolean;
  allowedOriginsOf: (cors: unknown) => string[];
  gatewayCors: (allowedOrigins: readonly string[]) => (request: IncomingMessage, response: ServerResponse) => void;
};

// The edge of the service: which origins may call it from a browser, and what answers a
// route it does not have.
describe('ALLOWED_ORIGINS', () => {
  it('is a list of bare origins, none by default', () => {
    expect(parseAllowedOrigins('')).toEqual([]);
    expect(parseAllowedOrigins(' https://www.mycareer.be , http://127.0.0.1:3100 ')).toEqual(['https://www.mycareer.be', 'http://127.0.0.1:3100']);
  });

  it.each(['*', 'https://*.example', 'https://a.example/path', 'a.example', 'ftp://a.example'])('refuses %j', (value) => {
    expect(() => parseAllowedOrigins(value)).toThrow(ConfigurationError);
  });
});

describe('the default route', () => {
  it('is served by the notFound function, which needs no grant', () => {
    expect(eventsOf(FUNCTIONS.notFound)).toEqual([{ httpApi: '*' }]);
    expect(FUNCTIONS.notFound.grants).toEqual({});
  });

  it('answers 404 NOT_FOUND in problem+json, with the security headers', async () => {
    const context = lambdaContext();
    const response = await notFound(await eventFile<HttpEvent>('not-found.json'), context);
    expect(response.statusCode).toBe(404);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(response.headers?.['x-content-type-options'] ?? response.headers?.['X-Content-Type-Options']).toBe('nosniff');
    expect(JSON.parse(response.body!)).toMatchObject({ status: 404, code: 'NOT_FOUND', title: 'Not found', instance: `urn:request:${context.awsRequestId}` });
  });

  it('grants CORS to no foreign origin', async () => {
    const event = await eventFile<HttpEvent>('not-found.json');
    const response = await notFound({ ...event, headers: { ...event.headers, origin: 'https://foreign.example' } }, lambdaContext());
    expect(Object.keys(response.headers ?? {}).filter((h) => /^access-control-/i.test(h))).toEqual([]);
  });
});

describe('the local gateway’s CORS (serverless/local-api.cjs, on serverless-offline’s own server)', () => {
  it('admits the listed origins in any case, or any origin with a * list', () => {
    expect(admits(['https://www.mycareer.be'], 'https://WWW.mycareer.be')).toBe(true);
    expect(admits(['https://www.mycareer.be'], 'https://foreign.example')).toBe(false);
    expect(admits([], 'https://foreign.example')).toBe(false);
    expect(admits(['*'], 'https://foreign.example')).toBe(true);
    expect(allowedOriginsOf(false)).toEqual([]);
    expect(allowedOriginsOf(undefined)).toEqual([]);
    expect(allowedOriginsOf(true)).toEqual(['*']);
    expect(allowedOriginsOf({ allowedOrigins: ['https://www.mycareer.be'] })).toEqual(['https://www.mycareer.be']);
  });

  // A stand-in of serverless-offline: it reflects any Origin, as serverless-offline 14 does,
  // in each of the ways an answer's head can be written.
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const origin = req.headers.origin;
        const answer = JSON.stringify({ method: req.method, url: req.url, body });
        if (req.url === '/set-header') {
          // As hapi writes its answers: setHeader, then writeHead(status).
          if (origin) res.setHeader('Access-Control-Allow-Origin', origin);
          res.setHeader('access-control-allow-credentials', 'true');
          res.setHeader('content-type', 'application/json');
          res.writeHead(201);
          res.end(answer);
        } else if (req.url === '/implicit') {
          if (origin) res.setHeader('access-control-allow-origin', origin);
          res.statusCode = 202;
          res.end(answer);
        } else if (req.url === '/raw-list') {
          res.writeHead(201, ['content-type', 'application/json', 'access-control-allow-origin', origin ?? '']);
          res.end(answer);
        } else {
          res.writeHead(201, { 'content-type': 'application/json', ...(origin ? { 'access-control-allow-origin': origin } : {}) });
          res.end(answer);
        }
      });
    });
    // Listened before the server's own handler, as the plugin does on serverless-offline's hapi server.
    server.prependListener('request', gatewayCors(['https://www.mycareer.be']));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const corsHeaders = (response: Response) => [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));

  it('leaves the answer to an admitted origin, and to a request without one, as it was written', async () => {
    const response = await fetch(`${url}/v1/x?a=1`, { method: 'POST', body: 'hello', headers: { origin: 'https://www.mycareer.be' } });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ method: 'POST', url: '/v1/x?a=1', body: 'hello' });
    expect(response.headers.get('access-control-allow-origin')).toBe('https://www.mycareer.be');
    const credentials = await fetch(`${url}/set-header`, { headers: { origin: 'https://WWW.mycareer.be' } });
    expect(corsHeaders(credentials).sort()).toEqual(['access-control-allow-credentials', 'access-control-allow-origin']);
    expect(corsHeaders(await fetch(`${url}/set-header`))).toEqual(['access-control-allow-credentials']);
  });

  it.each(['/v1/x', '/set-header', '/implicit', '/raw-list'])('lets no CORS header out to a foreign origin (%s)', async (path) => {
    const response = await fetch(`${url}${path}`, { headers: { origin: 'https://foreign.example' } });
    expect(response.status).toBeGreaterThanOrEqual(201);
    expect(corsHeaders(response)).toEqual([]);
    expect(response.headers.get('content-type')).toBe(path === '/implicit' ? null : 'application/json');
    expect(await response.json()).toMatchObject({ method: 'GET', url: path });
  });
});
