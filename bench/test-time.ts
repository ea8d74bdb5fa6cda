/**
 * How long `npm test` takes on this machine (issue 28: at most 3 minutes), run as a user runs
 * it (`npm test`: every project, with coverage) in a child process. A run whose tests failed
 * measured no usable work, and fails.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { projectDir } from './bundles.js';
import { round, writeResult } from './support.js';

export const TEST_TIME_TARGET_SECONDS = 180;

export const testTime = async () => {
  const loadAtStart = loadavg()[0]!;
  const started = performance.now();
  const { code, tail } = await new Promise<{ code: number | null; tail: string }>((resolve) => {
    // Its own output is kept (the last lines say what passed); CI=true as on a fresh machine.
    const child = spawn('npm', ['test'], { cwd: projectDir, env: { ...process.env, CI: 'true', FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const keep = (chunk: Buffer) => {
      out = (out + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('exit', (c) => resolve({ code: c, tail: out }));
  });
  const seconds = (performance.now() - started) / 1000;
  // vitest colours its summary even with FORCE_COLOR=0: the escapes are taken out.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what is matched.
  const plain = tail.replace(/\u001b\[[0-9;]*m/g, '');
  const summary = (pattern: RegExp) => pattern.exec(plain)?.[1]?.trim();
  if (code !== 0) throw new Error(`npm test failed (exit ${code}): its time is not a measure of the suite\n${tail.slice(-3_000)}`);
  const result = {
    command: 'npm test',
    loadAverageAtStart: round(loadAtStart, 2),
    loadAverageAtEnd: round(loadavg()[0]!, 2),
    seconds: round(seconds, 1),
    testFiles: summary(/Test Files\s+([^\n]+)/),
    tests: summary(/Tests\s+([^\n]+)/),
    target: { secondsMax: TEST_TIME_TARGET_SECONDS },
    withinTarget: seconds <= TEST_TIME_TARGET_SECONDS,
  };
  return { file: await writeResult('test-time', result), result };
};
