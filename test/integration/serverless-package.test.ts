import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { oslsBin, projectRoot } from '../../local/service-definition.js';
import { isExternalTarget, targetEnv, targetValue } from '../support/target.js';
import { loadOrCreateSigningKey } from '../../local/identity/keys.js';
import { signToken } from '../../local/identity/tokens.js';

const run = promisify(execFile);
const osls = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, [oslsBin(), ...args], {
    cwd: projectRoot,
    env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', ...env },
    maxBuffer: 32 << 20,
  });

type Resource = { Type: string; Properties: Record<string, any> };

// `osls package` for a cloud stage: the CloudFormation template is what would be deployed.
describe('osls package', () => {
  let template: { Resources: Record<string, Resource> };
  let artifacts: string;

  beforeAll(async () => {
    artifacts = await mkdtemp(join(tmpdir(), 'sls-package-'));
    await osls(['package', '--stage', 'prod', '--package', artifacts], {
      SOURCES_BASE_URL: 'https://sources.example',
      JWKS_URL: 'https://idp.example/.well-known/jwks.json',
      TOKEN_ISSUER: 'https://idp.example',
    });
    template = JSON.parse(await readFile(join(artifacts, 'cloudformation-template-update-stack.json'), 'utf8'));
  }, 180_000);

  const ofType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);

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
    expect(functions).toHaveLength(7);
    const roles = functions.map(([, fn]) => fn.Properties.Role['Fn::GetAtt'][0]);
    expect(new Set(roles).size).toBe(functions.length);
    for (const role of roles) {
      const statements = template.Resources[role]!.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
      for (const statement of statements) {
        expect([statement.Action].flat().some((a: string) => a.includes('*')), `${role} action`).toBe(false);
        expect(JSON.stringify(statement.Resource), `${role} resource`).not.toMatch(/"\*"/);
      }
    }
  });

  // What each function's code does, and on which resources: the roles must grant exactly that.
  const EXPECTED: Record<string, Record<string, string[]>> = {
    health: { 'dynamodb:DescribeTable': ['AuditTable', 'ClaimsTable', 'PremiumChecksTable'], 'sqs:GetQueueAttributes': ['ClaimDeadLetterQueue', 'ClaimQueue'] },
    careerBreakPossibilities: { 'dynamodb:PutItem': ['AuditTable'] },
    submitTrainingLeaveClaim: { 'dynamodb:PutItem': ['AuditTable', 'ClaimsTable'], 'dynamodb:GetItem': ['ClaimsTable'], 'sqs:SendMessage': ['ClaimQueue'] },
    getTrainingLeaveClaim: { 'dynamodb:GetItem': ['ClaimsTable'], 'dynamodb:PutItem': ['AuditTable'] },
    evaluateTrainingLeaveClaims: {
      'sqs:ReceiveMessage': ['ClaimQueue'],
      'sqs:DeleteMessage': ['ClaimQueue'],
      'sqs:GetQueueAttributes': ['ClaimQueue'],
      'sqs:ChangeMessageVisibility': ['ClaimQueue'],
      'dynamodb:GetItem': ['ClaimsTable'],
      // TransactWriteItems of conditional updates is authorised as UpdateItem.
      'dynamodb:UpdateItem': ['ClaimsTable'],
    },
    checkPremium: { 'dynamodb:PutItem': ['AuditTable', 'PremiumChecksTable'] },
    purgeExpired: Object.fromEntries(
      ['dynamodb:DescribeTable', 'dynamodb:DescribeTimeToLive', 'dynamodb:Scan', 'dynamodb:DeleteItem'].map((a) => [a, ['AuditTable', 'ClaimsTable', 'PremiumChecksTable']]),
    ),
  };
  const resourceName = (resource: any): string => {
    if (resource['Fn::GetAtt']) return resource['Fn::GetAtt'][0];
    if (resource['Fn::Join']) return resource['Fn::Join'][1].map((part: any) => (typeof part === 'string' ? part : resourceName(part))).join('/');
    return 'logs';
  };

  it('grants each function exactly the actions its code uses, on its own resources', () => {
    const functions = ofType('AWS::Lambda::Function');
    for (const [logicalId, fn] of functions) {
      const key = Object.keys(EXPECTED).find((k) => logicalId.toLowerCase() === `${k.toLowerCase()}lambdafunction`)!;
      expect(key, logicalId).toBeDefined();
      const role = template.Resources[fn.Properties.Role['Fn::GetAtt'][0]]!;
      const granted: Record<string, Set<string>> = {};
      for (const statement of role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement)) {
        for (const action of [statement.Action].flat()) {
          if (action.startsWith('logs:')) continue;
          for (const resource of [statement.Resource].flat()) (granted[action] ??= new Set()).add(resourceName(resource));
        }
      }
      const actual = Object.fromEntries(Object.entries(granted).map(([a, r]) => [a, [...r].sort()]));
      expect(actual, key).toEqual(Object.fromEntries(Object.entries(EXPECTED[key]!).map(([a, r]) => [a, [...r].sort()])));
    }
  });

  it('runs on nodejs24.x with a bundled ESM artifact per function', async () => {
    for (const [, fn] of ofType('AWS::Lambda::Function')) expect(fn.Properties.Runtime).toBe('nodejs24.x');
    const zips = (await readdir(artifacts)).filter((f) => f.endsWith('.zip'));
    expect(zips.length).toBeGreaterThanOrEqual(1);
    for (const zip of zips) expect((await stat(join(artifacts, zip))).size).toBeGreaterThan(0);
  });
});

describe.skipIf(isExternalTarget())('osls invoke local with the files in events/', () => {
  const invoke = async (fn: string, event: string) => {
    const { stdout } = await osls(['invoke', 'local', '--stage', 'local', '--function', fn, '--path', `events/${event}`], targetEnv());
    return JSON.parse(stdout.slice(stdout.indexOf('{'), stdout.lastIndexOf('}') + 1));
  };

  it.each([
    ['careerBreakPossibilities', 'career-break-possibilities.json', { role: 'citizen', niss: '85073003328' }, 200],
    ['checkPremium', 'check-premium.json', { role: 'actiris' }, 200],
    ['submitTrainingLeaveClaim', 'submit-training-leave-claim.json', { role: 'employer', enterpriseNumber: '0403170701' }, 202],
    ['getTrainingLeaveClaim', 'get-training-leave-claim.json', { role: 'dwse', team: 'competenties' }, 404],
  ] as const)('runs %s on events/%s with a token from the local identity provider', async (fn, file, principal, status) => {
    const event = JSON.parse(await readFile(join(projectRoot, 'events', file), 'utf8'));
    event.headers.authorization = `Bearer ${await signToken(await loadOrCreateSigningKey(targetValue('LOCAL_IDP_DIR')), principal as never, { issuer: targetValue('TOKEN_ISSUER') })}`;
    const path = join(await mkdtemp(join(tmpdir(), 'event-')), file);
    await writeFile(path, JSON.stringify(event));
    const { stdout } = await osls(['invoke', 'local', '--stage', 'local', '--function', fn, '--path', path], targetEnv());
    const result = JSON.parse(stdout.slice(stdout.indexOf('{'), stdout.lastIndexOf('}') + 1));
    expect(result.statusCode, result.body).toBe(status);
  }, 120_000);

  it('runs the health function against the emulators', async () => {
    const result = await invoke('health', 'health.json');
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body).status).toBe('up');
  }, 120_000);

  // The sample names a claim that is not stored: the record is reported failed (it would go
  // to the dead-letter queue), and the function itself does not fail.
  it('runs the claim consumer on the sample SQS batch', async () => {
    const result = await invoke('evaluateTrainingLeaveClaims', 'claim-queue-batch.json');
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '5f2d8e3a-0c1b-4a57-9d8e-000000000001' }]);
  }, 120_000);
});
