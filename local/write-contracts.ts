/** `npm run contracts`: regenerates the JSON Schemas of source contracts from their zod schemas. */
import { writeFile } from 'node:fs/promises';
import * as z from 'zod';
import { onemAnswerSchema } from '../shared/sources/onem.js';

export const CONTRACTS = [{ file: new URL('../shared/sources/onem-answer.schema.json', import.meta.url), schema: onemAnswerSchema }];

export const render = (schema: z.ZodType): string => `${JSON.stringify(z.toJSONSchema(schema, { target: 'draft-2020-12' }), null, 2)}\n`;

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const { file, schema } of CONTRACTS) {
    await writeFile(file, render(schema));
    console.log(`wrote ${file.pathname}`);
  }
}
