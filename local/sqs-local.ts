import type { Server } from 'node:http';
import { createSqsServer } from 'local-aws-sqs';

/** local-aws-sqs: an in-process SQS emulator speaking the JSON protocol of SDK v3. */
export const LOCAL_ACCOUNT_ID = '000000000000';

export interface SqsLocal {
  endpoint: string;
  server: Server;
  stop(): Promise<void>;
}

export const startSqsLocal = async ({ port, region }: { port: number; region: string }): Promise<SqsLocal> => {
  const server = await createSqsServer({
    port,
    hostname: '127.0.0.1',
    region,
    accountId: LOCAL_ACCOUNT_ID,
    // Tests recreate queues freely; AWS's 60-second wait after deletion would only slow them.
    emulateQueueCreationLifecycle: false,
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
