import type { PurposeMiddleware } from '../purpose-context.js';
import { problems } from '../problems.js';

export interface LimitBodyOptions {
  /** Largest body accepted, in bytes of the decoded text. */
  maxBytes: number;
}

/**
 * Refuses a body larger than any request of the route can be (413), before anything
 * parses it: a 6 MB body of 400 000 keys would otherwise cost seconds of CPU and hundreds
 * of MB in two parsers before validation refuses it.
 */
export const limitBody = ({ maxBytes }: LimitBodyOptions): PurposeMiddleware => {
  const limitBodyBefore: PurposeMiddleware['before'] = (request) => {
    const { body, isBase64Encoded } = request.event;
    if (typeof body !== 'string') return;
    const bytes = isBase64Encoded ? Math.floor((body.length * 3) / 4) : Buffer.byteLength(body, 'utf8');
    if (bytes > maxBytes) throw problems.payloadTooLarge(maxBytes);
  };
  return { before: limitBodyBefore };
};
