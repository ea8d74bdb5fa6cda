import { describe, expect, it } from 'vitest';
import { nissesInRow, quoteIdent, textualColumns, textualSelect } from '../support/niss-scan.js';

// The PostgreSQL half of the "no NISS at rest" scan (test/support/niss-scan.ts): which columns
// it reads, how, and what it reports. The scan itself runs after the integration and e2e suites.
describe('the NISS scan of PostgreSQL tables', () => {
  it('reads every text, json(b) and text-array column, and nothing that cannot hold a NISS as text', () => {
    const columns = textualColumns([
      { table: 'audit_records', column: 'id', dataType: 'bigint', udtName: 'int8' },
      { table: 'audit_records', column: 'subject_hash', dataType: 'text', udtName: 'text' },
      { table: 'audit_records', column: 'sources', dataType: 'ARRAY', udtName: '_text' },
      { table: 'audit_records', column: 'at', dataType: 'timestamp with time zone', udtName: 'timestamptz' },
      { table: 'premium_checks', column: 'result', dataType: 'jsonb', udtName: 'jsonb' },
      { table: 'premium_checks', column: 'scheme', dataType: 'character varying', udtName: 'varchar' },
      { table: 'premium_checks', column: 'flags', dataType: 'ARRAY', udtName: '_int4' },
      { table: 'claims', column: 'code', dataType: 'character', udtName: 'bpchar' },
      { table: 'claims', column: 'doc', dataType: 'json', udtName: 'json' },
    ]);
    expect(Object.fromEntries(columns)).toEqual({
      audit_records: ['subject_hash', 'sources'],
      premium_checks: ['result', 'scheme'],
      claims: ['code', 'doc'],
    });
  });

  it('reads the columns as text under quoted names, with the row’s address', () => {
    expect(textualSelect('bcss', 'odd"table', ['result', 'we"ird'])).toBe(
      'SELECT ctid::text AS "ctid", "result"::text AS "result", "we""ird"::text AS "we""ird" FROM "bcss"."odd""table"',
    );
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });

  it('finds a NISS anywhere in a column’s text (nested jsonb, arrays), masked, and not inside a hash', () => {
    const row = {
      subject_hash: 'v1:0085073003328ab',
      result: '{"findings": [{"detail": "worker 85073003328"}], "n": 87091520373}',
      sources: '{DMFA,85073003328}',
      code: null,
      other: '12345678901',
    };
    const found = nissesInRow(row);
    expect(found).toEqual([expect.stringMatching(/^result: /), expect.stringMatching(/^result: /), expect.stringMatching(/^sources: /)]);
    expect(found.join('\n')).not.toMatch(/85073003328|87091520373/);
  });
});
