import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { PORT_VARIABLES } from '../../local/cloud.js';
import { acquireDataLock, DataDirLockedError, type DataLock, holderAlive, LOCK_FILE, type LockHolder, processStartOf } from '../../local/data-lock.js';
import { freePort } from '../../local/ports.js';
import { projectRoot } from '../../local/service-definition.js';

const PORTS = { PORT: 3000, DYNAMODB_PORT: 8000 };
const held: DataLock[] = [];
const acquire = async (dataDir: string, ports: Record<string, number> = PORTS) => {
  const lock = await acquireDataLock(dataDir, { command: 'npm start', ports });
  held.push(lock);
  return lock;
};
afterEach(async () => {
  for (const lock of held.splice(0)) await lock.release();
});

const tempDir = () => mkdtemp(join(tmpdir(), 'data-lock-'));

/** The pid of a process that has exited (and been reaped). */
const deadPid = async (): Promise<number> => {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
};

const writeLock = (dataDir: string, holder: LockHolder) => writeFile(join(dataDir, LOCK_FILE), JSON.stringify(holder));

describe('the data folder lock', () => {
  it('refuses a second start on the same folder, naming the running stack, and leaves its lock alone', async () => {
    const dataDir = await tempDir();
    const first = await acquire(dataDir);
    const before = await readFile(first.path, 'utf8');

    const second = acquireDataLock(dataDir, { command: 'npm start', ports: { PORT: 3001 } });
    await expect(second).rejects.toBeInstanceOf(DataDirLockedError);
    await expect(second).rejects.toThrow(`pid ${process.pid}`);
    await expect(second).rejects.toThrow('PORT 3000, DYNAMODB_PORT 8000');
    expect(await readFile(first.path, 'utf8')).toBe(before);
  });

  it('lets another data folder start beside it', async () => {
    await acquire(await tempDir());
    const other = await acquire(await tempDir(), { PORT: 3300 });
    expect(other.holder.ports).toEqual({ PORT: 3300 });
  });

  it('is free again once released, and a release leaves a lock another start has taken since', async () => {
    const dataDir = await tempDir();
    const first = await acquire(dataDir);
    await first.release();
    expect(await readdir(dataDir)).toEqual([]);
    const second = await acquire(dataDir);
    await first.release();
    first.releaseSync();
    expect(JSON.parse(await readFile(second.path, 'utf8'))).toEqual(second.holder);
  });

  it('takes over the lock of a run that is gone (kill -9), saying whose it was', async () => {
    const dataDir = await tempDir();
    const dead: LockHolder = { pid: await deadPid(), command: 'npm start', ports: PORTS, startedAt: '2026-01-01T00:00:00.000Z' };
    await writeLock(dataDir, dead);
    const lock = await acquire(dataDir);
    expect(lock.tookOverFrom).toEqual(dead);
    expect(JSON.parse(await readFile(lock.path, 'utf8')).pid).toBe(process.pid);
    expect((await readdir(dataDir)).sort()).toEqual([LOCK_FILE]);
  });

  it('takes over a lock whose pid was reused by another process, and an unreadable one', async () => {
    const reused = await tempDir();
    // This pid is alive, but it is not the process that wrote the lock (another start time).
    await writeLock(reused, { pid: process.pid, processStart: '1', command: 'npm start', ports: PORTS, startedAt: '2026-01-01T00:00:00.000Z' });
    expect((await acquire(reused)).tookOverFrom?.pid).toBe(process.pid);

    const garbled = await tempDir();
    await writeFile(join(garbled, LOCK_FILE), '{"pid":');
    expect((await acquire(garbled)).tookOverFrom?.pid).toBe(0);
  });

  it('tells a live holder from a dead one', async () => {
    expect(holderAlive({ pid: process.pid, command: 'x', ports: {}, startedAt: '' })).toBe(true);
    const start = processStartOf(process.pid);
    if (start !== undefined) expect(holderAlive({ pid: process.pid, processStart: start, command: 'x', ports: {}, startedAt: '' })).toBe(true);
    expect(holderAlive({ pid: await deadPid(), command: 'x', ports: {}, startedAt: '' })).toBe(false);
    expect(holderAlive({ pid: 0, command: 'x', ports: {}, startedAt: '' })).toBe(false);
  });
});

// `npm start`'s refusals come before anything starts: these runs end within seconds.
describe('npm start, refusing', () => {
  const start = (env: Record<string, string>, args: string[] = []) =>
    promisify(execFile)(process.execPath, [join(projectRoot, 'node_modules/tsx/dist/cli.mjs'), 'local/start.ts', ...args], {
      cwd: projectRoot,
      env: { ...process.env, ...env },
      timeout: 60_000,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  const freePorts = async () => Object.fromEntries(await Promise.all(Object.values(PORT_VARIABLES).map(async (v) => [v, String(await freePort())])));

  /** A process that looks like a stack's DynamoDB Local to stopStaleChildren, recorded in the folder's children.json. */
  const fakeChild = async (dataDir: string) => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'DynamoDBLocal.jar'], { stdio: 'ignore' });
    children.push(child);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await writeFile(join(dataDir, 'children.json'), JSON.stringify([{ pid: child.pid, marker: 'DynamoDBLocal.jar' }]));
    return { running: () => child.exitCode === null && child.signalCode === null, exited };
  };
  const children: ReturnType<typeof spawn>[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  it('refuses at once on a data folder a running stack holds, even with --reset, in one line, touching nothing', async () => {
    const dataDir = await tempDir();
    const running = await acquire(dataDir);
    await writeFile(join(dataDir, 'shared-local-instance.db'), 'the running stack’s data');
    const dynamo = await fakeChild(dataDir);
    const lockBefore = await readFile(running.path, 'utf8');

    const result = await start({ LOCAL_DATA_DIR: dataDir, ...(await freePorts()) }, ['--reset']);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining(`in use by a running stack (npm start, pid ${process.pid}`)]);
    expect(await readFile(join(dataDir, 'shared-local-instance.db'), 'utf8')).toBe('the running stack’s data');
    expect(await readFile(running.path, 'utf8')).toBe(lockBefore);
    expect(dynamo.running()).toBe(true);
  }, 60_000);

  it('after a kill -9, takes the lock over and stops the dead run’s children, then refuses on a taken port and releases it', async () => {
    const dataDir = await tempDir();
    await writeLock(dataDir, { pid: await deadPid(), command: 'npm start', ports: PORTS, startedAt: '2026-01-01T00:00:00.000Z' });
    const dynamo = await fakeChild(dataDir);
    const ports = await freePorts();
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(Number(ports.PORT), '127.0.0.1', resolve));
    try {
      const result = await start({ LOCAL_DATA_DIR: dataDir, ...ports });
      expect(result.code).not.toBe(0);
      expect(result.stdout).toContain('no longer running, taken over');
      expect(result.stdout).toContain('stopping DynamoDBLocal.jar');
      await dynamo.exited;
      expect(await readdir(dataDir)).toEqual([]);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  }, 60_000);

  it('refuses on a taken port before --reset deletes anything, and leaves no lock behind', async () => {
    const dataDir = await tempDir();
    await writeFile(join(dataDir, 'shared-local-instance.db'), 'kept');
    const ports = await freePorts();
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(Number(ports.DYNAMODB_PORT), '127.0.0.1', resolve));
    try {
      const result = await start({ LOCAL_DATA_DIR: dataDir, ...ports }, ['--reset']);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(`port ${ports.DYNAMODB_PORT} (dynamodb) is taken`);
      expect(await readdir(dataDir)).toEqual(['shared-local-instance.db']);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  }, 60_000);
});
