import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../../shared/audit/audit-trail.js';
import { verifyToken } from '../../shared/auth/verify-token.js';
import type { HttpEvent } from '../../shared/http/http-handler.js';
import type { PurposeDeps } from '../../shared/http/purpose-handler.js';
import type { Purpose } from '../../shared/purposes/purpose.js';
import { referenceDirectoryGate } from '../../shared/sources/reference-directory.js';
import { PurposeSources } from '../../shared/sources/purpose-sources.js';
import { createSourceClients } from '../../shared/sources/source-clients.js';
import { loadOrCreateSigningKey, type SigningKey } from '../../local/identity/keys.js';
import { startIdentityProvider, type IdentityProvider } from '../../local/identity/server.js';
import { AUDIENCE, signToken, type Principal } from '../../local/identity/tokens.js';
import { InMemoryAudit } from './fakes.js';

/**
 * In-process harness for the purpose middleware: a real identity provider on loopback
 * (so jose fetches and caches a remote JWKS, as in Lambda), a scripted sources server
 * on loopback, and an audit trail that keeps records in memory.
 */
export interface Harness {
  key: SigningKey;
  idp: IdentityProvider;
  /** The dependencies of the purpose stack for a purpose: real token verification and sources, in-memory audit. */
  deps: (purpose: Purpose) => () => PurposeDeps;
  audits: AuditEntry[];
  /** Answers of the scripted sources server, by path (e.g. `/reference-directory/registrations/…`). */
  sourceAnswers: Map<string, { status: number; body: unknown }>;
  sourceHits: string[];
  failAudit: { value: boolean };
  /** The audit trail in memory (its entries are `audits`), e.g. to make disclosures fail. */
  audit: InMemoryAudit;
  token(principal: Principal, options?: { expiresIn?: string; issuer?: string; audience?: string }): Promise<string>;
  close(): Promise<void>;
}

export const startHarness = async (): Promise<Harness> => {
  const key = await loadOrCreateSigningKey(await mkdtemp(join(tmpdir(), 'idp-')));
  const idp = await startIdentityProvider(key);
  const sourceAnswers = new Map<string, { status: number; body: unknown }>();
  const sourceHits: string[] = [];
  const sourcesServer: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    sourceHits.push(path);
    const answer = sourceAnswers.get(path) ?? { status: 404, body: { error: 'not found' } };
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => sourcesServer.listen(0, '127.0.0.1', resolve));
  const clients = createSourceClients(`http://127.0.0.1:${(sourcesServer.address() as AddressInfo).port}`, { retries: 0 });
  const audit = new InMemoryAudit();
  const audits: AuditEntry[] = audit.entries;
  // Kept as a flag object for the tests that flip it; the fake reads it on each record.
  const failAudit = {
    get value() {
      return audit.failRecords;
    },
    set value(fail: boolean) {
      audit.failRecords = fail;
    },
  };
  const deps = (purpose: Purpose) => () => {
    const sources = new PurposeSources(purpose, clients);
    return {
      verifyToken: (token: string) => verifyToken(token, { keys: idp.jwksUrl, issuer: idp.issuer, audience: AUDIENCE }),
      sources,
      audit,
      clock: () => new Date('2026-11-24T10:00:00Z'),
      gate: referenceDirectoryGate(() => sources),
    };
  };
  return {
    key,
    idp,
    deps,
    audits,
    sourceAnswers,
    sourceHits,
    failAudit,
    audit,
    token: (principal, options = {}) =>
      signToken(key, principal, {
        issuer: options.issuer ?? idp.issuer,
        ...(options.audience ? { audience: options.audience } : {}),
        ...(options.expiresIn ? { expiresIn: options.expiresIn } : {}),
      }),
    close: async () => {
      await idp.close();
      await new Promise<void>((resolve) => sourcesServer.close(() => resolve()));
    },
  };
};

/** An API Gateway HTTP API v2 event, as serverless-offline and API Gateway build it. */
export const httpEvent = ({
  method = 'GET',
  path = '/',
  token,
  headers = {},
  query,
  pathParameters,
  body,
}: {
  method?: string;
  path?: string;
  token?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  pathParameters?: Record<string, string>;
  body?: unknown;
}): HttpEvent =>
  ({
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(query ?? {}).toString(),
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    ...(query ? { queryStringParameters: query } : {}),
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: 'test-request',
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: '24/Nov/2026:10:00:00 +0000',
      timeEpoch: 1795514400000,
    },
    isBase64Encoded: false,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  }) as HttpEvent;
