import { defineConfig } from 'vitest/config';
import CloudSequencer from './test/support/sequencer.js';

// Three suites: unit (no I/O beyond loopback servers they start themselves),
// integration (emulators started once in globalSetup), e2e (the whole local cloud
// over HTTP). Integration and e2e read their endpoints through test/support/target.ts,
// so they can also run against LocalStack or a deployed stage (TEST_TARGET=external).
// The files of every project run in parallel, in one group: most of a file's time is spent
// waiting on the local cloud (a queue, a source, a browser), not on a CPU. Files on one cloud
// that set the fake sources' faults or count their hits run alone on it (test/support/cloud-lock.ts).
const CLOUD_LOCK = 'test/support/cloud-lock-setup.ts';

export default defineConfig({
  test: {
    env: { POWERTOOLS_DEV: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' },
    // More workers than the two cores: a file waiting for its cloud's lock, or for a queue, holds a worker and no CPU.
    maxWorkers: 8,
    sequence: { sequencer: CloudSequencer },
    // Coverage of the code that ships (functions/ and shared/), measured in the test
    // processes: the unit and integration suites run the handlers in process; the e2e
    // suite runs them in serverless-offline's workers, which are not measured.
    coverage: {
      provider: 'v8',
      include: ['functions/**/*.ts', 'shared/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'coverage',
      thresholds: { lines: 90 },
    },
    projects: [
      {
        extends: true,
        // CPU-bound: first, on as many workers as cores, before the cloud files' group (a lint or a
        // property run among eight workers on two cores ran out of its five seconds).
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], maxWorkers: '100%', sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/integration-setup.ts'],
          setupFiles: [CLOUD_LOCK],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          sequence: { groupOrder: 1 },
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/e2e-setup.ts'],
          setupFiles: [CLOUD_LOCK],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          // The same requests against the second runtime, the container on PostgreSQL: the same answers.
          // Left out: the pages (one runtime's browser run is enough), the edge (the local gateway
          // stand-in), health (a per-runtime report) and retention (reads DynamoDB).
          name: 'e2e-container',
          sequence: { groupOrder: 1 },
          include: ['test/e2e/{access-log,authorization-matrix,career-break,contract,premium-check,training-leave}.test.ts'],
          globalSetup: ['test/support/e2e-container-setup.ts'],
          setupFiles: [CLOUD_LOCK],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
