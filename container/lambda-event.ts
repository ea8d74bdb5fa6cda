import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Context } from 'aws-lambda';
import type { HttpEvent, HttpResult } from '../shared/http/http-handler.js';
import type { RouteMatch } from './routes.js';

/**
 * A request as API Gateway's HTTP API (payload 2.0) hands it to a function, and a
 * function's result written back as the gateway writes it: the container calls the same
 * Lambda handlers, so they cannot tell one runtime from the other.
 */
export interface IncomingRequest {
  method: string;
  /** Path and query, as on the request line. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  sourceIp: string;
  requestId: string;
  /** When the request arrived (ms since the epoch). */
  receivedAt: number;
}

/** Header values as the gateway passes them: lower-case names, repeated values joined by commas. */
const headerValues = (headers: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) =>
      value === undefined || name === 'cookie' ? [] : [[name.toLowerCase(), Array.isArray(value) ? value.join(',') : value]],
    ),
  );

/** Repeated query parameters joined by commas, as the gateway does. */
const queryParameters = (search: URLSearchParams): Record<string, string> | undefined => {
  const out: Record<string, string> = {};
  for (const [name, value] of search) out[name] = name in out ? `${out[name]},${value}` : value;
  return Object.keys(out).length > 0 ? out : undefined;
};

const cookiesOf = (headers: IncomingHttpHeaders): string[] | undefined => {
  const cookie = headers.cookie;
  if (!cookie) return undefined;
  return cookie
    .split(';')
    .map((c) => c.trim())
    .filter(Boolean);
};

export const toHttpEvent = (req: IncomingRequest, route: RouteMatch): HttpEvent => {
  const url = new URL(req.url, 'http://container');
  const headers = headerValues(req.headers);
  const cookies = cookiesOf(req.headers);
  const query = queryParameters(url.searchParams);
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(cookies ? { cookies } : {}),
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    ...(route.pathParameters ? { pathParameters: route.pathParameters } : {}),
    requestContext: {
      accountId: 'container',
      apiId: 'container',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0]!,
      http: { method: req.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: req.requestId,
      routeKey: route.routeKey,
      stage: '$default',
      time: new Date(req.receivedAt).toISOString(),
      timeEpoch: req.receivedAt,
    },
    // Text bodies as the gateway passes them; the functions take JSON only.
    ...(req.body.length > 0 ? { body: req.body.toString('utf8') } : {}),
    isBase64Encoded: false,
  };
};

/** The Lambda context a handler reads: its request id and the time it has left (the function's declared timeout). */
export const lambdaContext = (functionName: string, requestId: string, deadline: number): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:container:function:${functionName}`,
  memoryLimitInMB: '0',
  awsRequestId: requestId,
  logGroupName: 'container',
  logStreamName: functionName,
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  done: () => {},
  fail: () => {},
  succeed: () => {},
});

/** What a function answered, as status, headers and body bytes (payload 2.0: a bare value is a 200 JSON body). */
export const fromHttpResult = (result: HttpResult | string | undefined): { status: number; headers: Record<string, string | string[]>; body: Buffer } => {
  if (result === undefined || typeof result === 'string' || typeof result.statusCode !== 'number') {
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(typeof result === 'string' ? result : JSON.stringify(result ?? null)),
    };
  }
  const headers: Record<string, string | string[]> = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  if (result.cookies && result.cookies.length > 0) headers['set-cookie'] = result.cookies;
  const raw = result.body ?? '';
  return { status: result.statusCode, headers, body: result.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8') };
};

export const writeResult = (res: ServerResponse, result: ReturnType<typeof fromHttpResult>): void => {
  res.writeHead(result.status, { ...result.headers, 'content-length': String(result.body.length) });
  res.end(result.body);
};
