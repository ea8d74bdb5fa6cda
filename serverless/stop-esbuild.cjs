'use strict';
/**
 * A local plugin: once serverless-esbuild has bundled for `osls offline`, stop esbuild's
 * service process. serverless-esbuild leaves it running for the life of the local API,
 * holding about 0.6 GB it no longer needs (the build is not watched: see custom.esbuild).
 * Runs after serverless-esbuild's own hook because it is listed after it in `plugins`.
 */
class StopEsbuildAfterBundling {
  constructor(serverless) {
    const stop = async () => {
      await require('esbuild').stop();
      serverless.cli?.log?.('esbuild service stopped after bundling');
    };
    this.hooks = { 'before:offline:start': stop, 'before:offline:start:init': stop };
  }
}

module.exports = StopEsbuildAfterBundling;
