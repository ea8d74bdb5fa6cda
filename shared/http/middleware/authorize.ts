import type { AnyHttpBinding } from '../../purposes/purpose.js';
import { type PurposeMiddleware, required, stateOf } from '../purpose-context.js';
import { problems } from '../problems.js';

export interface AuthorizeOptions {
  binding: Pick<AnyHttpBinding, 'actors' | 'purpose'>;
}

/** The caller's role (and team) against the binding's actors; the rule is resolved here, once. */
export const authorize = ({ binding }: AuthorizeOptions): PurposeMiddleware => {
  const { purpose } = binding;
  const authorizeBefore: PurposeMiddleware['before'] = (request) => {
    const state = stateOf(request);
    const principal = required(state, 'principal', 'authorize');
    const rule = binding.actors.find((a) => a.role === principal.role);
    if (!rule) {
      throw problems.forbidden('ROLE_NOT_ALLOWED', { deliberation: purpose.deliberation, purpose: purpose.id, role: principal.role });
    }
    if (rule.binding === 'team' && principal.role === 'dwse' && !(rule.teams as readonly string[]).includes(principal.team)) {
      throw problems.forbidden('TEAM_NOT_ALLOWED', { teams: rule.teams.join(', '), purpose: purpose.id, deliberation: purpose.deliberation });
    }
    state.rule = rule;
  };
  return { before: authorizeBefore };
};
