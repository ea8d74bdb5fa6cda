'use strict';
/**
 * serverless.yml's view of shared/deployment/functions.ts, the one place where a function's
 * handler, trigger (route, queue or schedule) and grants are written:
 *
 *   functions: ${file(./serverless/catalogue.cjs):functions}
 *   provider.httpApi.cors: ${file(./serverless/catalogue.cjs):cors}
 *   resources:
 *     - Resources: ${file(./serverless/catalogue.cjs):roles}
 *     - extensions: ${file(./serverless/catalogue.cjs):extensions}
 *
 * osls require()s this file and calls the exported function once per `${file(...)}`
 * reference, with `{ options, resolveVariable, resolveConfigurationProperty }`. The catalogue
 * is TypeScript with ESM imports, so it is bundled here with esbuild (to CommonJS, in
 * memory) and evaluated in-process; the result is cached for the rest of the command.
 */
const Module = require('node:module');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'shared', 'deployment', 'functions.ts');

const LAMBDA_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

let catalogue;
/** `{ FUNCTIONS, DEFAULT_THROTTLE, grantsOf, eventsOf, routeThrottles, rateLimitPolicyOf, gatewayAllowedOrigins }` of shared/deployment/functions.ts. */
const loadCatalogue = () => {
  if (catalogue) return catalogue;
  const { buildSync } = require('esbuild');
  let result;
  try {
    result = buildSync({
      entryPoints: [entry],
      absWorkingDir: root,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node24',
      // Dependencies (zod) are require()d from node_modules, as by any module of the project.
      packages: 'external',
      write: false,
      logLevel: 'silent',
    });
  } catch (error) {
    const details = (error.errors ?? []).map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`);
    throw new Error(`Cannot bundle ${path.relative(root, entry)}${details.length ? `:\n${details.join('\n')}` : `: ${error.message}`}`);
  }
  // A virtual module next to the entry (nothing is written): its require() resolves from the
  // project's node_modules.
  const filename = path.join(path.dirname(entry), 'functions.bundle.cjs');
  const bundled = new Module(filename, module);
  bundled.filename = filename;
  bundled.paths = Module._nodeModulePaths(path.dirname(filename));
  bundled._compile(result.outputFiles[0].text, filename);
  const { FUNCTIONS, grantsOf, eventsOf, routeThrottles, rateLimitPolicyOf, gatewayAllowedOrigins, DEFAULT_THROTTLE, GRANT_CONDITIONS } = bundled.exports;
  const named = { grantsOf, eventsOf, routeThrottles, rateLimitPolicyOf, gatewayAllowedOrigins };
  if (!FUNCTIONS || !DEFAULT_THROTTLE || Object.values(named).some((f) => typeof f !== 'function')) {
    throw new Error(`${path.relative(root, entry)} must export FUNCTIONS, DEFAULT_THROTTLE, ${Object.keys(named).join(', ')}`);
  }
  catalogue = { FUNCTIONS, DEFAULT_THROTTLE, GRANT_CONDITIONS: GRANT_CONDITIONS ?? {}, ...named };
  return catalogue;
};

/** `careerBreakPossibilities` -> `CareerBreakPossibilitiesRole`. */
const roleIdOf = (key) => `${key[0].toUpperCase()}${key.slice(1)}Role`;

const LOGICAL_ID = /^[A-Za-z0-9]+$/;

/**
 * A grant's resource: `Table` -> its ARN; `Table/index/Name` -> the ARN of that index. A
 * secret's ARN is its Ref (AWS::SecretsManager::Secret has no Arn attribute).
 */
const arnOf = (grantKey, where, actions = []) => {
  const [logicalId, ...rest] = grantKey.split('/');
  if (!LOGICAL_ID.test(logicalId) || rest.some((part) => !part || part.includes('*'))) {
    throw new Error(`${where}: "${grantKey}" is not a logical id (or "<Table>/index/<Name>")`);
  }
  if (actions.length && actions.every((a) => a.startsWith('secretsmanager:'))) {
    if (rest.length) throw new Error(`${where}: a secret has no sub-resource ("${grantKey}")`);
    return { Ref: logicalId };
  }
  const arn = { 'Fn::GetAtt': [logicalId, 'Arn'] };
  return rest.length ? { 'Fn::Join': ['/', [arn, ...rest]] } : arn;
};

const byCodePoint = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** The function's own log group, then one statement per granted resource (sorted), nothing else. */
const statementsOf = (key, fn, functionName, grantsOf, conditions) => {
  const where = `shared/deployment/functions.ts: ${key}.grants`;
  const statements = [
    {
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${functionName}:*` },
    },
  ];
  const grants = grantsOf(fn);
  for (const resource of Object.keys(grants).sort(byCodePoint)) {
    const actions = [...new Set(grants[resource])].sort(byCodePoint);
    if (!actions.length) throw new Error(`${where}: no action on ${resource}`);
    // One service, one action: no wildcard ever reaches a policy.
    for (const action of actions) if (!/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(action)) throw new Error(`${where}: "${action}" is not a single action`);
    const condition = conditions[resource];
    statements.push({ Effect: 'Allow', Action: actions, Resource: arnOf(resource, where, actions), ...(condition ? { Condition: condition } : {}) });
  }
  return statements;
};

/**
 * The logical id osls gives a route (`GET /v1/claims/{id}` -> `HttpApiRouteGetV1ClaimsIdVar`),
 * as its naming.getHttpApiRouteLogicalId does; the packaging test checks each one exists.
 */
const routeLogicalIdOf = (routeKey) =>
  `HttpApiRoute${routeKey
    .split('/')
    .map((part) => {
      const normalized = part
        .toLowerCase()
        .replace(/-/g, 'Dash')
        .replace(/\{(.*)\}/g, '$1Var')
        .replace(/[^0-9A-Za-z]/g, '');
      return normalized.charAt(0).toUpperCase() + normalized.slice(1);
    })
    .join('')}`;

const throttling = (throttle) => ({ ThrottlingBurstLimit: throttle.burst, ThrottlingRateLimit: throttle.ratePerSecond });

/**
 * The HTTP API stage's throttles (osls has no per-route throttle for HTTP APIs): the default,
 * and each route's from the catalogue. The stage waits for the routes, which CloudFormation
 * must create before a stage can name them in RouteSettings.
 */
const stageExtension = (routeThrottles, defaultThrottle) => {
  const throttles = routeThrottles();
  return {
    HttpApiStage: {
      Properties: {
        DefaultRouteSettings: { DetailedMetricsEnabled: false, ...throttling(defaultThrottle) },
        RouteSettings: Object.fromEntries(Object.entries(throttles).map(([routeKey, throttle]) => [routeKey, throttling(throttle)])),
      },
      DependsOn: Object.keys(throttles).map(routeLogicalIdOf),
    },
  };
};

module.exports = async ({ resolveVariable }) => {
  const { FUNCTIONS, grantsOf, eventsOf, routeThrottles, rateLimitPolicyOf, gatewayAllowedOrigins, DEFAULT_THROTTLE, GRANT_CONDITIONS } = loadCatalogue();
  // The names osls gives the functions (`<service>-<stage>-<key>`), so that each role writes
  // only to its own log group. `sls:stage` is `--stage`/`-s`, else `provider.stage`, else `dev`:
  // the stage osls names the functions with.
  const service = await resolveVariable('self:service');
  const stage = await resolveVariable('sls:stage');

  const functions = {};
  const roles = {};
  for (const [key, fn] of Object.entries(FUNCTIONS)) {
    const roleId = roleIdOf(key);
    const policy = rateLimitPolicyOf(key, fn);
    functions[key] = {
      handler: fn.handler,
      role: roleId,
      ...(fn.timeout !== undefined ? { timeout: fn.timeout } : {}),
      // The route's throttle, which its answers state (shared/http/http-handler.ts).
      ...(policy ? { environment: { RATE_LIMIT_POLICY: policy } } : {}),
      events: eventsOf(fn),
    };
    roles[roleId] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: LAMBDA_TRUST,
        Policies: [
          {
            PolicyName: key,
            PolicyDocument: { Version: '2012-10-17', Statement: statementsOf(key, fn, `${service}-${stage}-${key}`, grantsOf, GRANT_CONDITIONS) },
          },
        ],
      },
    };
  }
  // The gateway's CORS origins, from the same parameter as the functions' ALLOWED_ORIGINS:
  // a list here, a comma-separated string there. `param:` resolves '' to nothing: empty list.
  const allowedOrigins = gatewayAllowedOrigins(String((await resolveVariable('param:allowedOrigins')) ?? ''));
  // No origin named: no CORS policy at all (an empty list is refused by serverless-offline).
  const cors =
    allowedOrigins.length === 0
      ? false
      : { allowedOrigins, allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Accept-Language'], allowedMethods: ['GET', 'POST'] };
  return { functions, roles, cors, extensions: stageExtension(routeThrottles, DEFAULT_THROTTLE) };
};
