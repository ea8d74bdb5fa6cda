import type { AccessLog } from '../../shared/audit/audit-trail.js';
import { platform, purposeDeps } from '../../shared/composition/platform.js';
import { purposeHandler, type PurposeDeps } from '../../shared/http/purpose-handler.js';
import { readAccessLog } from '../../shared/purposes/access-log.js';

/**
 * GET /v1/me/access-log (GDPR art. 15): every audited access that concerned the citizen's
 * own NISS — when, the purpose and its deliberation, the role and organisation or team that
 * asked (never a person), the outcome — newest first, `{ items, next }`. Found through the
 * keyed hash of the token's NISS under every accepted key; another citizen's accesses cannot
 * appear. The lookup itself is audited like any access, so it shows in the next page view.
 */
export interface AccessLogDeps extends PurposeDeps {
  /** The audit trail's lookup by subject, on whichever engine keeps it. */
  accessLog: AccessLog;
}

export const accessLogDeps = (): AccessLogDeps => {
  const p = platform();
  return { ...purposeDeps(readAccessLog.purpose, p), accessLog: p.storage.audit };
};

export const createAccessLogHandler = (deps: () => AccessLogDeps) =>
  purposeHandler(readAccessLog, {
    deps,
    handle: async ({ principal, input }, { accessLog }) => {
      if (principal.role !== 'citizen') throw new Error('the access log binds citizens only');
      const { limit, cursor } = input.query;
      // A cursor it did not give is a 400 naming the field (problem-error-handler.ts).
      const page = await accessLog.accessesTo(principal.niss, { limit, ...(cursor !== undefined ? { cursor } : {}) });
      return { body: { items: page.items, next: page.next ?? null } };
    },
  });

export const handler = createAccessLogHandler(accessLogDeps);
