import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback proxy in front of DynamoDB Local that answers a share of the requests with a
 * genuine DynamoDB throttling error, so the SDK's own retry and the consumer's failure
 * handling meet the error they would meet in the cloud. It also counts, per operation,
 * the requests that DynamoDB answered with success.
 */
export interface FaultProxy {
  endpoint: string;
  /** Share of requests (0 to 1) answered with ProvisionedThroughputExceededException. */
  throttle: number;
  throttled: number;
  succeeded: Record<string, number>;
  close(): Promise<void>;
}

/** A small deterministic generator, so a run can be replayed. */
export const seeded = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

export const startFaultProxy = async (target: string, random = seeded(42)): Promise<FaultProxy> => {
  const upstream = new URL(target);
  const proxy: FaultProxy = { endpoint: '', throttle: 0, throttled: 0, succeeded: {}, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const operation =
      String(req.headers['x-amz-target'] ?? '')
        .split('.')
        .at(-1) ?? 'unknown';
    if (random() < proxy.throttle) {
      proxy.throttled++;
      req.resume();
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'fault-proxy' });
      res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'Throttled by the fault proxy' }));
      return;
    }
    const forward = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      if (answer.statusCode === 200) proxy.succeeded[operation] = (proxy.succeeded[operation] ?? 0) + 1;
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
};
