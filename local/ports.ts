import { setTimeout as sleep } from 'node:timers/promises';
import { createServer } from 'node:net';

/** A port free on 127.0.0.1 right now (the OS picks it). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Whether something already listens on `port` (on 127.0.0.1, or on any interface). */
const taken = (port: number, host: string): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE' || error.code === 'EACCES'));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(false)));
  });

export class PortTakenError extends Error {
  override name = 'PortTakenError';
}

/**
 * Fails at once, in one line, when a port the local cloud needs is taken: naming the port,
 * what wanted it and the variable that moves it. Checked on 127.0.0.1 and on every
 * interface, since DynamoDB Local cannot bind to loopback only.
 */
export const assertPortsFree = async (ports: { port: number; what: string; variable: string }[]): Promise<void> => {
  const busy: string[] = [];
  for (const { port, what, variable } of ports) {
    if ((await taken(port, '127.0.0.1')) || (await taken(port, '0.0.0.0')))
      busy.push(`port ${port} (${what}) is taken: stop what uses it, or set ${variable} to another port`);
  }
  if (busy.length > 0) throw new PortTakenError(busy.join('; '));
};

/** Polls `probe` until it resolves, or fails with the last error after `timeoutMs`. */
export const waitFor = async (what: string, probe: () => Promise<unknown>, timeoutMs = 30_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error;
      await sleep(200);
    }
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms: ${(lastError as Error)?.message ?? lastError}`);
};
