import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CONTRACTS, render } from '../../local/write-contracts.js';

describe('source contracts', () => {
  it.each(CONTRACTS.map((c) => [c.file.pathname.split('/').at(-1)!, c] as const))(
    '%s is what the adapter validates (npm run contracts)',
    async (_name, { file, schema }) => {
      expect(await readFile(file, 'utf8')).toBe(render(schema));
    },
  );
});
