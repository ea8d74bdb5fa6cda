import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Which test files may run at the same time on one local cloud. The files of all projects run
 * in parallel (vitest.config.ts), but the fake sources' faults and hit counters are one state
 * per cloud: a file that sets a fault (`setFault`) or counts a source's hits (`sourceHits`)
 * would fail its neighbours, or be failed by them. So each cloud has a readers-writer lock:
 * every file of the cloud holds it shared for its run, and a file that touches that state holds
 * it alone (test/support/cloud-lock-setup.ts decides, from the file's text). A waiting exclusive
 * request goes before later shared ones, so it is never starved. The files of one cloud never
 * wait for another cloud's.
 *
 * The lock lives in the process of the global setup that started the cloud; the test workers
 * reach it over loopback HTTP (CLOUD_LOCK_URL in the provided environment).
 */
export type LockMode = 'shared' | 'exclusive';

interface Waiter {
  id: string;
  mode: LockMode;
  grant: () => void;
}

export const startCloudLock = async (): Promise<{ url: string; stop(): Promise<void> }> => {
  const holders = new Map<string, LockMode>();
  const queue: Waiter[] = [];
  const grantable = (mode: LockMode) => (mode === 'exclusive' ? holders.size === 0 : ![...holders.values()].includes('exclusive'));
  const drain = () => {
    // FIFO: a waiting exclusive request stops the shared ones behind it.
    while (queue.length > 0 && grantable(queue[0]!.mode)) {
      const next = queue.shift()!;
      holders.set(next.id, next.mode);
      next.grant();
    }
  };
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const id = url.searchParams.get('id') ?? '';
    if (request.method === 'POST' && url.pathname === '/acquire') {
      const mode: LockMode = url.searchParams.get('mode') === 'exclusive' ? 'exclusive' : 'shared';
      queue.push({ id, mode, grant: () => response.end('granted') });
      // A worker gone while waiting (its request aborted) leaves the queue.
      request.once('close', () => {
        if (!response.writableEnded) {
          const at = queue.findIndex((w) => w.id === id);
          if (at >= 0) queue.splice(at, 1);
          drain();
        }
      });
      drain();
      return;
    }
    if (request.method === 'POST' && url.pathname === '/release') {
      holders.delete(id);
      drain();
      response.end('released');
      return;
    }
    response.statusCode = 404;
    response.end();
  });
  // Waiting requests are long polls: no time-out on the server's side.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
