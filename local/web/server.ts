import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Principal, principalSchema } from '../../shared/auth/principal.js';
import { readPage } from './static.js';

/**
 * The local web server of `npm start`: the built pages as static files, the API on the same
 * origin (`/v1/…` and `/docs…` are passed to serverless-offline, as a CDN in front of a
 * deployment would route them), and `POST /local/token`, which signs a token with the local
 * identity provider's key for the sign-in page. The token endpoint exists here only: no
 * deployed build mints tokens.
 */
export interface WebServer {
  url: string;
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage, limit: number): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new RequestError(413, `the body is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};

class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * `POST /local/token`: a token signed with the local identity provider's key, for the local
 * sign-in page; shared with `npm run serve`, which serves the pages on its own origin.
 */
export const answerTokenRequest = async (req: IncomingMessage, res: ServerResponse, mint: (principal: Principal) => Promise<string>, port: number) => {
  try {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    // Only this origin's pages (a JSON body cannot be sent cross-site without a preflight), and only under its own host name (no DNS rebinding).
    if (![`127.0.0.1:${port}`, `localhost:${port}`].includes(req.headers.host ?? '')) throw new RequestError(403, 'unknown host');
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) throw new RequestError(415, 'expected application/json');
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, 4096)).toString('utf8') || 'null');
    } catch (error) {
      if (error instanceof RequestError) throw error;
      throw new RequestError(400, 'the body is not JSON');
    }
    const parsed = principalSchema.safeParse(body);
    if (!parsed.success) {
      res.writeHead(400, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ title: 'Bad request', status: 400, detail: parsed.error.issues.map((i) => i.message).join('; ') }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ token: await mint(parsed.data) }));
    return;
  } catch (error) {
    const status = error instanceof RequestError ? error.status : 500;
    if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`web server: ${(error as Error).message}`);
  }
};

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-encoding', 'content-length', 'host', 'upgrade']);

export const startWebServer = async ({
  root,
  apiUrl,
  mint,
  port = 0,
  host = '127.0.0.1',
}: {
  root: string;
  apiUrl: string;
  /** Signs a token for the sign-in page; absent: no token endpoint. */
  mint?: (principal: Principal) => Promise<string>;
  port?: number;
  host?: string;
}): Promise<WebServer> => {
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://web');
    const path = url.pathname;
    try {
      if (path.startsWith('/v1/') || path === '/docs' || path.startsWith('/docs/')) {
        const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req, 1024 * 1024);
        const headers = Object.fromEntries(Object.entries(req.headers).flatMap(([k, v]) => (HOP_BY_HOP.has(k) || v === undefined ? [] : [[k, String(v)]])));
        const answer = await fetch(`${apiUrl}${path}${url.search}`, {
          method: req.method ?? 'GET',
          headers,
          ...(body ? { body } : {}),
          signal: AbortSignal.timeout(30_000),
        });
        const out = Buffer.from(await answer.arrayBuffer());
        res.writeHead(answer.status, {
          ...Object.fromEntries([...answer.headers.entries()].filter(([k]) => !HOP_BY_HOP.has(k))),
          'content-length': String(out.length),
        });
        res.end(out);
        return;
      }
      if (path === '/local/token' && mint) {
        await answerTokenRequest(req, res, mint, (server.address() as AddressInfo).port);
        return;
      }
      const page = await readPage(root, path);
      res.writeHead(page.status, page.headers);
      res.end(page.body);
    } catch (error) {
      // A bad request is the caller's; anything else is the API behind not answering.
      const status = error instanceof RequestError ? error.status : 502;
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`web server: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
