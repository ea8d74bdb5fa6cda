import * as z from 'zod/mini';
import '../schemas/locale.js';
import { cursorField, instantField, nameField } from '../schemas/fields.js';
import { definePurpose, httpBinding } from './purpose.js';

/**
 * A citizen's view of who consulted their data through these exchanges: the right of
 * access (GDPR art. 15(1)(c): the recipients to whom the data have been disclosed). Read
 * from the audit trail through the keyed hash of the citizen's own NISS; no source is read,
 * nothing is stored but the audit record of the lookup itself.
 */
export const subjectAccess = definePurpose({
  id: 'SUBJECT_ACCESS_LOG',
  deliberation: 'GDPR art. 15',
  description: 'Show a logged-in citizen every audited access to their own data: when, for which purpose, by which role and organisation, with what outcome.',
  sources: {},
  retention: { kind: 'none', source: 'GDPR art. 15: shown to the citizen, never stored (decided; only the audit record of the lookup is kept)' },
});

/** The most records a page holds, and the longest cursor the list writes (and so accepts back). */
const ACCESS_LOG_PAGE_MAX = 100;
const ACCESS_LOG_CURSOR_MAX = 200;

export const ACCESS_LOG_FIELDS = ['at', 'purpose', 'deliberation', 'actorRole', 'actorOrganisation', 'outcome', 'listed'] as const;

/** GET /v1/me/access-log: the citizen's own accesses, newest first, `{ items, next }`. */
export const readAccessLog = httpBinding({
  purpose: subjectAccess,
  route: { method: 'GET', path: '/v1/me/access-log', successStatus: 200 },
  summary: 'Who consulted the citizen’s data, newest first',
  actors: [{ role: 'citizen', binding: 'own-niss' }],
  // No subject in the request: it is the token's, always.
  input: {
    query: z.strictObject({
      limit: z._default(z.coerce.number().check(z.int({ error: 'expected a whole number' }), z.gte(1), z.lte(ACCESS_LOG_PAGE_MAX)), 20),
      cursor: z.optional(cursorField(ACCESS_LOG_CURSOR_MAX)),
    }),
  },
  subject: {},
  answer: z.object({
    items: z
      .array(
        z.object({
          at: instantField,
          purpose: nameField,
          deliberation: nameField,
          actorRole: nameField,
          actorOrganisation: z.optional(nameField),
          outcome: z.enum(['ALLOWED', 'DENIED', 'FAILED']),
          listed: z
            .optional(z.boolean())
            .check(z.describe('true when the citizen’s data appeared in a list (a page of claims); absent for an access to it alone')),
        }),
      )
      .check(z.maxLength(ACCESS_LOG_PAGE_MAX)),
    next: z.nullable(cursorField(ACCESS_LOG_CURSOR_MAX)),
  }),
  output: { citizen: [...ACCESS_LOG_FIELDS.map((f) => `items[].${f}`), 'next'] },
});
