import { parse, type AnyNode } from '@humanwhocodes/momoa';
import type { PurposeMiddleware } from '../purpose-context.js';
import { problems } from '../problems.js';

/**
 * Refuses a JSON body that names a key twice. JSON.parse keeps the last value silently,
 * so `{"hours": 1, "hours": 100}` could mean one thing to a proxy or a log and another to
 * the function. momoa gives the syntax tree JSON.parse does not; text it cannot parse is
 * left to the body parser, which answers INVALID_JSON.
 */
const firstDuplicate = (node: AnyNode, path: string): string | undefined => {
  if (node.type === 'Object') {
    const seen = new Set<string>();
    for (const member of node.members) {
      const name = member.name.type === 'String' ? member.name.value : member.name.name;
      if (seen.has(name)) return `${path}.${name}`;
      seen.add(name);
      const inner = firstDuplicate(member.value, `${path}.${name}`);
      if (inner) return inner;
    }
  } else if (node.type === 'Array') {
    for (const [i, element] of node.elements.entries()) {
      const inner = firstDuplicate(element.value, `${path}[${i}]`);
      if (inner) return inner;
    }
  }
  return undefined;
};

export const rejectDuplicateKeys = (): PurposeMiddleware => {
  const rejectDuplicateKeysBefore: PurposeMiddleware['before'] = (request) => {
    const { body, isBase64Encoded } = request.event;
    if (typeof body !== 'string' || body === '') return;
    let tree: ReturnType<typeof parse>;
    try {
      tree = parse(isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body);
    } catch {
      return;
    }
    const duplicate = firstDuplicate(tree.body, 'body');
    if (duplicate) throw problems.duplicateKey(duplicate);
  };
  return { before: rejectDuplicateKeysBefore };
};
