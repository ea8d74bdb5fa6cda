import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { AuditSink } from '../audit/audit-trail.js';
import { once } from '../config/once.js';
import { logger } from '../observability/logger.js';
import { withHashScope } from '../privacy/pseudonymiser.js';
import type { QueueBinding } from '../purposes/purpose.js';
import type { PurposeSources } from '../sources/purpose-sources.js';

/**
 * The purpose-bound stack of a queue consumer. Each record's message is parsed against
 * the binding's schema (a message that does not fit fails alone and ends in the
 * dead-letter queue), and every record that reads a source is
 * audited under the binding's purpose: the organisation the consumer reads for, the
 * subject's keyed hash, the sources read, the outcome.
 *
 * The function calls `trace()` once it has read the sources and before it writes
 * anything that rests on them: if the audit trail is down, nothing is decided and the
 * record is retried. A record that fails after reading is audited as FAILED.
 */
/** A message that can never be processed: it fails alone and ends in the dead-letter queue. */
export class PoisonMessageError extends Error {
  override name = 'PoisonMessageError';
}

export interface ConsumerDeps {
  sources: PurposeSources;
  /** A consumer answers no caller, so it discloses nothing: its own records only. */
  audit: Pick<AuditSink, 'record' | 'prepare'>;
}

/**
 * One message as every front door hands it to the core: its id (SQS messageId, pg-boss job
 * id), its body, and which delivery this is (1 for the first; SQS ApproximateReceiveCount,
 * pg-boss retryCount + 1).
 */
export interface QueueRecord {
  id: string;
  body: string;
  attempt: number;
}

/** The SQS front door's view of a record. */
export const fromSqsRecord = (record: SQSRecord): QueueRecord => ({
  id: record.messageId,
  body: record.body,
  attempt: Number(record.attributes?.ApproximateReceiveCount ?? 1) || 1,
});

export interface ConsumerCall<M> {
  message: M;
  record: QueueRecord;
  /** The sources, recording which ones this record reads. */
  sources: PurposeSources;
  /** Names the person the record is about, for the audit record. */
  subject(niss: string): Promise<void>;
  /** Writes the audit record of the reads so far (ALLOWED); throws if it cannot. */
  trace(): Promise<void>;
}

export interface ConsumerSpec<M, D extends ConsumerDeps> {
  deps: () => D;
  handle: (call: ConsumerCall<M>, deps: D) => Promise<void>;
}

/**
 * The framework-free core: one record in, resolved when it is done, rejected when it must
 * be retried (PoisonMessageError: never worth retrying). Each front door (the SQS batch
 * below, the container's pg-boss worker) maps its records onto it and its failures back.
 */
export const queueRecordProcessor = <M, D extends ConsumerDeps>(binding: QueueBinding<M>, spec: ConsumerSpec<M, D>) => {
  const deps = once(spec.deps);
  const { purpose, actor } = binding;

  const processRecord = async (record: QueueRecord) => {
    // Parsed here with the binding's zod schema rather than Powertools' batch parser, which
    // imports all of zod with its locales (measured: +0.36 MB in the consumer's bundle).
    let message: M;
    try {
      message = binding.message.parse(JSON.parse(record.body));
    } catch {
      throw new PoisonMessageError(`message ${record.id} does not fit the message schema of ${purpose.id}`);
    }
    const d = deps();
    const sources = d.sources.recording();
    let subjectNiss: string | undefined;
    let traced = false;
    const write = (outcome: 'ALLOWED' | 'FAILED') =>
      d.audit.record({
        purpose: purpose.id,
        deliberation: purpose.deliberation,
        requestId: record.id,
        actorRole: actor.role,
        actorOrganisation: actor.organisation,
        outcome,
        sources: [...sources.read].sort(),
        ...(subjectNiss ? { subjectNiss } : {}),
      });
    const call: ConsumerCall<M> = {
      message,
      record,
      sources,
      // Hashed now, before any source is read: if KMS cannot answer, nothing is read untraced.
      subject: async (niss) => {
        subjectNiss = niss;
        await d.audit.prepare?.(niss);
      },
      trace: async () => {
        await write('ALLOWED');
        traced = true;
      },
    };
    try {
      await spec.handle(call, d);
      if (!traced && sources.read.size > 0) await write('ALLOWED');
    } catch (error) {
      // The reads are traced as failed, whether or not an ALLOWED record preceded them: the
      // trail shows what the reads came to.
      if (sources.read.size > 0) {
        await write('FAILED').catch((auditError: Error) =>
          logger.error('audit record could not be written', { errorName: auditError.name, purpose: purpose.id }),
        );
      }
      throw error;
    }
  };

  // A cache of subject hashes per record: the audit record and the storage keys hash the same NISS.
  return (record: QueueRecord): Promise<void> => withHashScope(() => processRecord(record));
};

/** The SQS front door (Lambda's trigger, `ReportBatchItemFailures`): Powertools' batch processor over the core. */
export const purposeConsumer = <M, D extends ConsumerDeps>(binding: QueueBinding<M>, spec: ConsumerSpec<M, D>) => {
  const processRecord = queueRecordProcessor(binding, spec);
  return middy<SQSEvent, SQSBatchResponse>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { clearState: true }))
    .handler(async (event, context) =>
      // A processor per invocation: it holds the batch's state, and locally several pollers
      // invoke one handler concurrently in one process (Lambda runs one invocation at a time).
      processPartialResponse(event, (record: SQSRecord) => processRecord(fromSqsRecord(record)), new BatchProcessor(EventType.SQS), {
        context,
        throwOnFullBatchFailure: false,
      }),
    );
};
