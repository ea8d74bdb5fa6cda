import { actorOrganisation } from '../../auth/principal.js';
import type { AuditEntry, AuditSink } from '../../audit/audit-trail.js';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AnyHttpBinding } from '../../purposes/purpose.js';
import type { HttpResult } from '../http-handler.js';
import { acceptLanguageOf, HttpProblem, problemLanguage, problemResponse } from '../problem.js';
import type { PurposeMiddleware, PurposeRequest } from '../purpose-context.js';
import { problems } from '../problems.js';

export interface AuditAccessOptions {
  binding: Pick<AnyHttpBinding, 'purpose' | 'languages'> & { route?: AnyHttpBinding['route'] };
  audit: () => AuditSink;
  logger: Pick<Logger, 'error'>;
}

/**
 * One audit record per request, whatever its outcome: when, the purpose, the role and
 * organisation or team that asked (never a person), the outcome, and a keyed hash of the
 * subject, and the route. A refusal before authentication names no one: it is kept briefly
 * and counted, one aggregate per route, status, reason and minute (isAnonymousRefusal). An allowed access that cannot be recorded is not served (503); the
 * functions' own writes are idempotent, so the client's retry stores nothing twice.
 *
 * An allowed answer that lists people (`disclosedSubjects`, e.g. a page of claims) also
 * gets one record per person, written first: if they cannot all be written the list is not
 * served (503), and the request's own record says so (FAILED, AUDIT_UNAVAILABLE), so the
 * trail never holds an ALLOWED list whose disclosures went unrecorded.
 */
export const auditAccess = ({ binding, audit, logger }: AuditAccessOptions): PurposeMiddleware => {
  const { purpose } = binding;
  const route = binding.route ? `${binding.route.method} ${binding.route.path}` : undefined;
  const unavailable = (request: PurposeRequest) => {
    const language = problemLanguage(acceptLanguageOf(request.event.headers), binding.languages?.[0]);
    request.response = problemResponse(problems.auditUnavailable(), request.context.awsRequestId, language) satisfies HttpResult;
  };
  const record = async (request: PurposeRequest) => {
    const state = request.context.purpose ?? {};
    let status = request.response?.statusCode ?? 500;
    let code = request.error instanceof HttpProblem ? request.error.code : undefined;
    let outcome: AuditEntry['outcome'] = status < 400 ? 'ALLOWED' : status < 500 ? 'DENIED' : 'FAILED';
    const who = {
      purpose: purpose.id,
      deliberation: purpose.deliberation,
      requestId: request.context.awsRequestId,
      ...(route ? { route } : {}),
      actorRole: state.principal?.role ?? 'anonymous',
      ...(state.principal ? { actorOrganisation: actorOrganisation(state.principal) } : {}),
    };
    const disclosed = state.disclosedSubjects ?? [];
    if (outcome === 'ALLOWED' && disclosed.length > 0) {
      try {
        await audit().recordDisclosures({ ...who, outcome: 'ALLOWED', status }, disclosed);
      } catch (error) {
        logger.error('disclosure records could not be written', { errorName: (error as Error).name, purpose: purpose.id, subjects: disclosed.length });
        unavailable(request);
        [outcome, status, code] = ['FAILED', 503, 'AUDIT_UNAVAILABLE'];
      }
    }
    try {
      await audit().record({
        ...who,
        outcome,
        status,
        ...(code ? { code } : {}),
        ...(state.subjectNiss ? { subjectNiss: state.subjectNiss } : {}),
        ...(state.subjectHash ? { subjectHash: state.subjectHash } : {}),
      });
    } catch (error) {
      logger.error('audit record could not be written', { errorName: (error as Error).name, purpose: purpose.id });
      if (outcome === 'ALLOWED') unavailable(request);
    }
  };
  return { after: record, onError: record };
};
