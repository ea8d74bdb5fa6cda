import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ClaimQueue } from '../domain/training-leave/ports.js';

/** The claim queue on SQS: only the claim id travels (no personal data on the queue). */
export class SqsClaimQueue implements ClaimQueue {
  constructor(
    private readonly sqs: () => SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(claimId: string): Promise<void> {
    await this.sqs().send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify({ claimId }) }));
  }

  /** Sends many ids, ten per request; throws if any entry was not accepted (the caller runs again). */
  async enqueueAll(claimIds: readonly string[]): Promise<void> {
    for (let i = 0; i < claimIds.length; i += 10) {
      const batch = claimIds.slice(i, i + 10);
      const { Failed = [] } = await this.sqs().send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((claimId, j) => ({ Id: String(j), MessageBody: JSON.stringify({ claimId }) })),
        }),
      );
      if (Failed.length > 0) throw new Error(`${Failed.length} of ${batch.length} claim ids were not queued (${Failed[0]?.Code ?? 'unknown'})`);
    }
  }
}
