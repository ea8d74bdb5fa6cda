/**
 * `npm start`: the whole system on loopback — DynamoDB Local, SQS, fake external
 * sources, local identity provider, HTTP API and the SQS trigger. Ctrl-C stops it all.
 * Environment: PORT (HTTP, default 3000), SOURCES_DATASET (path of another dataset).
 */
import { DEFAULT_PORTS, startLocalCloud } from './cloud.js';

const port = (name: string, fallback: number): number => {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65_535) {
    console.error(`${name} must be a port number between 1 and 65535, got "${value}"`);
    process.exit(2);
  }
  return parsed;
};

const started = Date.now();
let cloud: Awaited<ReturnType<typeof startLocalCloud>>;
try {
  cloud = await startLocalCloud({
    withApi: true,
    ...(process.env.SOURCES_DATASET ? { dataset: process.env.SOURCES_DATASET } : {}),
    ports: {
      http: port('PORT', DEFAULT_PORTS.http),
      lambda: port('LAMBDA_PORT', DEFAULT_PORTS.lambda),
      dynamodb: port('DYNAMODB_PORT', DEFAULT_PORTS.dynamodb),
      sqs: port('SQS_PORT', DEFAULT_PORTS.sqs),
      sources: port('SOURCES_PORT', DEFAULT_PORTS.sources),
      idp: port('IDP_PORT', DEFAULT_PORTS.idp),
    },
    log: (component, line) => console.log(`[${component}] ${line}`),
  });
} catch (error) {
  console.error(`\nlocal cloud failed to start: ${(error as Error).message}`);
  process.exit(1);
}

const e = cloud.env;
console.log(`
Local cloud up in ${((Date.now() - started) / 1000).toFixed(1)} s
  HTTP API        ${cloud.apiUrl}   (try: curl ${cloud.apiUrl}/v1/health)
  DynamoDB Local  ${e.AWS_ENDPOINT_URL_DYNAMODB}
  SQS             ${e.AWS_ENDPOINT_URL_SQS}
  Fake sources    ${e.SOURCES_BASE_URL}
  Identity (JWKS) ${e.JWKS_URL}
  Token           npm run --silent token -- --as citizen --niss 85073003328
Ctrl-C to stop.`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the local cloud…`);
  await cloud.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
