import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdir, mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { oslsBin, projectRoot } from '../../local/service-definition.js';
import { composeServices, requiredLocalStackServices } from '../../localstack/services.js';
import {
  DEFAULT_THROTTLE,
  eventsOf,
  FUNCTIONS,
  type FunctionDeclaration,
  GRANT_CONDITIONS,
  grantsOf,
  rateLimitPolicyOf,
  routeThrottles,
} from '../../shared/deployment/functions.js';
import { HTTP_BINDINGS, QUEUE_BINDINGS } from '../../shared/purposes/catalogue.js';
import { isExternalTarget, targetEnv, targetValue } from '../support/target.js';
import { loadOrCreateSigningKey } from '../../local/identity/keys.js';
import { signToken } from '../../local/identity/tokens.js';
import { eventFile, lambdaContext } from '../support/lambda.js';

const run = promisify(execFile);
// The shell's environment as the run started, before a test gives the functions the local cloud's.
const shellEnv = { ...process.env };
const osls = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, [oslsBin(), ...args], {
    cwd: projectRoot,
    // A build folder of this run's own: `npm run package` or a running `npm start` keep theirs.
    env: { ...shellEnv, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', ESBUILD_WORK_FOLDER: `.local/build/test-${process.pid}`, ...env },
    maxBuffer: 32 << 20,
  });

type Resource = { Type: string; Properties: Record<string, any> };

// What a deployer's shell might hold: each value must appear nowhere in what is deployed.
const CANARIES: Record<string, string> = {
  AUDIT_HASH_KEY: `canary-audit-hash-key-${process.pid}`,
  SUBJECT_HASH_KEY: `canary-subject-hash-key-${process.pid}`,
  SOURCES_CLIENT_KEY: `canary-client-private-key-${process.pid}`,
  SOURCES_CLIENT_CERTIFICATE: `canary-client-certificate-${process.pid}`,
  BCSS_PASSWORD: `canary-bcss-password-${process.pid}`,
  AWS_SECRET_ACCESS_KEY: `canary-aws-secret-${process.pid}`,
};

// The deployer names the foreign origins; the default (none) is checked on `osls print` below.
const ALLOWED = 'https://www.mycareer.be,https://partner.example';

/** `osls package` for the prod stage, once per file: its template and the folder of its zips. */
let packaging: Promise<{ artifacts: string; template: { Resources: Record<string, Resource> } }> | undefined;
const packaged = () => {
  packaging ??= (async () => {
    const artifacts = await mkdtemp(join(tmpdir(), 'sls-package-'));
    await osls(['package', '--stage', 'prod', '--package', artifacts], {
      ALLOWED_ORIGINS: ALLOWED,
      SOURCES_BASE_URL: 'https://sources.example',
      JWKS_URL: 'https://idp.example/.well-known/jwks.json',
      TOKEN_ISSUER: 'https://idp.example',
      ...CANARIES,
    });
    return { artifacts, template: JSON.parse(await readFile(join(artifacts, 'cloudformation-template-update-stack.json'), 'utf8')) };
  })();
  return packaging;
};

// `osls package` for a cloud stage: the CloudFormation template is what would be deployed.
describe('osls package', () => {
  let template: { Resources: Record<string, Resource> };
  let artifacts: string;

  beforeAll(async () => {
    ({ artifacts, template } = await packaged());
  }, 180_000);

  const ofType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);

  // The unit test derives the types; this is the template itself.
  it('creates only resources of services the LocalStack lane loads (localstack/docker-compose.yml)', async () => {
    const listed = composeServices(await readFile(join(projectRoot, 'localstack/docker-compose.yml'), 'utf8'));
    const required = requiredLocalStackServices(Object.values(template.Resources).map((r) => r.Type));
    expect(required.filter((service) => !listed.includes(service))).toEqual([]);
  });

  it('packages each function on its own, under 1 MB, without source maps', async () => {
    const zips = (await readdir(artifacts)).filter((f) => f.endsWith('.zip'));
    expect(zips.sort()).toEqual(
      Object.keys(FUNCTIONS)
        .map((k) => `${k}.zip`)
        .sort(),
    );
    for (const zip of zips) {
      const bytes = await readFile(join(artifacts, zip));
      expect(bytes.length, zip).toBeLessThan(1_000_000);
      // File names are stored in clear in a zip's headers.
      expect(bytes.includes('.map'), zip).toBe(false);
    }
  });

  it("puts no value of the deployer's environment that could be a secret in the template, the zips or a function's environment", async () => {
    const files = await readdir(artifacts);
    const texts = [await readFile(join(artifacts, 'cloudformation-template-update-stack.json'), 'utf8')];
    for (const zip of files.filter((f) => f.endsWith('.zip'))) {
      for (const [name, bytes] of Object.entries(unzipSync(await readFile(join(artifacts, zip))))) texts.push(`${zip}/${name}\n${strFromU8(bytes)}`);
    }
    for (const file of files.filter((f) => f.endsWith('.json'))) texts.push(await readFile(join(artifacts, file), 'utf8'));
    expect(texts.length).toBeGreaterThan(Object.keys(FUNCTIONS).length);
    for (const [variable, canary] of Object.entries(CANARIES)) {
      expect(
        texts.filter((t) => t.includes(canary)).map((t) => t.slice(0, 80)),
        variable,
      ).toEqual([]);
    }
    // The functions are told where the key and the certificate are, never what they are.
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      const variables = fn.Properties.Environment.Variables as Record<string, unknown>;
      expect(variables.AUDIT_HASH_KEY).toBeUndefined();
      expect(variables.SUBJECT_HASH_KEYS).toBe('v1=alias/bcss-exchanges-prod-subject-hash-v1');
      expect(variables.SOURCES_CLIENT_CERTIFICATE_SECRET).toBe('bcss-exchanges/prod/sources-client-certificate');
    }
  });

  it('keeps the subject-hash key in KMS (HMAC_256, MAC only, outliving the stack) and the certificate in Secrets Manager', () => {
    const key = template.Resources.SubjectHashKeyV1!;
    expect(key).toMatchObject({ Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain', Properties: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' } });
    expect(template.Resources.SubjectHashKeyV1Alias!.Properties).toEqual({
      AliasName: 'alias/bcss-exchanges-prod-subject-hash-v1',
      TargetKeyId: { Ref: 'SubjectHashKeyV1' },
    });
    const secret = template.Resources.SourcesClientCertificate!;
    expect(secret).toMatchObject({ Type: 'AWS::SecretsManager::Secret', DeletionPolicy: 'Retain' });
    // A placeholder: the certificate is put by the deployer, never through the template.
    expect(secret.Properties.SecretString).toBe('{}');
  });

  it('declares the tables, each with TTL enabled', () => {
    const tables = ofType('AWS::DynamoDB::Table');
    expect(tables.map(([id]) => id).sort()).toEqual(['AuditTable', 'ClaimsTable', 'PremiumChecksTable']);
    for (const [, table] of tables) expect(table.Properties.TimeToLiveSpecification.Enabled).toBe(true);
  });

  it('declares the claim queue with a redrive policy to its dead-letter queue', () => {
    const queue = template.Resources.ClaimQueue!;
    expect(queue.Properties.RedrivePolicy.deadLetterTargetArn).toEqual({ 'Fn::GetAtt': ['ClaimDeadLetterQueue', 'Arn'] });
    expect(Number(queue.Properties.RedrivePolicy.maxReceiveCount)).toBeGreaterThan(1);
  });

  it('triggers the consumer from the claim queue with partial batch responses', () => {
    const [[, mapping]] = ofType('AWS::Lambda::EventSourceMapping') as [[string, Resource]];
    expect(mapping.Properties.EventSourceArn).toEqual({ 'Fn::GetAtt': ['ClaimQueue', 'Arn'] });
    expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  });

  it('gives every function its own role, with no wildcard action or resource', () => {
    const functions = ofType('AWS::Lambda::Function');
    expect(functions).toHaveLength(Object.keys(FUNCTIONS).length);
    const roles = functions.map(([, fn]) => fn.Properties.Role['Fn::GetAtt'][0]);
    expect(new Set(roles).size).toBe(functions.length);
    for (const role of roles) {
      const statements = template.Resources[role]!.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
      for (const statement of statements) {
        expect(
          [statement.Action].flat().some((a: string) => a.includes('*')),
          `${role} action`,
        ).toBe(false);
        expect(JSON.stringify(statement.Resource), `${role} resource`).not.toMatch(/"\*"/);
      }
    }
  });

  // shared/deployment/functions.ts is the only place a function's trigger and grants are
  // written: what is packaged must be exactly that, and nothing more.
  const functionIdOf = (key: string): string => {
    const found = ofType('AWS::Lambda::Function').filter(([, fn]) => fn.Properties.FunctionName === `bcss-exchanges-prod-${key}`);
    expect(found, key).toHaveLength(1);
    return found[0]![0];
  };
  const resourceName = (resource: any): string => {
    if (resource['Fn::GetAtt']) return resource['Fn::GetAtt'][0];
    if (resource.Ref) return resource.Ref;
    if (resource['Fn::Join']) return resource['Fn::Join'][1].map((part: any) => (typeof part === 'string' ? part : resourceName(part))).join('/');
    return JSON.stringify(resource);
  };
  const isLogStatement = (statement: any) => [statement.Action].flat().some((a: string) => a.startsWith('logs:'));

  it('packages exactly the functions of the catalogue, with their handlers and timeouts', () => {
    const names = ofType('AWS::Lambda::Function').map(([, fn]) => fn.Properties.FunctionName);
    expect(names.sort()).toEqual(
      Object.keys(FUNCTIONS)
        .map((key) => `bcss-exchanges-prod-${key}`)
        .sort(),
    );
    for (const [key, fn] of Object.entries<FunctionDeclaration>(FUNCTIONS)) {
      const props = template.Resources[functionIdOf(key)]!.Properties;
      expect(props.Handler, key).toBe(fn.handler);
      // provider.timeout otherwise.
      expect(props.Timeout, key).toBe(fn.timeout ?? 10);
    }
  });

  it('grants each function exactly the grants of the catalogue, and its own log group', () => {
    const roleIds = new Set<string>();
    for (const [key, fn] of Object.entries<FunctionDeclaration>(FUNCTIONS)) {
      const roleId: string = template.Resources[functionIdOf(key)]!.Properties.Role['Fn::GetAtt'][0];
      roleIds.add(roleId);
      const role = template.Resources[roleId]!;
      expect(role.Properties.AssumeRolePolicyDocument.Statement, key).toEqual([
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]);
      expect(role.Properties.ManagedPolicyArns ?? [], key).toEqual([]);
      const statements = role.Properties.Policies.flatMap((p: any) => [p.PolicyDocument.Statement].flat());
      expect(statements.filter(isLogStatement), `${key} log statement`).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/bcss-exchanges-prod-${key}:*` },
        },
      ]);
      const granted = new Map<string, Set<string>>();
      for (const statement of statements.filter((s: any) => !isLogStatement(s))) {
        expect(statement.Effect, key).toBe('Allow');
        // Only the catalogue's conditions: a NISS key used with the cipher's encryption context, nothing else.
        expect(statement.Condition, key).toEqual(GRANT_CONDITIONS[resourceName(statement.Resource)]);
        for (const resource of [statement.Resource].flat()) {
          const actions = granted.get(resourceName(resource)) ?? new Set<string>();
          for (const action of [statement.Action].flat()) actions.add(action);
          granted.set(resourceName(resource), actions);
        }
      }
      const actual = Object.fromEntries([...granted].map(([r, a]) => [r, [...a].sort()]));
      const expected = Object.fromEntries(Object.entries(grantsOf(fn)).map(([r, a]) => [r, [...new Set(a)].sort()]));
      expect(actual, key).toEqual(expected);
    }
    // No other role: no default execution role shared by the functions.
    expect(
      ofType('AWS::IAM::Role')
        .map(([id]) => id)
        .sort(),
    ).toEqual([...roleIds].sort());
  });

  it('triggers each function with the events of the catalogue, and nothing else', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route');
    const mappings = ofType('AWS::Lambda::EventSourceMapping');
    const rules = ofType('AWS::Events::Rule');
    const counts = { httpApi: 0, sqs: 0, schedule: 0 };
    for (const [key, fn] of Object.entries<FunctionDeclaration>(FUNCTIONS)) {
      const functionId = functionIdOf(key);
      const events = eventsOf(fn) as any[];
      expect(events.length, `${key} has a trigger`).toBeGreaterThan(0);
      for (const event of events) {
        if (event.httpApi) {
          counts.httpApi++;
          const routeKey = event.httpApi === '*' ? '$default' : `${event.httpApi.method} ${event.httpApi.path}`;
          const matching = routes.filter(([, r]) => r.Properties.RouteKey === routeKey);
          expect(matching, `${key}: ${routeKey}`).toHaveLength(1);
          const integrationId = matching[0]![1].Properties.Target['Fn::Join'][1][1].Ref;
          expect(resourceName(template.Resources[integrationId]!.Properties.IntegrationUri), key).toBe(functionId);
        } else if (event.sqs) {
          counts.sqs++;
          const matching = mappings.filter(([, m]) => resourceName(m.Properties.FunctionName) === functionId);
          expect(matching, `${key}: sqs`).toHaveLength(1);
          const props = matching[0]![1].Properties;
          expect(props.EventSourceArn, key).toEqual(event.sqs.arn);
          expect(props.FunctionResponseTypes, key).toEqual(['ReportBatchItemFailures']);
          expect(props.BatchSize, key).toBe(event.sqs.batchSize);
          expect(props.MaximumBatchingWindowInSeconds, key).toBe(event.sqs.maximumBatchingWindow);
        } else if (event.schedule) {
          counts.schedule++;
          const matching = rules.filter(([, r]) => r.Properties.Targets.some((t: any) => resourceName(t.Arn) === functionId));
          expect(matching, `${key}: schedule`).toHaveLength(1);
          expect(matching[0]![1].Properties.ScheduleExpression, key).toBe(event.schedule);
        } else {
          throw new Error(`${key}: unexpected event ${JSON.stringify(event)}`);
        }
      }
    }
    expect(routes).toHaveLength(counts.httpApi);
    expect(mappings).toHaveLength(counts.sqs);
    expect(rules).toHaveLength(counts.schedule);
  });

  it('answers every route no function serves with the notFound function ($default), which may only write its logs', () => {
    const defaults = ofType('AWS::ApiGatewayV2::Route').filter(([, r]) => r.Properties.RouteKey === '$default');
    expect(defaults).toHaveLength(1);
    const integrationId = defaults[0]![1].Properties.Target['Fn::Join'][1][1].Ref;
    expect(resourceName(template.Resources[integrationId]!.Properties.IntegrationUri)).toBe(functionIdOf('notFound'));
    const roleId: string = template.Resources[functionIdOf('notFound')]!.Properties.Role['Fn::GetAtt'][0];
    const statements = template.Resources[roleId]!.Properties.Policies.flatMap((p: any) => [p.PolicyDocument.Statement].flat());
    expect(statements.flatMap((s: any) => [s.Action].flat()).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
  });

  it('admits in CORS exactly the origins the deployer named, at the gateway and in the functions', () => {
    const [[, httpApi]] = ofType('AWS::ApiGatewayV2::Api') as [[string, Resource]];
    const cors = httpApi.Properties.CorsConfiguration;
    expect(cors.AllowOrigins).toEqual(ALLOWED.split(','));
    expect(cors.AllowMethods.sort()).toEqual(['GET', 'POST']);
    expect(cors.AllowCredentials ?? false).toBe(false);
    expect(JSON.stringify(cors)).not.toContain('*');
    for (const [, fn] of ofType('AWS::Lambda::Function')) expect(fn.Properties.Environment.Variables.ALLOWED_ORIGINS).toBe(ALLOWED);
  });

  it('admits no foreign origin by default, and refuses a wildcard', async () => {
    const print = async (env: Record<string, string>) => {
      const { stdout } = await osls(['print', '--stage', 'prod', '--format', 'json'], { ALLOWED_ORIGINS: '', ...env });
      return JSON.parse(stdout.slice(stdout.indexOf('{')));
    };
    // The two prints at once: each is a Framework start of its own.
    const [resolved, wildcard] = await Promise.allSettled([print({}), print({ ALLOWED_ORIGINS: '*' })]);
    expect(resolved.status, String((resolved as PromiseRejectedResult).reason)).toBe('fulfilled');
    const { value } = resolved as PromiseFulfilledResult<any>;
    expect(value.provider.httpApi.cors).toBe(false);
    expect(value.provider.environment.ALLOWED_ORIGINS).toBe('');
    // osls writes its errors to stdout.
    expect(wildcard).toMatchObject({ status: 'rejected', reason: { stdout: expect.stringMatching(/ALLOWED_ORIGINS: "\*" is not an origin/) } });
  }, 60_000);

  // HTTP APIs have no per-route throttle in osls: the stage it generates is extended with the
  // catalogue's throttles (serverless/catalogue.cjs), and waits for the routes it names.
  it('throttles the stage by default and each route as the catalogue says, and tells each function its policy', () => {
    const [[stageId, stage]] = ofType('AWS::ApiGatewayV2::Stage') as [[string, Resource & { DependsOn: string[] }]];
    expect(stageId).toBe('HttpApiStage');
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: DEFAULT_THROTTLE.ratePerSecond,
      ThrottlingBurstLimit: DEFAULT_THROTTLE.burst,
    });
    const throttles = routeThrottles();
    // Every route but the default one ($default, the notFound function), which no throttle names.
    const routes = ofType('AWS::ApiGatewayV2::Route').filter(([, r]) => r.Properties.RouteKey !== '$default');
    expect(Object.keys(throttles).length).toBe(routes.length);
    expect(stage.Properties.RouteSettings).toEqual(
      Object.fromEntries(Object.entries(throttles).map(([key, t]) => [key, { ThrottlingRateLimit: t.ratePerSecond, ThrottlingBurstLimit: t.burst }])),
    );
    const routeIds = routes.map(([id]) => id).sort();
    expect(stage.DependsOn.filter((id) => id.startsWith('HttpApiRoute')).sort()).toEqual(routeIds);
    for (const [key, fn] of Object.entries<FunctionDeclaration>(FUNCTIONS)) {
      const variables = template.Resources[functionIdOf(key)]!.Properties.Environment.Variables as Record<string, unknown>;
      expect(variables.RATE_LIMIT_POLICY, key).toBe(rateLimitPolicyOf(key, fn));
    }
  });

  it('serves every purpose binding of the catalogue with a function', () => {
    const bound = Object.values<FunctionDeclaration>(FUNCTIONS).flatMap((fn) => (fn.binding ? [fn.binding] : []));
    expect(new Set(bound)).toEqual(new Set([...HTTP_BINDINGS, ...QUEUE_BINDINGS]));
  });

  it('runs on nodejs24.x with a bundled ESM artifact per function', async () => {
    for (const [, fn] of ofType('AWS::Lambda::Function')) expect(fn.Properties.Runtime).toBe('nodejs24.x');
    const zips = (await readdir(artifacts)).filter((f) => f.endsWith('.zip'));
    expect(zips.length).toBeGreaterThanOrEqual(1);
    for (const zip of zips) expect((await stat(join(artifacts, zip))).size).toBeGreaterThan(0);
  });
});

// The sample events of events/, run on the functions as `osls package` zipped them (the
// artifacts above): each zip's bundle imported in this process, with the environment
// `osls invoke local` gives a function on the local stage (the local cloud's), so that no
// function is bundled twice. One `osls invoke local` below covers the command itself.
describe.skipIf(isExternalTarget())('the packaged functions on the files in events/', () => {
  // Node's own loader, not the test runner's (require() of an ES module, as `osls invoke local`
  // loads a bundle): the bundle runs untransformed, as Lambda would load it.
  const nativeRequire = createRequire(import.meta.url);
  let artifacts: string;
  const loaded = new Map<string, Promise<(event: unknown, context: unknown) => Promise<any>>>();
  const bundleOf = (key: string) => {
    if (!loaded.has(key)) {
      loaded.set(
        key,
        (async () => {
          const dir = join(artifacts, 'unzipped', key);
          for (const [name, bytes] of Object.entries(unzipSync(await readFile(join(artifacts, `${key}.zip`))))) {
            if (name.endsWith('/')) continue;
            await mkdir(dirname(join(dir, name)), { recursive: true });
            await writeFile(join(dir, name), bytes);
          }
          // `functions/health/handler.handler`: the bundle functions/health/handler.mjs, its export `handler`.
          const { handler } = FUNCTIONS[key as keyof typeof FUNCTIONS]!;
          const [file, exported] = [handler.slice(0, handler.lastIndexOf('.')), handler.slice(handler.lastIndexOf('.') + 1)];
          const module = nativeRequire(join(dir, `${file}.mjs`)) as Record<string, unknown>;
          return module[exported] as (event: unknown, context: unknown) => Promise<any>;
        })(),
      );
    }
    return loaded.get(key)!;
  };

  beforeAll(async () => {
    ({ artifacts } = await packaged());
    // What the local stage gives a function (the local cloud's environment), logs silenced.
    Object.assign(process.env, targetEnv(), { POWERTOOLS_LOG_LEVEL: 'SILENT' });
  }, 180_000);

  const invoke = async (fn: string, event: unknown) => (await bundleOf(fn))(event, lambdaContext(`bcss-exchanges-local-${fn}`));
  const invokeFile = async (fn: string, file: string) => invoke(fn, await eventFile(file));

  it.each([
    ['careerBreakPossibilities', 'career-break-possibilities.json', { role: 'citizen', niss: '85073003328' }, 200],
    ['careerBreakWhatIf', 'career-break-what-if.json', { role: 'citizen', niss: '85073003328' }, 200],
    ['checkPremium', 'check-premium.json', { role: 'actiris' }, 200],
    ['submitTrainingLeaveClaim', 'submit-training-leave-claim.json', { role: 'employer', enterpriseNumber: '0403170701' }, 202],
    ['getTrainingLeaveClaim', 'get-training-leave-claim.json', { role: 'dwse', team: 'competenties' }, 404],
    ['listTrainingLeaveClaims', 'list-training-leave-claims.json', { role: 'dwse', team: 'inspectie' }, 200],
    ['withdrawTrainingLeaveClaim', 'withdraw-training-leave-claim.json', { role: 'employer', enterpriseNumber: '0403170701' }, 404],
    ['readAccessLog', 'read-access-log.json', { role: 'citizen', niss: '85073003328' }, 200],
  ] as const)('runs %s on events/%s with a token from the local identity provider', async (fn, file, principal, status) => {
    const event = await eventFile(file);
    event.headers.authorization = `Bearer ${await signToken(await loadOrCreateSigningKey(targetValue('LOCAL_IDP_DIR')), principal as never, { issuer: targetValue('TOKEN_ISSUER') })}`;
    const result = await invoke(fn, event);
    expect(result.statusCode, result.body).toBe(status);
  });

  it('runs the sweeper of waiting claims on its sample event', async () => {
    const result = await invokeFile('sweepWaitingClaims', 'sweep-waiting-claims.json');
    expect(result).toEqual({ requeued: expect.any(Number), toSettle: expect.any(Number) });
  });

  it('serves the OpenAPI document and its reference page from the packaged functions', async () => {
    const document = await invokeFile('openApiDocument', 'openapi-document.json');
    expect(document.statusCode).toBe(200);
    expect(JSON.parse(document.body)).toMatchObject({ openapi: '3.1.1', paths: { '/v1/premium-checks': { post: { operationId: 'checkPremium' } } } });
    const page = await invokeFile('apiReference', 'api-reference.json');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('/docs/swagger-ui-bundle.js');
  });

  it('answers an unknown route from the packaged default-route function', async () => {
    const result = await invokeFile('notFound', 'not-found.json');
    expect(result.statusCode).toBe(404);
    expect(result.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(result.body)).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('runs the health function against the emulators', async () => {
    const result = await invokeFile('health', 'health.json');
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body).status).toBe('up');
  });

  // The sample names a claim that is not stored: the record is reported failed (it would go
  // to the dead-letter queue), and the function itself does not fail.
  it('runs the claim consumer on the sample SQS batch', async () => {
    const result = await invokeFile('evaluateTrainingLeaveClaims', 'claim-queue-batch.json');
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '5f2d8e3a-0c1b-4a57-9d8e-000000000001' }]);
  });
});

// `osls invoke local` itself (npm run invoke:local): the local stage's bundle, loaded with
// require(), with the endpoints serverless.yml derives from the environment. Once, on the
// function that reaches every emulator; the per-function checks are on the packaged bundles above.
describe.skipIf(isExternalTarget())('osls invoke local with the files in events/', () => {
  it('runs the health function against the emulators', async () => {
    const { stdout } = await osls(['invoke', 'local', '--stage', 'local', '--function', 'health', '--path', 'events/health.json'], targetEnv());
    const result = JSON.parse(stdout.slice(stdout.indexOf('{'), stdout.lastIndexOf('}') + 1));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body).status).toBe('up');
  }, 120_000);
});
