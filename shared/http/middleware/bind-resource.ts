import type { HttpBinding, HttpInput, HttpInputSchemas } from '../../purposes/purpose.js';
import { type PurposeMiddleware, required, stateOf } from '../purpose-context.js';
import { problems } from '../problems.js';

export interface BindResourceOptions<R> {
  binding: Pick<HttpBinding<HttpInputSchemas, R>, 'resource'>;
  /** Loads the resource the route serves (undefined when there is none). */
  load: (input: HttpInput<HttpInputSchemas>) => Promise<R | undefined>;
}

/**
 * For a route that serves a stored resource: loads it and checks, before the function
 * runs, that the caller's rule admits it (an employer's own enterprise, a citizen's own
 * NISS). Anything else is a 404, the same as for a resource that does not exist.
 */
export const bindResource = <R>({ binding, load }: BindResourceOptions<R>): PurposeMiddleware => {
  const owner = binding.resource?.owner;
  if (!owner) throw new Error('bindResource needs a binding that declares its resource owner');
  const bindResourceBefore: PurposeMiddleware['before'] = async (request) => {
    const state = stateOf(request);
    const principal = required(state, 'principal', 'bindResource');
    const rule = required(state, 'rule', 'bindResource');
    const resource = await load(required(state, 'input', 'bindResource'));
    if (resource === undefined) throw problems.notFound();
    const of = owner(resource);
    const own =
      rule.binding === 'own-enterprise'
        ? principal.role === 'employer' && of.enterpriseNumber === principal.enterpriseNumber
        : rule.binding === 'own-niss'
          ? principal.role === 'citizen' && of.niss === principal.niss
          : true;
    if (of.niss) state.subjectNiss = of.niss;
    if (of.subjectHash) state.subjectHash = of.subjectHash;
    if (!own) throw problems.notFound();
    state.resource = resource;
  };
  return { before: bindResourceBefore };
};
