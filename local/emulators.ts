/**
 * The local cloud in a process of its own, for benchmarks that must not measure it in
 * their own process: DynamoDB Local, SQS, the fake sources and the identity provider on
 * free ports, and with --with-api the HTTP API and the queue trigger too. Prints one line
 * of JSON — the environment the functions need, the queues, the API's URL — once
 * everything is up, and stops on SIGTERM or SIGINT.
 * Options: --dataset <path>, --idp-dir <path>, --with-api.
 */
import { parseArgs } from 'node:util';
import { startLocalCloud } from './cloud.js';

const { values } = parseArgs({ options: { dataset: { type: 'string' }, 'idp-dir': { type: 'string' }, 'with-api': { type: 'boolean', default: false } } });
const cloud = await startLocalCloud({
  ports: { http: 0, lambda: 0, dynamodb: 0, sqs: 0, sources: 0, idp: 0, kms: 0, web: 0 },
  withApi: values['with-api'],
  ...(values.dataset ? { dataset: values.dataset } : {}),
  ...(values['idp-dir'] ? { idpDir: values['idp-dir'] } : {}),
});
process.stdout.write(`${JSON.stringify({ env: cloud.env, queues: cloud.provisioned.queues, apiUrl: cloud.apiUrl })}\n`);
const stop = async () => {
  await cloud.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
