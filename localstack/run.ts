/**
 * `npm run test:localstack`: deploys the service to a running LocalStack (stage
 * `localstack`; osls's AWS SDK v3 clients reach LocalStack through AWS_ENDPOINT_URL, no
 * plugin: serverless-localstack 1.4 does not run on osls 4) and runs the integration and
 * end-to-end suites against it (TEST_TARGET=external). The fake sources and the local
 * identity provider run here, on the host; the Lambda containers reach them through
 * host.docker.internal, so these two servers listen on all interfaces for this lane only.
 *
 * LocalStack itself is not started here: `docker compose -f localstack/docker-compose.yml up -d`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { loadDataset } from '../local/fake-sources/dataset.js';
import { startFakeSources } from '../local/fake-sources/server.js';
import { loadOrCreateSigningKey } from '../local/identity/keys.js';
import { startIdentityProvider } from '../local/identity/server.js';
import { oslsBin, projectRoot } from '../local/service-definition.js';

const endpoint = process.env.LOCALSTACK_ENDPOINT ?? 'http://127.0.0.1:4566';
const region = process.env.AWS_REGION ?? 'eu-west-1';
const stage = 'localstack';
const service = 'bcss-exchanges';

const fail = (message: string): never => {
  console.error(`\ntest:localstack: ${message}`);
  process.exit(1);
};

const run = (command: string, args: string[], env: Record<string, string>): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.slice(0, 2).join(' ')} exited with ${code}`))));
  });

// 1. LocalStack must be up: say how to start it rather than hang.
try {
  const health = await fetch(`${endpoint}/_localstack/health`, { signal: AbortSignal.timeout(3_000) });
  if (!health.ok) throw new Error(`health answered ${health.status}`);
} catch (error) {
  fail(
    `LocalStack is not reachable at ${endpoint} (${(error as Error).message}).\n` +
      `Start it with: docker compose -f localstack/docker-compose.yml up -d\n` +
      `Images after 4.14.0 need LOCALSTACK_AUTH_TOKEN in the environment.`,
  );
}

// 2. Fake sources and identity provider on the host.
const hostForContainers = process.env.LOCALSTACK_HOST_ALIAS ?? 'host.docker.internal';
const idpDir = await mkdtemp(join(tmpdir(), 'bcss-idp-'));
const sources = await startFakeSources(await loadDataset(), { host: '0.0.0.0' });
const idp = await startIdentityProvider(await loadOrCreateSigningKey(idpDir), { host: '0.0.0.0' });
const sourcesPort = new URL(sources.url).port;
const idpPort = new URL(idp.issuer).port;
const issuer = `http://${hostForContainers}:${idpPort}`;

const credentials = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: region };
let exitCode = 1;
try {
  // 3. Deploy. The functions see the host through the container alias.
  const deployEnv = {
    ...credentials,
    // Every AWS call of the deploy goes to LocalStack (the SDK v3 reads it for every service).
    AWS_ENDPOINT_URL: endpoint,
    SOURCES_BASE_URL: `http://${hostForContainers}:${sourcesPort}`,
    JWKS_URL: `${issuer}/.well-known/jwks.json`,
    TOKEN_ISSUER: issuer,
    SLS_TELEMETRY_DISABLED: '1',
  };
  await run(process.execPath, [oslsBin(), 'deploy', '--stage', stage, '--region', region], deployEnv);
  const info = await run(process.execPath, [oslsBin(), 'info', '--stage', stage, '--region', region, '--verbose'], deployEnv);
  const apiId = /HttpApiId:\s*(\S+)/.exec(info)?.[1] ?? fail('`osls info` printed no HttpApiId output');

  const sqs = new SQSClient({ region, endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const queueUrl = async (name: string) => (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
  // The stage's NISS-encryption key, by ARN (a sealed value names its key's ARN; the functions get it from the template).
  const kms = new KMSClient({ region, endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const nissKeyArn = (await kms.send(new DescribeKeyCommand({ KeyId: `alias/${service}-${stage}-niss-encryption-v1` }))).KeyMetadata!.Arn!;
  kms.destroy();

  // 4. The suites, pointed at LocalStack (test/support/target.ts reads these).
  const testEnv = {
    ...credentials,
    TEST_TARGET: 'external',
    STAGE: stage,
    API_URL: process.env.API_URL ?? `http://${apiId}.execute-api.localhost.localstack.cloud:4566`,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_ENDPOINT_URL_SQS: endpoint,
    // LocalStack's KMS and Secrets Manager: the stage's key (alias) is what the functions use.
    AWS_ENDPOINT_URL_KMS: endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
    SUBJECT_HASH_KEYS: `v1=alias/${service}-${stage}-subject-hash-v1`,
    NISS_ENCRYPTION_KEYS: `v1=${nissKeyArn}`,
    CLAIMS_TABLE: `${service}-${stage}-training-leave-claims`,
    PREMIUM_CHECKS_TABLE: `${service}-${stage}-premium-checks`,
    AUDIT_TABLE: `${service}-${stage}-audit`,
    CLAIM_QUEUE_URL: await queueUrl(`${service}-${stage}-claims`),
    CLAIM_DLQ_URL: await queueUrl(`${service}-${stage}-claims-dlq`),
    // The tests themselves run on the host.
    SOURCES_BASE_URL: sources.url.replace('0.0.0.0', '127.0.0.1'),
    JWKS_URL: `http://127.0.0.1:${idpPort}/.well-known/jwks.json`,
    TOKEN_ISSUER: issuer,
    TOKEN_AUDIENCE: service,
    LOCAL_IDP_DIR: idpDir,
  };
  sqs.destroy();
  await run(process.execPath, [join(projectRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'integration', '--project', 'e2e'], testEnv);
  exitCode = 0;
} catch (error) {
  console.error(`\ntest:localstack failed: ${(error as Error).message}`);
} finally {
  await sources.close();
  await idp.close();
}
process.exit(exitCode);
