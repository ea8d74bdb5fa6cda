import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { oslsBin, projectRoot } from './service-definition.js';
import { waitFor } from './ports.js';

export interface Offline {
  url: string;
  lambdaEndpoint: string;
  process: ChildProcess;
  /** Last lines the Framework printed, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * serverless-offline through osls (`serverless-offline` pulls in a peer `serverless`
 * package whose bin would shadow osls, so we call osls's own entry point). It bundles
 * each function with serverless-esbuild exactly as `osls package` does.
 */
export const startOffline = async ({
  env,
  httpPort,
  lambdaPort,
  onOutput,
  readyTimeoutMs = 90_000,
}: {
  env: Record<string, string>;
  httpPort: number;
  lambdaPort: number;
  onOutput?: (line: string) => void;
  readyTimeoutMs?: number;
}): Promise<Offline> => {
  const workFolder = `.local/build/offline-${httpPort}`;
  // A young generation of 2 × 32 MiB: V8's default on this kind of machine grew it to 128 MiB
  // under the local API's load (about 150 MiB of live heap), and the whole tree past 1 GiB
  // (BENCHMARKS.md, "Memory of npm start"). 16 MiB cost the tail: more objects promoted.
  const child = spawn(process.execPath, ['--max-semi-space-size=32', oslsBin(), 'offline', 'start', '--stage', 'local'], {
    cwd: projectRoot,
    // Its own build folder: another command's build (npm run package, another cloud) never
    // deletes the bundles this one serves.
    // Warnings and errors only: serverless-offline's four lines per request (written
    // synchronously to a pipe) took 7 % of its CPU under load; the functions' own logs stay.
    env: {
      SLS_LOG_LEVEL: 'warning',
      ...process.env,
      ...env,
      PORT: String(httpPort),
      LAMBDA_PORT: String(lambdaPort),
      ESBUILD_WORK_FOLDER: workFolder,
      // One function bundled at a time: all at once, esbuild's service held 1.3-1.5 GB (serverless/stop-esbuild.cjs).
      ESBUILD_CONCURRENCY: '1',
      // esbuild (a Go program) collects its garbage before passing this: its service held
      // 230-260 MB at the peak of the bundling, about 160 MB with it, in the same time.
      GOMEMLIMIT: '192MiB',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-8_000);
    if (onOutput) for (const line of text.split('\n')) if (line.trim()) onOutput(line);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = `http://127.0.0.1:${httpPort}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(join(projectRoot, workFolder), { recursive: true, force: true });
  };
  try {
    await waitFor(
      'serverless-offline',
      async () => {
        if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}:\n${tail}`);
        await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(5_000) });
      },
      readyTimeoutMs,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, lambdaEndpoint: `http://127.0.0.1:${lambdaPort}`, process: child, output: () => tail, stop };
};
