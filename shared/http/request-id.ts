import { v5 as uuidv5 } from 'uuid';

/**
 * Ids derived from what a request is, so that the same request twice names the same
 * resource and a conditional write stores it once. RFC 9562 name-based UUIDs (v5) under
 * the service's own namespace. Parts that hold personal data must be keyed digests
 * (shared/privacy/pseudonymiser.ts), never the data or an unkeyed hash of it.
 */
const NAMESPACE = uuidv5('https://bcss-exchanges.example/ids', uuidv5.URL);

/** JSON with object keys sorted at every depth: the same content, the same text. */
export const canonicalJson = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonicalJson).join(',')}]`
    : value && typeof value === 'object'
      ? `{${Object.keys(value)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(value);

export const derivedId = (...parts: string[]): string => uuidv5(parts.join('|'), NAMESPACE);
