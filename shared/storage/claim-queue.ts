import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
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
}
