import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readPage } from '../local/web/static.js';
import { FUNCTIONS, type FunctionDeclaration, type FunctionKey, rateLimitPolicyOf } from '../shared/deployment/functions.js';
import { acceptLanguageOf, problemLanguage, problemResponse } from '../shared/http/problem.js';
import { problems } from '../shared/http/problems.js';
import { logger } from '../shared/observability/logger.js';
import type { LambdaHandler } from './handlers.js';
import { fromHttpResult, lambdaContext, toHttpEvent, writeResult } from './lambda-event.js';
import { matchRoute, type RouteTable } from './routes.js';
import type { RouteThrottle } from './throttle.js';

/**
 * The container's HTTP front: every route of the catalogue, each request turned into the
 * event API Gateway would send and handed to that function's own Lambda handler (its whole
 * middleware stack, its problem answers), the result written back. The pages are served on
 * the same origin, as the local web server serves them. A stop lets the requests in flight
 * finish and refuses new connections.
 */
export interface HttpServerOptions {
  table: RouteTable;
  handler: (key: FunctionKey) => Promise<LambdaHandler>;
  maxRequestBytes: number;
  /** The built pages; none: only the API. */
  webDir?: string;
  /** The routes' throttles (the catalogue's); none: every request admitted. */
  throttle?: RouteThrottle;
  /** Extra local-only routes (the local sign-in's token endpoint), by path. */
  extraRoutes?: Record<string, (req: IncomingMessage, res: ServerResponse, port: number) => Promise<void>>;
  port: number;
  host: string;
}

export interface ContainerHttpServer {
  url: string;
  port: number;
  /** Stops accepting; resolves once every request in flight has been answered (or `timeoutMs` passed: then they are cut). */
  stop(timeoutMs: number): Promise<void>;
}

/** Lambda's default when a function declares none. */
const DEFAULT_TIMEOUT_SECONDS = 6;

class BodyTooLargeError extends Error {}

/** The body, refused as soon as it passes the limit (before it is read at all when Content-Length says so). */
const readBody = async (req: IncomingMessage, limit: number): Promise<Buffer> => {
  if (Number(req.headers['content-length'] ?? 0) > limit) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};

/** The languages of the binding a function serves, when it declares any. */
const routeLanguages = (key: FunctionKey): readonly string[] | undefined => {
  const binding = (FUNCTIONS[key] as FunctionDeclaration).binding;
  return binding && 'languages' in binding ? (binding.languages as readonly string[] | undefined) : undefined;
};

const isApiPath = (path: string) => path.startsWith('/v1/') || path === '/v1' || path === '/docs' || path.startsWith('/docs/');

export const startHttpServer = async (options: HttpServerOptions): Promise<ContainerHttpServer> => {
  let stopping = false;
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    // While stopping, answers close their connection: keep-alive clients reconnect elsewhere.
    if (stopping) res.setHeader('connection', 'close');
    const url = new URL(req.url ?? '/', 'http://container');
    const method = req.method ?? 'GET';
    const extra = options.extraRoutes?.[url.pathname];
    if (extra) return extra(req, res, port);
    if (options.webDir && !isApiPath(url.pathname) && (method === 'GET' || method === 'HEAD')) {
      const page = await readPage(options.webDir, url.pathname);
      // A path that is no page goes to the route table: its default route answers the 404, in problem+json.
      if (page.status === 200) {
        res.writeHead(page.status, page.headers);
        res.end(method === 'HEAD' ? undefined : page.body);
        return;
      }
    }
    const route = matchRoute(options.table, method, url.pathname);
    // The container's own problems are said as the route's would be: Accept-Language, else the route's default language, else English.
    const language = problemLanguage(acceptLanguageOf(req.headers as Record<string, string | undefined>), routeLanguages(route.functionKey)?.[0]);
    let body: Buffer;
    try {
      body = await readBody(req, options.maxRequestBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      res.setHeader('connection', 'close');
      writeResult(res, fromHttpResult(problemResponse(problems.payloadTooLarge(options.maxRequestBytes), requestId, language)));
      return;
    }
    // The route's throttle, as API Gateway applies it in front of the Lambda functions.
    const taken = options.throttle?.take(route.routeKey);
    if (taken && !taken.admitted) {
      writeResult(res, fromHttpResult(problemResponse(problems.rateLimited(taken.retryAfterSeconds), requestId, language)));
      return;
    }
    const fn = FUNCTIONS[route.functionKey];
    const received = Date.now();
    const event = toHttpEvent(
      { method, url: req.url ?? '/', headers: req.headers, body, sourceIp: req.socket.remoteAddress ?? '', requestId, receivedAt: received },
      route,
    );
    const timeout = ('timeout' in fn ? fn.timeout : undefined) ?? DEFAULT_TIMEOUT_SECONDS;
    const handler = await options.handler(route.functionKey);
    const result = (await handler(event, lambdaContext(route.functionKey, requestId, received + timeout * 1000))) as Parameters<typeof fromHttpResult>[0];
    // The route's policy, which each Lambda function is told in its environment (one process serves them all here).
    const policy = rateLimitPolicyOf(route.functionKey, fn as FunctionDeclaration);
    const answer = fromHttpResult(result);
    if (policy && !answer.headers['ratelimit-policy']) answer.headers['ratelimit-policy'] = policy;
    writeResult(res, answer);
  };

  const server: Server = createServer((req, res) => {
    serve(req, res).catch((error: Error) => {
      // The functions answer their own errors; this is the container failing around them.
      logger.error('request failed in the container', { errorName: error.name, errorMessage: error.message });
      if (!res.headersSent)
        writeResult(
          res,
          fromHttpResult(problemResponse(problems.internal(), undefined, problemLanguage(acceptLanguageOf(req.headers as Record<string, string | undefined>)))),
        );
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`,
    port,
    stop: (timeoutMs) =>
      new Promise<void>((resolve) => {
        stopping = true;
        // close() stops accepting and ends idle keep-alive connections; active ones end after their answer.
        const cut = setTimeout(() => server.closeAllConnections(), timeoutMs);
        cut.unref();
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
};
