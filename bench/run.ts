/**
 * `npm run bench [cold-start|middleware|pipeline|http|local-api|memory|subject-hash|niss-cipher|list-disclosures|container]...`: runs the benchmarks (all by
 * default), writes bench/results/*.json and prints each result. Figures are ratios or
 * counts measured in the same run; see BENCHMARKS.md.
 */
// Imported only when chosen: a benchmark's imports can read the process's settings once and
// for all (the logger reads them on import), before another benchmark sets what it needs
// (the pipeline's LOCAL_CLOCK), so a run of one benchmark loads no other.
const ALL = {
  'cold-start': async () => (await import('./cold-start.js')).coldStart(),
  middleware: async () => (await import('./middleware-overhead.js')).middlewareOverhead(),
  pipeline: async () => (await import('./claim-pipeline.js')).claimPipeline(),
  http: async () => (await import('./http-load.js')).httpLoad(),
  'local-api': async () => (await import('./local-api.js')).localApi(),
  memory: async () => (await import('./memory.js')).memory(),
  'subject-hash': async () => (await import('./subject-hash.js')).subjectHash(),
  'niss-cipher': async () => (await import('./niss-cipher.js')).nissCipher(),
  'list-disclosures': async () => (await import('./list-disclosures.js')).listDisclosures(),
  container: async () => (await import('./container.js')).container(),
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
