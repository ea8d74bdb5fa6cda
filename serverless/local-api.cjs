'use strict';
/**
 * A local plugin for the local API (`osls offline`, which local/offline.ts starts), in three parts:
 * - serverless-offline's in-process runner replaced by serverless/in-process-runner.cjs
 *   (handlers loaded once, each invocation with its own function's environment), through a
 *   module resolution hook: serverless-offline imports its runner when the first function
 *   runs, and gets ours;
 * - API Gateway's CORS on the HTTP API's own answers, in its process. serverless-offline 14
 *   writes `Access-Control-Allow-Origin: <the request's Origin>` (and, with no CORS policy,
 *   `Access-Control-Allow-Credentials: true`) on every answer to a request that names an
 *   origin, whatever the configured origins (its `onPreResponse` hook, which no option turns
 *   off; hapi's route CORS adds its own later); only its preflight answers honour them. Here
 *   an answer to a request from an origin the gateway does not admit leaves with no
 *   `Access-Control-*` header at all, as from API Gateway: they are taken off as the answer's
 *   head is written, whoever set them. This was a proxy in front of serverless-offline (an
 *   extra loopback hop for every request, measured in BENCHMARKS.md);
 * - the functions' timeouts enforced by that runner, with a timer that goes with the answer.
 * Only `osls offline`: no other command loads either.
 */
const { createRequire, registerHooks } = require('node:module');
const { dirname, join } = require('node:path');
const { pathToFileURL } = require('node:url');

const CORS_HEADER = /^access-control-/i;

/** The origins the gateway admits (provider.httpApi.cors): `true` is the Framework's any-origin policy; none without CORS. */
const allowedOriginsOf = (cors) => {
  if (cors === true) return ['*'];
  return Array.isArray(cors?.allowedOrigins) ? cors.allowedOrigins.map(String) : [];
};

/** Whether the gateway admits `origin`: listed (any case), or a `*` list (serverless.yml refuses one; kept for fidelity). */
const admits = (allowedOrigins, origin) => allowedOrigins.includes('*') || allowedOrigins.some((allowed) => allowed.toLowerCase() === origin.toLowerCase());

/** writeHead's headers argument (an object, a flat [name, value, …] list or [[name, value], …]) without the CORS headers. */
const withoutCors = (headers) => {
  if (headers === null || typeof headers !== 'object') return headers;
  if (!Array.isArray(headers)) return Object.fromEntries(Object.entries(headers).filter(([name]) => !CORS_HEADER.test(name)));
  if (headers.length > 0 && Array.isArray(headers[0])) return headers.filter(([name]) => !CORS_HEADER.test(String(name)));
  const kept = [];
  for (let i = 0; i < headers.length; i += 2) if (!CORS_HEADER.test(String(headers[i]))) kept.push(headers[i], headers[i + 1]);
  return kept;
};

/**
 * A `request` listener for a node:http server, listened before the server's own: an answer to
 * a request whose Origin the gateway does not admit leaves without any `Access-Control-*`
 * header, however it was written (setHeader, writeHead's headers, an implicit head).
 */
const gatewayCors = (allowedOrigins) => (request, response) => {
  const origin = request.headers.origin;
  if (origin === undefined || admits(allowedOrigins, origin)) return;
  const writeHead = response.writeHead;
  response.writeHead = function (statusCode, ...rest) {
    for (const name of this.getHeaderNames()) if (CORS_HEADER.test(name)) this.removeHeader(name);
    return writeHead.call(this, statusCode, ...rest.map(withoutCors));
  };
};

const offlineSource = () => dirname(require.resolve('serverless-offline'));

let runnerReplaced = false;
const replaceInProcessRunner = () => {
  if (runnerReplaced) return;
  runnerReplaced = true;
  const theirs = pathToFileURL(join(offlineSource(), 'lambda/handler-runner/in-process-runner/index.js')).href;
  const ours = pathToFileURL(join(__dirname, 'in-process-runner.cjs')).href;
  registerHooks({
    resolve: (specifier, context, nextResolve) => {
      const resolved = nextResolve(specifier, context);
      return resolved.url === theirs ? { url: ours, format: 'commonjs', shortCircuit: true } : resolved;
    },
  });
};

let corsApplied = false;
/** The filter on the hapi server that listens on `httpPort` (serverless-offline's HTTP API, not its Lambda endpoint). */
const applyGatewayCors = (httpPort, allowedOrigins) => {
  if (corsApplied) return;
  corsApplied = true;
  // The hapi that serverless-offline uses; its servers share one prototype.
  const { Server } = createRequire(join(offlineSource(), 'index.js'))('@hapi/hapi');
  const prototype = Object.getPrototypeOf(Server());
  const start = prototype.start;
  const filter = gatewayCors(allowedOrigins);
  prototype.start = function (...args) {
    if (Number(this.settings.port) === Number(httpPort)) this.listener.prependListener('request', filter);
    return start.apply(this, args);
  };
};

/**
 * With the handlers in process, their timeouts are enforced by our runner (a timer cleared with
 * the answer), not by serverless-offline's (never cleared): unless timeouts were turned off.
 */
const moveTimeoutsToRunner = (offline, options) => {
  if (!(options?.useInProcess ?? offline.useInProcess)) return;
  require('./in-process-runner.cjs').settings.timeouts = !(options?.noTimeout ?? offline.noTimeout);
  offline.noTimeout = true;
};

class LocalApi {
  constructor(serverless, options) {
    const install = () => {
      replaceInProcessRunner();
      serverless.service.custom ??= {};
      serverless.service.custom['serverless-offline'] ??= {};
      const offline = serverless.service.custom['serverless-offline'];
      moveTimeoutsToRunner(offline, options);
      applyGatewayCors(options?.httpPort ?? offline.httpPort ?? 3000, allowedOriginsOf(serverless.service.provider?.httpApi?.cors));
    };
    this.hooks = { 'before:offline:start': install, 'before:offline:start:init': install };
  }
}

module.exports = LocalApi;
module.exports.gatewayCors = gatewayCors;
module.exports.admits = admits;
module.exports.allowedOriginsOf = allowedOriginsOf;
