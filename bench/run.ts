/**
 * `npm run bench [cold-start|middleware|pipeline|http|local-api|memory|subject-hash|niss-cipher|list-disclosures|container]...`: runs the benchmarks (all by
 * default), writes bench/results/*.json and prints each result. Figures are ratios or
 * counts measured in the same run; see BENCHMARKS.md.
 */
import { claimPipeline } from './claim-pipeline.js';
import { coldStart } from './cold-start.js';
import { container } from './container.js';
import { httpLoad } from './http-load.js';
import { listDisclosures } from './list-disclosures.js';
import { localApi } from './local-api.js';
import { memory } from './memory.js';
import { middlewareOverhead } from './middleware-overhead.js';
import { nissCipher } from './niss-cipher.js';
import { subjectHash } from './subject-hash.js';

const ALL = {
  'cold-start': coldStart,
  middleware: middlewareOverhead,
  pipeline: claimPipeline,
  http: httpLoad,
  'local-api': localApi,
  memory,
  'subject-hash': subjectHash,
  'niss-cipher': nissCipher,
  'list-disclosures': listDisclosures,
  container,
} as const;
const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(ALL);
for (const name of chosen) {
  const bench = ALL[name as keyof typeof ALL];
  if (!bench) {
    console.error(`unknown benchmark ${name}; one of ${Object.keys(ALL).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n== ${name}`);
  const { file, result } = await bench();
  console.log(JSON.stringify(result, null, 2));
  console.log(`-> ${file}`);
}
process.exit(0);
