import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The local API's in-process runner (serverless/in-process-runner.cjs, in place of
// serverless-offline's): handlers loaded once, each invocation with its own function's
// environment, also when two functions run at once in the one process.
type Runner = { run(event: unknown, context: Record<string, unknown>): Promise<any> };
const runnerModule = createRequire(import.meta.url)('../../serverless/in-process-runner.cjs') as {
  new (funOptions: Record<string, unknown>, env: Record<string, unknown>): Runner;
  settings: { timeouts: boolean };
  unscopeEnvironment(): void;
};

let dir: string;
const runner = (functionKey: string, env: Record<string, unknown>, timeout = 10_000) =>
  new runnerModule({ codeDir: dir, functionKey, handler: 'handler.handler', servicePath: dir, timeout }, env);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'in-process-runner-'));
  await writeFile(join(dir, 'package.json'), '{"type":"module"}');
  // A handler that reads the environment at import, after an await, and through node:process's `env`.
  await writeFile(
    join(dir, 'handler.js'),
    `import { env } from 'node:process';
     export const atImport = process.env.WHO;
     export let evaluations = (globalThis.__evaluations ?? 0) + 1;
     globalThis.__evaluations = evaluations;
     export const handler = async (event, context) => {
       const before = process.env.WHO;
       await new Promise((resolve) => setTimeout(resolve, event.wait));
       if (event.remove) delete process.env.SHARED;
       return { before, after: process.env.WHO, fromEnvImport: env.WHO, shared: process.env.SHARED, has: 'WHO' in process.env,
         listed: Object.keys(process.env).includes('WHO'), atImport, evaluations: globalThis.__evaluations,
         remaining: context.getRemainingTimeInMillis() > 0 };
     };`,
  );
  process.env.SHARED = 'the process';
});

afterAll(async () => {
  runnerModule.settings.timeouts = false;
  runnerModule.unscopeEnvironment();
  delete process.env.SHARED;
  delete (globalThis as { __evaluations?: number }).__evaluations;
  await rm(dir, { recursive: true, force: true });
});

describe('the in-process runner of the local API', () => {
  it('gives each of two functions running at once its own environment, from import to answer', async () => {
    const first = runner('first', { WHO: 'first', MEMORY: 512 });
    const second = runner('second', { WHO: 'second' });
    const answers = await Promise.all([first.run({ wait: 30 }, {}), second.run({ wait: 5 }, {}), first.run({ wait: 10 }, {}), second.run({ wait: 25 }, {})]);
    expect(answers.map((a) => [a.before, a.after, a.fromEnvImport, a.has, a.listed])).toEqual([
      ['first', 'first', 'first', true, true],
      ['second', 'second', 'second', true, true],
      ['first', 'first', 'first', true, true],
      ['second', 'second', 'second', true, true],
    ]);
    // The process's own variables show through; the handler was evaluated once, in the first invocation.
    expect(answers.every((a) => a.shared === 'the process' && a.evaluations === 1 && a.atImport === 'first' && a.remaining)).toBe(true);
  });

  it('leaves the process’s own environment alone, outside any invocation and after one', async () => {
    expect(process.env.WHO).toBeUndefined();
    expect('WHO' in process.env).toBe(false);
    const answer = await runner('third', { WHO: 'third' }).run({ wait: 0, remove: true }, {});
    // Deleted for that function only.
    expect(answer.shared).toBeUndefined();
    expect(process.env.SHARED).toBe('the process');
    expect((await runner('first', { WHO: 'first' }).run({ wait: 0 }, {})).shared).toBe('the process');
    expect(process.env.WHO).toBeUndefined();
  });

  it('answers a function that outlives its timeout with serverless-offline’s 504, and leaves no timer behind an answer', async () => {
    runnerModule.settings.timeouts = true;
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    await expect(runner('slow', { WHO: 'slow' }, 50).run({ wait: 300 }, {})).rejects.toThrow('[504] - Lambda timeout.');
    expect((await runner('quick', { WHO: 'quick' }, 10_000).run({ wait: 0 }, {})).before).toBe('quick');
    // The slow handler's own wait may still run; no 10 s timer is left for the quick one.
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(timers()).toBeLessThanOrEqual(before);
  });
});
