import type { Principal } from '../../auth/principal.js';
import type { AuditSink } from '../../audit/audit-trail.js';
import type { AnyHttpBinding, SubjectGate } from '../../purposes/purpose.js';
import { type PurposeMiddleware, required, stateOf } from '../purpose-context.js';
import { problems } from '../problems.js';

export interface BindSubjectOptions {
  binding: Pick<AnyHttpBinding, 'subject' | 'purpose'>;
  /** The reference-directory gate (a port; shared/sources implements it). */
  gate: () => SubjectGate;
  /** The audit trail: the subject's record is made ready (hashed) before any source is read. */
  audit?: () => Pick<AuditSink, 'prepare'>;
  /**
   * Work of the route that rests on nothing the binding decides (a keyed digest of the body),
   * started once the request is bound to its subject, alongside the subject's hash rather than
   * after it. Its result is not passed on: the handler asks for it again and finds it in the
   * request's hash cache. Its failure is left to the handler, which meets it again when it asks.
   */
  alongside?: (input: unknown) => Promise<unknown>;
}

/**
 * Binds the request to its data subject under the caller's rule: a citizen to the NISS in
 * the token, an employer to the enterprise number in the token, Actiris to the persons it
 * registered (asked through the gate before any other source is called).
 */
export const bindSubject = ({ binding, gate, audit, alongside }: BindSubjectOptions): PurposeMiddleware => {
  const { purpose } = binding;
  const prepareOnly = async (niss: string | undefined) => {
    if (niss) await audit?.().prepare?.(niss);
  };
  const startAlongside = (input: unknown) => alongside?.(input).catch(() => undefined);
  // The subject's hash and the route's work that needs no verdict, at the same time; the hash's failure fails the request.
  const prepareWith = (input: unknown) => async (niss: string | undefined) => {
    await Promise.all([prepareOnly(niss), startAlongside(input)]);
  };
  const bindSubjectBefore: PurposeMiddleware['before'] = async (request) => {
    const state = stateOf(request);
    const principal = required(state, 'principal', 'bindSubject');
    const rule = required(state, 'rule', 'bindSubject');
    const input = required(state, 'input', 'bindSubject');
    const claimedNiss = binding.subject.niss?.(input);
    const claimedEnterprise = binding.subject.enterpriseNumber?.(input);
    const prepare = prepareWith(input);
    switch (rule.binding) {
      case 'own-niss': {
        const own = (principal as Extract<Principal, { role: 'citizen' }>).niss;
        if (claimedNiss !== undefined && claimedNiss !== own) {
          throw problems.forbidden('NOT_OWN_DATA', {});
        }
        state.subjectNiss = own;
        await prepare(own);
        return;
      }
      case 'own-enterprise': {
        const own = (principal as Extract<Principal, { role: 'employer' }>).enterpriseNumber;
        if (claimedEnterprise !== undefined && claimedEnterprise !== own) {
          throw problems.forbidden('NOT_OWN_ENTERPRISE', {});
        }
        state.subjectNiss = claimedNiss;
        await prepare(claimedNiss);
        return;
      }
      case 'team':
        state.subjectNiss = claimedNiss;
        await prepare(claimedNiss);
        return;
      case 'reference-directory': {
        if (!claimedNiss) throw new Error(`purpose ${purpose.id} binds through the reference directory but locates no subject`);
        state.subjectNiss = claimedNiss;
        // Before the gate, which reads the reference directory; the route's work only once admitted.
        await prepareOnly(claimedNiss);
        const verdict = await gate()(rule, claimedNiss);
        if (!verdict.admitted) {
          // One answer whether the person is registered by another organisation, nowhere,
          // or by this one with another quality code: the refusal reveals nothing more.
          throw problems.forbidden('NOT_REGISTERED_AS_JOB_SEEKER', {
            registeredBy: rule.registeredBy,
            qualityCodes: rule.qualityCodes.join(', '),
            deliberation: purpose.deliberation,
          });
        }
        await startAlongside(input);
        return;
      }
    }
  };
  return { before: bindSubjectBefore };
};
