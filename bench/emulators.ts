import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** The emulators in a child process (outside the measured one); resolves with the environment it prints once up. */
export const startEmulators = async (args: string[]) => {
  const tsx = new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url).pathname;
  const child = spawn(process.execPath, [tsx, new URL('../local/emulators.ts', import.meta.url).pathname, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the emulators exited with code ${code}`)));
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  const { env, queues, apiUrl } = JSON.parse(line) as { env: Record<string, string>; queues: Record<string, { url: string; arn: string }>; apiUrl?: string };
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { env, queues, apiUrl, pid: child.pid!, stop };
};
