import { readFile, mkdir, writeFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The children of a local cloud that was killed with `kill -9` (or crashed) keep running
 * and hold their ports. `npm start` writes its children's pids to a file; the next start
 * stops those still alive, after checking on /proc that each is still what we started (a
 * reused pid is left alone).
 */
export interface Child {
  pid: number;
  /** A string the process's command line must contain (e.g. DynamoDBLocal.jar). */
  marker: string;
}

const commandLine = async (pid: number): Promise<string | undefined> => {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export const stopStaleChildren = async (pidFile: string, log: (line: string) => void = () => {}): Promise<number> => {
  let children: Child[];
  try {
    children = JSON.parse(await readFile(pidFile, 'utf8')) as Child[];
  } catch {
    return 0;
  }
  let stopped = 0;
  for (const { pid, marker } of children) {
    if (!alive(pid) || !(await commandLine(pid))?.includes(marker)) continue;
    log(`stopping ${marker} (pid ${pid}) left running by an earlier start`);
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 25 && alive(pid); i++) await sleep(200);
    if (alive(pid)) process.kill(pid, 'SIGKILL');
    stopped++;
  }
  await rm(pidFile, { force: true });
  return stopped;
};

export const recordChildren = async (pidFile: string, children: Child[]): Promise<void> => {
  await mkdir(dirname(pidFile), { recursive: true });
  await writeFile(pidFile, JSON.stringify(children));
};
