import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Edge, gatewayCorsHeaders, startEdge } from '../../local/edge.js';
import { ConfigurationError, parseAllowedOrigins } from '../../shared/config/env.js';
import { eventsOf, FUNCTIONS } from '../../shared/deployment/functions.js';
import { handler as notFound } from '../../functions/edge/not-found.js';
import type { HttpEvent } from '../../shared/http/http-handler.js';
import { eventFile, lambdaContext } from '../support/lambda.js';

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

describe('the local edge (API Gateway’s CORS in front of serverless-offline)', () => {
  it('drops every CORS header of an answer to an origin not admitted, and keeps them for one admitted', () => {
    const reflected = { 'access-control-allow-origin': 'https://foreign.example', 'Access-Control-Allow-Credentials': 'true', vary: 'Origin' };
    expect(gatewayCorsHeaders(reflected, 'https://foreign.example', ['https://www.mycareer.be'])).toEqual({ vary: 'Origin' });
    expect(gatewayCorsHeaders(reflected, 'https://foreign.example', [])).toEqual({ vary: 'Origin' });
    const granted = { 'access-control-allow-origin': 'https://www.mycareer.be' };
    expect(gatewayCorsHeaders(granted, 'https://WWW.mycareer.be', ['https://www.mycareer.be'])).toEqual(granted);
    expect(gatewayCorsHeaders(granted, undefined, [])).toEqual(granted);
  });

  // A stand-in of serverless-offline: it reflects any Origin, as serverless-offline 14 does.
  let upstream: Server;
  let edge: Edge;
  beforeAll(async () => {
    upstream = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json', ...(req.headers.origin ? { 'access-control-allow-origin': req.headers.origin } : {}) });
        res.end(JSON.stringify({ method: req.method, url: req.url, body }));
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
    edge = await startEdge({ target: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, allowedOrigins: ['https://www.mycareer.be'] });
  });
  afterAll(async () => {
    await edge.close();
    await new Promise((resolve) => upstream.close(resolve));
  });

  it('passes method, path, query and body through, and the answer back', async () => {
    const response = await fetch(`${edge.url}/v1/x?a=1`, { method: 'POST', body: 'hello', headers: { origin: 'https://www.mycareer.be' } });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ method: 'POST', url: '/v1/x?a=1', body: 'hello' });
    expect(response.headers.get('access-control-allow-origin')).toBe('https://www.mycareer.be');
  });

  it('lets no reflected origin out', async () => {
    const response = await fetch(`${edge.url}/v1/x`, { headers: { origin: 'https://foreign.example' } });
    expect(response.status).toBe(201);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
