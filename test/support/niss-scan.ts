import { type AttributeValue, type DynamoDBClient, paginateListTables, paginateScan } from '@aws-sdk/client-dynamodb';
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
