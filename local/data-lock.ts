import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One running stack per data directory. A start creates `<dataDir>/stack.lock` exclusively
 * (`wx`), holding its pid, ports and start time; a second start on the same folder finds it
 * and refuses, touching nothing. A lock whose process is gone (kill -9, a crash) is taken
 * over. Used by `npm start`; meant for any local runtime that keeps data on disk (a replica
 * given an external database takes no lock).
 */
export const LOCK_FILE = 'stack.lock';

export interface LockHolder {
  pid: number;
  /** The kernel's start time of that pid (/proc/<pid>/stat), so a reused pid is not taken for the holder. */
  processStart?: string;
  /** What holds it (e.g. `npm start`), for the refusal line. */
  command: string;
  ports: Record<string, number>;
  startedAt: string;
  /** Tells two takes of one process apart (two starts in the same millisecond share pid and startedAt). */
  token?: string;
}

export interface DataLock {
  path: string;
  holder: LockHolder;
  /** The holder of a lock left by a process that is gone, which this one replaced. */
  tookOverFrom?: LockHolder;
  /** Removes the lock if it is still this process's (idempotent). */
  release(): Promise<void>;
  /** The same, synchronously: for `process.on('exit')`. */
  releaseSync(): void;
}

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    const ports = Object.entries(holder.ports)
      .map(([name, port]) => `${name} ${port}`)
      .join(', ');
    super(
      `${dataDir} is in use by a running stack (${holder.command}, pid ${holder.pid}, started ${holder.startedAt}, ports ${ports}): ` +
        'stop it first, or run another stack with its own LOCAL_DATA_DIR and ports (or from another checkout)',
    );
  }
}

/** Field 22 of /proc/<pid>/stat (after the command, which may hold spaces); undefined off Linux. */
export const processStartOf = (pid: number): string | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
};

const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Whether the lock's process still runs: its pid is alive and, where /proc tells, is the same process. */
export const holderAlive = (holder: LockHolder): boolean => {
  if (!Number.isInteger(holder.pid) || holder.pid <= 0 || !pidAlive(holder.pid)) return false;
  const start = processStartOf(holder.pid);
  return holder.processStart === undefined || start === undefined || start === holder.processStart;
};

const readHolder = async (path: string): Promise<LockHolder | undefined> => {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockHolder;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // Unreadable or half-written: its writer died between open and write (a live one writes in one call).
    return { pid: 0, command: 'unknown', ports: {}, startedAt: 'unknown' };
  }
};

const sameHolder = (a: LockHolder | undefined, b: LockHolder) =>
  a?.pid === b.pid && a.processStart === b.processStart && a.startedAt === b.startedAt && a.token === b.token;

export interface AcquireOptions {
  command: string;
  ports: Record<string, number>;
}

/**
 * Takes the data directory's lock or throws DataDirLockedError naming the running stack.
 * Two starts racing for a dead run's lock: the one that moves it aside second finds the
 * other's live lock in hand, puts it back and refuses (takeOver).
 */
export const acquireDataLock = async (dataDir: string, { command, ports }: AcquireOptions): Promise<DataLock> => {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, command, ports, startedAt: new Date().toISOString(), token: randomUUID() };
  const start = processStartOf(process.pid);
  if (start !== undefined) holder.processStart = start;
  let tookOverFrom: LockHolder | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(path, `${JSON.stringify(holder)}\n`, { flag: 'wx' });
      return lockOf(path, holder, tookOverFrom);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const existing = await readHolder(path);
    if (existing === undefined) continue;
    if (holderAlive(existing)) throw new DataDirLockedError(dataDir, existing);
    if (await takeOver(path, existing, dataDir)) tookOverFrom = existing;
  }
  const existing = await readHolder(path);
  throw existing ? new DataDirLockedError(dataDir, existing) : new Error(`could not take the lock ${path}`);
};

/**
 * Moves a dead run's lock aside under this process's own name (rename is atomic: one mover
 * wins). If what was moved is not that dead lock but a live one another start created
 * meanwhile, it is put back (link: never over a newer one) and this start refuses.
 */
const takeOver = async (path: string, dead: LockHolder, dataDir: string): Promise<boolean> => {
  const aside = `${path}.stale-${process.pid}`;
  try {
    await rename(path, aside);
  } catch {
    return false;
  }
  const moved = await readHolder(aside);
  if (moved && !sameHolder(moved, dead) && holderAlive(moved)) {
    await link(aside, path).catch(() => {});
    await rm(aside, { force: true });
    throw new DataDirLockedError(dataDir, moved);
  }
  await rm(aside, { force: true });
  return true;
};

const lockOf = (path: string, holder: LockHolder, tookOverFrom: LockHolder | undefined): DataLock => {
  const ours = (text: string) => {
    try {
      return sameHolder(JSON.parse(text) as LockHolder, holder);
    } catch {
      return false;
    }
  };
  return {
    path,
    holder,
    ...(tookOverFrom ? { tookOverFrom } : {}),
    async release() {
      // Never remove a lock another start has taken since (it would then run unguarded).
      const text = await readFile(path, 'utf8').catch(() => '');
      if (ours(text)) await rm(path, { force: true });
    },
    releaseSync() {
      try {
        if (ours(readFileSync(path, 'utf8'))) unlinkSync(path);
      } catch {
        // Already gone.
      }
    },
  };
};
