/**
 * Projection of a JSON value onto an allow-list of field paths: what is not listed is
 * dropped, at every depth. Paths are dot-separated; `[]` walks into every element of an
 * array: `reasons[].remainingMonths.FULL_TIME`. A listed object path keeps the whole
 * sub-object; list its leaves instead to keep only those.
 *
 * Written here rather than taken from a library: lodash's `pick` has no array wildcard,
 * and zod's stripping needs a full schema per shape, while the deliberations give field
 * lists, which is what this takes.
 */
/** A field list as a tree: `true` keeps the whole value; `[]` is every element of an array. */
export type FieldTree = { [key: string]: FieldTree | true };
type Tree = FieldTree;

export const compileFields = (paths: readonly string[]): Tree => {
  const root: Tree = {};
  for (const path of paths) {
    const parts = path.replaceAll('[]', '.[]').split('.').filter(Boolean);
    let node = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) node[part] = true;
      else if (node[part] !== true) {
        node[part] ??= {};
        node = node[part] as Tree;
      }
    });
  }
  return root;
};

const apply = (value: unknown, tree: Tree | true): unknown => {
  if (tree === true) return value;
  if (Array.isArray(value)) {
    const element = tree['[]'];
    return element ? value.map((v) => apply(v, element)) : undefined;
  }
  // null says "nothing here" and carries no data: kept, so the answer keeps its shape.
  if (value === null) return null;
  if (typeof value !== 'object') return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(tree)) {
    if (key === '[]' || !Object.hasOwn(value, key)) continue;
    const projected = apply((value as Record<string, unknown>)[key], sub);
    if (projected !== undefined) out[key] = projected;
  }
  return out;
};

export type FieldList = readonly string[];

/** Compiles once, projects many times. */
export const projector = (paths: FieldList) => {
  const tree = compileFields(paths);
  return <T = unknown>(value: unknown): T => apply(value, tree) as T;
};

export const project = <T = unknown>(value: unknown, paths: FieldList): T => projector(paths)<T>(value);
