/**
 * Effective-dated rule tables: every figure with the period it is in force and the
 * source that states it. Logic asks for the figure in force on a case's reference date;
 * no figure is written inside the logic.
 */
export type Confidence =
  /** Stated by a deliberation or confirmed by a public source. */
  | 'CONFIRMED'
  /** Approved or reported, but its final publication was not seen. */
  | 'UNCONFIRMED';

export interface RuleRow<T> {
  /** First day in force (ISO date, inclusive). */
  from: string;
  /** Last day in force (ISO date, inclusive); open-ended when absent. */
  to?: string;
  value: T;
  source: string;
  confidence?: Confidence;
}

export type RuleTable<T> = readonly RuleRow<T>[];

export class NoRuleInForceError extends Error {
  override name = 'NoRuleInForceError';
}

/** The row in force on `date` (ISO). Rows must not overlap; a gap is an error, not a default. */
export const rowInForce = <T>(table: RuleTable<T>, date: string, what = 'rule'): RuleRow<T> => {
  const rows = table.filter((r) => r.from <= date && (r.to === undefined || date <= r.to));
  if (rows.length === 0) throw new NoRuleInForceError(`no ${what} in force on ${date}`);
  if (rows.length > 1) throw new Error(`${what}: ${rows.length} rows in force on ${date}; the table overlaps`);
  return rows[0]!;
};

export const inForce = <T>(table: RuleTable<T>, date: string, what?: string): T => rowInForce(table, date, what).value;

/** Checks a table once (tests): sorted, no overlap. */
export const checkTable = <T>(table: RuleTable<T>, what: string): void => {
  for (let i = 1; i < table.length; i++) {
    const previous = table[i - 1]!;
    if (previous.to === undefined || previous.to >= table[i]!.from) throw new Error(`${what}: rows ${i - 1} and ${i} overlap`);
  }
};
