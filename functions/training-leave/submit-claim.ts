import { createHash } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createSqsClient } from '../../shared/aws/clients.js';
import { config } from '../../shared/config/env.js';
import { purposeHandler } from '../../shared/http/purpose-handler.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { submitTrainingLeaveClaim } from '../../shared/purposes/catalogue.js';
import { claimStore } from '../../shared/storage/claim-store-instance.js';

/**
 * POST /v1/training-leave/claims (deliberation 19/038). Stores the claim as RECEIVED and
 * queues its id (only the id: no personal data travels on the queue). The same
 * submission twice (same Idempotency-Key, or no key and the same content) makes one claim
 * and answers the same id: the id derives from the employer and the key (or the content),
 * and the claim is created only if absent.
 */
let sqs: SQSClient | undefined;

const canonical = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonical).join(',')}]`
    : value && typeof value === 'object'
      ? `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`
      : JSON.stringify(value);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A UUID (version 8: custom) from a hash, so that the same submission always gets the same id. */
const uuidFrom = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;

export const handler = purposeHandler(submitTrainingLeaveClaim, async ({ input, headers, now }) => {
  const key = headers['idempotency-key'];
  if (key !== undefined && !/^[\x21-\x7e]{1,128}$/.test(key)) {
    throw new HttpProblem(400, 'VALIDATION_FAILED', 'Bad request', 'headers.idempotency-key: expected 1 to 128 visible ASCII characters', {
      errors: [{ path: 'headers.idempotency-key', message: 'expected 1 to 128 visible ASCII characters' }],
    });
  }
  const body = input.body;
  const requestHash = sha256(canonical(body));
  const claimId = uuidFrom(sha256(`${body.employerEnterpriseNumber}|${key === undefined ? `content:${requestHash}` : `key:${key}`}`));

  const { claim, created } = await claimStore().create({ ...body, claimId, status: 'RECEIVED', submittedAt: now.toISOString(), requestHash });
  if (!created && claim.requestHash !== requestHash) {
    throw new HttpProblem(422, 'IDEMPOTENCY_KEY_REUSED', 'Unprocessable content', 'This Idempotency-Key was already used for a different claim; use a new key for a new claim.');
  }
  // Sent again on a replay while the claim waits: the first send may have failed after the
  // claim was stored. The consumer decides a claim once, however often its id arrives.
  if (claim.status === 'RECEIVED') {
    await (sqs ??= createSqsClient(config())).send(new SendMessageCommand({ QueueUrl: config().claimQueueUrl, MessageBody: JSON.stringify({ claimId }) }));
  }
  return {
    status: 202,
    body: { claimId, status: claim.status },
    headers: { location: `/v1/training-leave/claims/${claimId}` },
  };
});
