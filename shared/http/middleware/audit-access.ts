import { actorOrganisation } from '../../auth/principal.js';
import type { AuditSink } from '../../audit/audit-trail.js';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AnyHttpBinding } from '../../purposes/purpose.js';
import type { HttpResult } from '../http-handler.js';
import { HttpProblem, problemResponse } from '../problem.js';
import type { PurposeMiddleware, PurposeRequest } from '../purpose-context.js';
import { problems } from '../problems.js';

export interface AuditAccessOptions {
  binding: Pick<AnyHttpBinding, 'purpose'>;
  audit: () => AuditSink;
  logger: Pick<Logger, 'error'>;
}

/**
 * One audit record per request, whatever its outcome: when, the purpose, the role and
 * organisation or team that asked (never a person), the outcome, and a keyed hash of the
 * subject. A refusal before authentication names no one and is kept briefly (see
 * AuditTrail). An allowed access that cannot be recorded is not served (503); the
 * functions' own writes are idempotent, so the client's retry stores nothing twice.
 */
export const auditAccess = ({ binding, audit, logger }: AuditAccessOptions): PurposeMiddleware => {
  const { purpose } = binding;
  const record = async (request: PurposeRequest) => {
    const state = request.context.purpose ?? {};
    const status = request.response?.statusCode ?? 500;
    const code = request.error instanceof HttpProblem ? request.error.code : undefined;
    const outcome = status < 400 ? 'ALLOWED' : status < 500 ? 'DENIED' : 'FAILED';
    try {
      await audit().record({
        purpose: purpose.id,
        deliberation: purpose.deliberation,
        requestId: request.context.awsRequestId,
        actorRole: state.principal?.role ?? 'anonymous',
        ...(state.principal ? { actorOrganisation: actorOrganisation(state.principal) } : {}),
        outcome,
        status,
        ...(code ? { code } : {}),
        ...(state.subjectNiss ? { subjectNiss: state.subjectNiss } : {}),
        ...(state.subjectHash ? { subjectHash: state.subjectHash } : {}),
      });
    } catch (error) {
      logger.error('audit record could not be written', { errorName: (error as Error).name, purpose: purpose.id });
      if (outcome === 'ALLOWED') request.response = problemResponse(problems.auditUnavailable(), request.context.awsRequestId) satisfies HttpResult;
    }
  };
  return { after: record, onError: record };
};
