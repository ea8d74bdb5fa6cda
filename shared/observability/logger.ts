import { LogFormatter, LogItem, Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { settings } from '../config/env.js';
import { maskDeep } from '../privacy/mask.js';

/**
 * Powertools' standard JSON log line, with every NISS-like and enterprise-number-like
 * value masked, in the message and in every attribute. Masking in the formatter (rather
 * than at each call site) means a forgotten call site cannot leak an identifier.
 */
export class MaskingLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const base = {
      level: attributes.logLevel,
      message: attributes.message,
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: attributes.lambdaContext?.coldStart,
      function_name: attributes.lambdaContext?.functionName,
      function_request_id: attributes.lambdaContext?.awsRequestId,
      xray_trace_id: attributes.xRayTraceId,
    };
    return new LogItem({ attributes: maskDeep({ ...base, ...additional }) as LogAttributes });
  }
}

/** One logger per container. Events and bodies are never logged (logEvent stays off). */
export const logger = new Logger({
  serviceName: settings().serviceName,
  logFormatter: new MaskingLogFormatter(),
});
