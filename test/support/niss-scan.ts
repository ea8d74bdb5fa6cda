import { type AttributeValue, type DynamoDBClient, paginateListTables, paginateScan } from '@aws-sdk/client-dynamodb';
import type pg from 'pg';
import { isValidNiss, maskIdentifier } from '../../shared/domain/identifiers.js';

/**
 * The "no NISS at rest in clear" check: every table, every item, every attribute (nested
 * maps, lists and sets too), searched for an 11-digit number whose check digit is a NISS's.
 * A digit run inside a longer token (a hex hash, an id) is not a NISS and is not counted.
 */
const CANDIDATE = /(?<![0-9A-Za-z])\d{11}(?![0-9A-Za-z])/g;
/** As people write it: 85.07.30-033.28 (dots, dashes or spaces). */
const FORMATTED = /(?<![0-9])(\d{2})[. ](\d{2})[. ](\d{2})[- ]?(\d{3})[. ](\d{2})(?![0-9])/g;

export const nissesIn = (text: string): string[] =>
  [...[...text.matchAll(CANDIDATE)].map((m) => m[0]), ...[...text.matchAll(FORMATTED)].map((m) => m.slice(1).join(''))].filter(isValidNiss);

/** Each place in one item where a NISS rests: `attribute.path`, with the NISS masked. */
export const nissesInItem = (item: Record<string, AttributeValue>): string[] => {
  const found: string[] = [];
  const visit = (value: AttributeValue, path: string) => {
    const texts = [value.S, value.N, ...(value.SS ?? []), ...(value.NS ?? [])].filter((t): t is string => t !== undefined);
    for (const text of texts) for (const niss of nissesIn(text)) found.push(`${path}: ${maskIdentifier(niss)}`);
    if (value.B) for (const niss of nissesIn(Buffer.from(value.B).toString('latin1'))) found.push(`${path}: ${maskIdentifier(niss)}`);
    for (const [i, v] of (value.L ?? []).entries()) visit(v, `${path}[${i}]`);
    for (const [k, v] of Object.entries(value.M ?? {})) {
      for (const niss of nissesIn(k)) found.push(`${path} (a key): ${maskIdentifier(niss)}`);
      visit(v, `${path}.${k}`);
    }
  };
  for (const [name, value] of Object.entries(item)) {
    for (const niss of nissesIn(name)) found.push(`(an attribute name): ${maskIdentifier(niss)}`);
    visit(value, name);
  }
  return found;
};

/** Scans every table of the endpoint; returns one line per NISS found, naming table, key and attribute. */
export const scanForNiss = async (dynamodb: DynamoDBClient): Promise<string[]> => {
  const findings: string[] = [];
  for await (const page of paginateListTables({ client: dynamodb }, {})) {
    for (const table of page.TableNames ?? []) {
      for await (const scanned of paginateScan({ client: dynamodb }, { TableName: table })) {
        for (const item of scanned.Items ?? []) {
          const key = `${item.pk?.S ?? '?'} / ${item.sk?.S ?? '?'}`;
          for (const where of nissesInItem(item)) findings.push(`${table} (${key}) ${where}`);
        }
      }
    }
  }
  return findings;
};

/** A column as information_schema.columns describes it. */
export interface ColumnInfo {
  table: string;
  column: string;
  /** information_schema's `data_type` (`text`, `jsonb`, `ARRAY`, …). */
  dataType: string;
  /** The underlying type (`text`, `_text` for text[], …). */
  udtName: string;
}

/** Types whose values can hold a NISS as text: text, varchar, char, json, jsonb, and arrays of those. */
const TEXTUAL = new Set(['text', 'varchar', 'bpchar', 'json', 'jsonb']);

const isTextual = (c: ColumnInfo) => TEXTUAL.has(c.udtName) || (c.dataType === 'ARRAY' && TEXTUAL.has(c.udtName.replace(/^_/, '')));

/** Per table, the columns to read: every textual one (numbers, timestamps, booleans cannot be a NISS written as text). */
export const textualColumns = (columns: readonly ColumnInfo[]): Map<string, string[]> => {
  const byTable = new Map<string, string[]>();
  for (const c of columns.filter(isTextual)) byTable.set(c.table, [...(byTable.get(c.table) ?? []), c.column]);
  return byTable;
};

/** An SQL identifier, quoted (the names come from the catalogue, yet are never trusted as SQL). */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The statement reading a table's textual columns as text, with each row's physical address to name it. */
export const textualSelect = (schema: string, table: string, columns: readonly string[]): string =>
  `SELECT ctid::text AS "ctid", ${columns.map((c) => `${quoteIdent(c)}::text AS ${quoteIdent(c)}`).join(', ')} FROM ${quoteIdent(schema)}.${quoteIdent(table)}`;

/** Each place in one row (its columns read as text) where a NISS rests: `column`, with the NISS masked. */
export const nissesInRow = (row: Record<string, string | null>): string[] =>
  Object.entries(row).flatMap(([column, value]) => (value === null ? [] : nissesIn(value).map((niss) => `${column}: ${maskIdentifier(niss)}`)));

/** Scans every table of the schema (every text, json(b) and text-array column, jsonb nested values included); one line per NISS found. */
export const scanPostgresForNiss = async (db: pg.Pool, schema = 'bcss'): Promise<string[]> => {
  const { rows } = await db.query<{ table: string; column: string; dataType: string; udtName: string }>(
    `SELECT c.table_name AS "table", c.column_name AS "column", c.data_type AS "dataType", c.udt_name AS "udtName"
     FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = $1 AND t.table_type = 'BASE TABLE'
     ORDER BY c.table_name, c.ordinal_position`,
    [schema],
  );
  const findings: string[] = [];
  for (const [table, columns] of textualColumns(rows)) {
    const { rows: stored } = await db.query<Record<string, string | null>>(textualSelect(schema, table, columns));
    for (const { ctid, ...row } of stored) for (const where of nissesInRow(row)) findings.push(`${schema}.${table} (row ${ctid}) ${where}`);
  }
  return findings;
};
