/**
 * One page out of several sorted pages (one per shard of a key): a k-way merge by `compare`.
 * Each input is the start of its shard after the position read from, in order, with whether
 * the shard holds more after it (`more`). Items that compare equal (the parts of one
 * aggregate, one per shard) are combined into one by `combine`.
 *
 * The merge stops at `limit` items, or as soon as a shard that holds more has given all it
 * read: what comes next might be in that shard, so nothing after can be given yet. So a page
 * never skips an item, and the next page, read after the page's last key in every shard, never
 * repeats one. `more` tells whether anything may follow the page.
 */
export interface ShardPage<T> {
  items: readonly T[];
  more: boolean;
}

export const mergeShardPages = <T>(
  pages: readonly ShardPage<T>[],
  limit: number,
  compare: (a: T, b: T) => number,
  combine: (a: T, b: T) => T = (a) => a,
): { items: T[]; more: boolean } => {
  const heads = pages.map(() => 0);
  const items: T[] = [];
  for (;;) {
    // A shard that holds more but whose read part is all given: the merge cannot go on.
    if (pages.some((p, i) => p.more && heads[i]! >= p.items.length)) return { items, more: true };
    let least: T | undefined;
    for (const [i, p] of pages.entries()) {
      const head = p.items[heads[i]!];
      if (head !== undefined && (least === undefined || compare(head, least) < 0)) least = head;
    }
    if (least === undefined) return { items, more: false };
    if (items.length >= limit) return { items, more: true };
    let merged: T | undefined;
    for (const [i, p] of pages.entries()) {
      const head = p.items[heads[i]!];
      if (head !== undefined && compare(head, least) === 0) {
        merged = merged === undefined ? head : combine(merged, head);
        heads[i]!++;
      }
    }
    items.push(merged!);
  }
};
