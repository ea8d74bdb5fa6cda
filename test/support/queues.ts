import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Queue helpers for tests that talk to the real SQS emulator. */
export const queueHelpers = (sqs: SQSClient) => {
  /** A fresh queue pair per test; by default visibility 1 s and dead-letter after 2 receives. */
  const queuePair = async ({ visibility = 1, maxReceiveCount = 2 } = {}) => {
    const suffix = Math.random().toString(36).slice(2, 10);
    const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `test-dlq-${suffix}` }))).QueueUrl!;
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const url = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: `test-${suffix}`,
          Attributes: { VisibilityTimeout: String(visibility), RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }) },
        }),
      )
    ).QueueUrl!;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    return { url, arn, dlqUrl };
  };

  const send = (url: string, bodies: string[]) =>
    sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: bodies.map((body, i) => ({ Id: String(i), MessageBody: body })) }));

  /** Messages still on a queue, counted by receiving them once in-flight ones are visible again
   * (the emulator's ApproximateNumberOfMessages also counts in-flight messages). */
  const remaining = async (url: string): Promise<number> => {
    const ids = new Set<string>();
    for (let round = 0; round < 3; round++) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: round === 0 ? 2 : 0, VisibilityTimeout: 30 }),
      );
      for (const m of Messages) ids.add(m.MessageId!);
      if (Messages.length === 0 && round > 0) break;
    }
    return ids.size;
  };

  /** Dead-letter queues are never read here, so the approximate count is exact. */
  const deadLettered = async (url: string): Promise<number> =>
    Number(
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes!
        .ApproximateNumberOfMessages,
    );
  return { queuePair, send, remaining, deadLettered };
};
