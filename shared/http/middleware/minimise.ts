import { projector } from '../../privacy/project.js';
import type { AnyHttpBinding } from '../../purposes/purpose.js';
import type { HttpResult } from '../http-handler.js';
import { type PurposeMiddleware, type PurposeResponse, stateOf } from '../purpose-context.js';

export interface MinimiseOptions {
  binding: Pick<AnyHttpBinding, 'output' | 'purpose'>;
}

const isPurposeResponse = (response: unknown): response is PurposeResponse => typeof response === 'object' && response !== null && 'body' in response;

/**
 * Projects the function's answer on the fields the binding lists for the caller's role,
 * then serialises it, once. A role without an output list gets nothing: failing closed
 * beats leaking.
 */
export const minimise = ({ binding }: MinimiseOptions): PurposeMiddleware => {
  const projections = Object.fromEntries(Object.entries(binding.output).map(([role, fields]) => [role, projector(fields ?? [])]));
  const minimiseAfter: PurposeMiddleware['after'] = (request) => {
    const response = request.response;
    if (!isPurposeResponse(response)) return;
    // A string cannot be projected: failing closed beats passing it through unminimised.
    if (typeof response.body === 'string')
      throw new Error(`purpose ${binding.purpose.id}: the function answered a string; answer an object so it can be minimised`);
    const role = stateOf(request).principal?.role;
    const project = role ? projections[role] : undefined;
    if (!project) throw new Error(`purpose ${binding.purpose.id} declares no output for role ${role}`);
    request.response = {
      ...response,
      headers: { 'content-type': 'application/json', ...response.headers },
      body: JSON.stringify(project(response.body)),
    } satisfies HttpResult;
  };
  return { after: minimiseAfter };
};
