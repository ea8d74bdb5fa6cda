import { Agent, createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The local cloud's front on PORT, in front of serverless-offline: it does what API Gateway
 * does with `provider.httpApi.cors` and serverless-offline does not. serverless-offline 14
 * writes `Access-Control-Allow-Origin: <the request's Origin>` on every answer to a request
 * that names an origin, whatever the configured origins (its `onPreResponse` hook, which no
 * option turns off); only its preflight answers honour them. Here an answer to a request from
 * an origin the gateway does not admit leaves with no `Access-Control-*` header at all, as
 * from API Gateway. Everything else passes through untouched, streamed both ways.
 */
export interface Edge {
  url: string;
  close(): Promise<void>;
}

const CORS_HEADER = /^access-control-/i;

/** Whether the gateway admits `origin`: listed, or a `*` list (serverless.yml refuses one; kept for fidelity). */
export const admits = (allowedOrigins: readonly string[], origin: string): boolean =>
  allowedOrigins.includes('*') || allowedOrigins.map((o) => o.toLowerCase()).includes(origin.toLowerCase());

/** The answer's headers as API Gateway would let them out for a request from `origin`. */
export const gatewayCorsHeaders = (headers: IncomingHttpHeaders, origin: string | undefined, allowedOrigins: readonly string[]): IncomingHttpHeaders => {
  if (origin === undefined || admits(allowedOrigins, origin)) return headers;
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !CORS_HEADER.test(name)));
};

export const startEdge = async ({
  target,
  allowedOrigins,
  port = 0,
  host = '127.0.0.1',
}: {
  /** serverless-offline's own URL. */
  target: string;
  allowedOrigins: readonly string[];
  port?: number;
  host?: string;
}): Promise<Edge> => {
  const upstream = new URL(target);
  // Kept-alive connections: one loopback hop should not cost a TCP handshake per request.
  const agent = new Agent({ keepAlive: true });
  const server: Server = createServer((req, res) => {
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, gatewayCorsHeaders(answer.headers, req.headers.origin, allowedOrigins));
      answer.pipe(res);
    });
    forward.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`edge: the API behind did not answer (${error.message})`);
    });
    req.pipe(forward);
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
        agent.destroy();
        server.close(() => resolve());
      }),
  };
};
