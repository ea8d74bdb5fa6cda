/**
 * The local cloud without the HTTP API, in a process of its own: DynamoDB Local, SQS, the
 * fake sources and the identity provider on free ports (or those given), for benchmarks
 * that must not measure the emulators in their own process. Prints one line of JSON — the
 * environment the functions need — once everything is up, and stops on SIGTERM or SIGINT.
 * Options: --dataset <path>, --idp-dir <path>.
 */
import { parseArgs } from 'node:util';
import { startLocalCloud } from './cloud.js';

const { values } = parseArgs({ options: { dataset: { type: 'string' }, 'idp-dir': { type: 'string' } } });
const cloud = await startLocalCloud({
  ports: { http: 0, lambda: 0, dynamodb: 0, sqs: 0, sources: 0, idp: 0 },
  ...(values.dataset ? { dataset: values.dataset } : {}),
  ...(values['idp-dir'] ? { idpDir: values['idp-dir'] } : {}),
});
process.stdout.write(`${JSON.stringify({ env: cloud.env, queues: cloud.provisioned.queues })}\n`);
const stop = async () => {
  await cloud.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
