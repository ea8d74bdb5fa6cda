'use strict';
/**
 * A local plugin for the local API (`osls offline`), in two parts:
 * - bundling one function at a time when ESBUILD_CONCURRENCY is set (local/offline.ts sets
 *   1): serverless-esbuild's default builds every function at once, and esbuild's service
 *   then held every bundle's syntax trees together, 1.3-1.5 GB at the peak of `npm start`
 *   for 15 entries, against about 0.3 GB one at a time, in the same time on two cores
 *   (BENCHMARKS.md, "Memory of npm start"). Only the local API: `osls package` keeps
 *   serverless.yml's custom.esbuild as it is;
 * - once serverless-esbuild has bundled for `osls offline`, stop esbuild's service process.
 *   serverless-esbuild leaves it running for the life of the local API, holding memory it no
 *   longer needs (the build is not watched: see custom.esbuild).
 * Runs after serverless-esbuild's own hooks because it is listed after it in `plugins`.
 */
class StopEsbuildAfterBundling {
  constructor(serverless) {
    const stop = async () => {
      await require('esbuild').stop();
      serverless.cli?.log?.('esbuild service stopped after bundling');
    };
    const concurrency = Number(process.env.ESBUILD_CONCURRENCY);
    const boundConcurrency = () => {
      if (!(concurrency >= 1)) return;
      // serverless-esbuild reads its options in its own `initialize` hook, which ran before this one.
      const esbuild = serverless.pluginManager.plugins.find((plugin) => plugin.constructor?.name === 'EsbuildServerlessPlugin');
      if (esbuild?.buildOptions) esbuild.buildOptions.concurrency = concurrency;
    };
    this.hooks = { initialize: boundConcurrency, 'before:offline:start': stop, 'before:offline:start:init': stop };
  }
}

module.exports = StopEsbuildAfterBundling;
