import { acceptLanguageField } from '../../schemas/fields.js';
import { headerKey } from '../headers.js';
import type { PurposeMiddleware } from '../purpose-context.js';

/**
 * An Accept-Language the service cannot read (`en_US`, a stray `+`, longer than its 256
 * characters) is disregarded, as RFC 9110 §12.5.4 allows, rather than refused: the answer is
 * then in the route's default language, said in Content-Language. Removed before the
 * negotiation reads it, so no parser ever sees an unbounded header.
 */
export const disregardUnusableLanguage = (): PurposeMiddleware => ({
  before: (request) => {
    const headers = request.event.headers;
    const key = headerKey(headers, 'accept-language');
    if (headers && key !== undefined && !acceptLanguageField.safeParse(headers[key]).success) delete headers[key];
  },
});
