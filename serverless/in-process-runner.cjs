'use strict';
/**
 * serverless-offline 14's in-process runner (`useInProcess`), as the local API runs it: put
 * in place of serverless-offline's own by serverless/local-api.cjs (same constructor, same
 * `run(event, context)` and `cleanup()`). Two differences, both measured in BENCHMARKS.md
 * ("The local API under load"):
 * - the handler is loaded once per file, not looked up again on every invocation
 *   (serverless-offline's `load()` tries the candidate files with `existsSync` and reads the
 *   nearest package.json up the tree each time, then awaits `import()` of a module it already
 *   has). Nothing is lost: an ES module, once imported, is never evaluated again, so a
 *   rebuilt bundle was not picked up before either (and the bundles are built once: see
 *   custom.esbuild in serverless.yml);
 * - each invocation sees its own function's environment in `process.env`, and only its own,
 *   for as long as it runs (an AsyncLocalStorage; outside an invocation, the process's own
 *   variables). serverless-offline copied the function's variables into the shared
 *   process.env on every invocation instead: 40-odd variables written each time, never taken
 *   back, and wrong as soon as two functions ran at once (a function reading a variable after
 *   an await read whichever function had started last; RateLimit-Policy named the wrong
 *   function on about half the answers of concurrent calls).
 */
const { AsyncLocalStorage } = require('node:async_hooks');
const { syncBuiltinESMExports } = require('node:module');
const { dirname, join } = require('node:path');
const { performance } = require('node:perf_hooks');

const offlineSource = dirname(require.resolve('serverless-offline'));
const { load } = require(join(offlineSource, 'lambda/handler-runner/in-process-runner/aws-lambda-ric/UserFunction.js'));
const { LambdaTimeoutError } = require(join(offlineSource, 'errors/index.js'));

/**
 * Whether this runner enforces the functions' timeouts (serverless/local-api.cjs sets it, and
 * then turns serverless-offline's own off). serverless-offline's timer was never cleared: a
 * `timers/promises` setTimeout per invocation that rejected with a new LambdaTimeoutError
 * the function's timeout later, long after the answer, 0.3-0.4 ms of CPU per request spent
 * 10 s after it. Here the timer goes with the answer; a function that outlives its timeout
 * is still answered 504 `[504] - Lambda timeout.` (serverless-offline now also logs it as an
 * unhandled exception of the handler).
 */
const settings = { timeouts: false };

const invocation = new AsyncLocalStorage();

/** Each function's variables, by function: one copy, its values as strings (as process.env holds them). */
const environments = new Map();
const environmentOf = (functionKey, env) => {
  let own = environments.get(functionKey);
  if (!own) {
    own = Object.create(null);
    for (const [name, value] of Object.entries(env)) if (value !== undefined) own[name] = String(value);
    environments.set(functionKey, own);
  }
  return own;
};

let processEnv;
/**
 * `process.env` for the life of the process: within an invocation, its function's variables
 * over the process's (one the function deletes stays deleted for it); outside, the process's
 * own. Also the `env` that `import { env } from 'node:process'` gives (the AWS SDK reads it).
 */
const scopeEnvironment = () => {
  if (processEnv) return;
  processEnv = process.env;
  const ownOf = (key) => {
    const own = invocation.getStore();
    return own !== undefined && typeof key === 'string' && key in own ? own : undefined;
  };
  process.env = new Proxy(processEnv, {
    get: (target, key) => {
      const own = ownOf(key);
      return own ? own[key] : target[key];
    },
    has: (target, key) => {
      const own = ownOf(key);
      return own ? own[key] !== undefined : key in target;
    },
    set: (target, key, value) => {
      const own = invocation.getStore();
      if (own !== undefined && typeof key === 'string') own[key] = String(value);
      else target[key] = value;
      return true;
    },
    defineProperty: (target, key, descriptor) => {
      const own = invocation.getStore();
      if (own === undefined || typeof key !== 'string') return Reflect.defineProperty(target, key, descriptor);
      own[key] = String(descriptor.value);
      return true;
    },
    deleteProperty: (target, key) => {
      const own = invocation.getStore();
      if (own !== undefined && typeof key === 'string') own[key] = undefined;
      else delete target[key];
      return true;
    },
    ownKeys: (target) => {
      const own = invocation.getStore();
      if (own === undefined) return Reflect.ownKeys(target);
      const keys = new Set(Reflect.ownKeys(target));
      for (const key in own) {
        if (own[key] === undefined) keys.delete(key);
        else keys.add(key);
      }
      return [...keys];
    },
    getOwnPropertyDescriptor: (target, key) => {
      const own = ownOf(key);
      if (!own) return Reflect.getOwnPropertyDescriptor(target, key);
      return own[key] === undefined ? undefined : { value: own[key], writable: true, enumerable: true, configurable: true };
    },
  });
  syncBuiltinESMExports();
};

/** process.env as it was before scopeEnvironment() (for the tests). */
const unscopeEnvironment = () => {
  if (!processEnv) return;
  process.env = processEnv;
  processEnv = undefined;
  syncBuiltinESMExports();
};

/** Each handler, loaded once, by file: a failed load is tried again on the next invocation. */
const handlers = new Map();
const handlerOf = (servicePath, handlerPath) => {
  const key = `${servicePath}\0${handlerPath}`;
  let loaded = handlers.get(key);
  if (!loaded) {
    loaded = load(servicePath, handlerPath);
    handlers.set(key, loaded);
    loaded.catch(() => handlers.delete(key));
  }
  return loaded;
};

class InProcessRunner {
  #env;
  #handlerPath;
  #servicePath;
  #timeout;

  constructor(funOptions, env) {
    const { codeDir, functionKey, handler, servicePath, timeout } = funOptions;
    scopeEnvironment();
    this.#env = environmentOf(functionKey, env);
    this.#handlerPath = join(codeDir, handler);
    this.#servicePath = servicePath;
    this.#timeout = timeout;
  }

  cleanup() {}

  run(event, context) {
    return invocation.run(this.#env, () => this.#invoke(event, context));
  }

  /** serverless-offline's InProcessRunner.run, from the handler's call on. */
  async #invoke(event, context) {
    const handler = await handlerOf(this.#servicePath, this.#handlerPath);
    let callback;
    const callbackWrapper = new Promise((resolve, reject) => {
      callback = (err, data) => {
        if (err === 'Unauthorized') {
          resolve('Unauthorized');
          return;
        }
        if (err) {
          reject(err);
          return;
        }
        resolve(data);
      };
    });
    const executionTimeout = performance.now() + this.#timeout;
    const lambdaContext = {
      ...context,
      done(err, data) {
        callback(err, data);
      },
      fail(err) {
        callback(err);
      },
      getRemainingTimeInMillis() {
        const timeLeft = executionTimeout - performance.now();
        return timeLeft > 0 ? Math.floor(timeLeft) : 0;
      },
      succeed(res) {
        callback(null, res);
      },
    };
    const result = handler(event, lambdaContext, callback);
    const responses = [callbackWrapper];
    if (result != null && typeof result.then === 'function') responses.push(result);
    if (!settings.timeouts) return Promise.race(responses);
    let timer;
    responses.push(
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new LambdaTimeoutError('[504] - Lambda timeout.')), this.#timeout);
      }),
    );
    try {
      return await Promise.race(responses);
    } finally {
      clearTimeout(timer);
    }
  }
}

module.exports = InProcessRunner;
module.exports.invocation = invocation;
module.exports.settings = settings;
module.exports.scopeEnvironment = scopeEnvironment;
module.exports.unscopeEnvironment = unscopeEnvironment;
