import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Imports run one way: domain ← purposes ← sources ← storage / http / queue ← composition
// ← functions. Each layer may import only those to its left (and itself); the domain
// imports nothing of the platform at all. Read from the source files themselves.
const root = join(import.meta.dirname, '../..');
const files = (dir: string): string[] =>
  readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });

const layerOf = (path: string): string | undefined => {
  if (path.startsWith('functions/')) return 'functions';
  if (path.startsWith('container/')) return 'container';
  const m = /^shared\/([^/]+)\//.exec(path);
  return m?.[1];
};

// What each layer may import (besides itself and npm packages).
const ALLOWED: Record<string, string[]> = {
  domain: [],
  schemas: ['domain'],
  // config: a retention's override is a setting, read with the others in shared/config/env.ts.
  purposes: ['domain', 'schemas', 'auth', 'privacy', 'config'],
  // transport: Node's http as fetch (shared/transport/node-fetch.ts), for the token key set.
  // schemas: zod's English messages (shared/schemas/locale.ts), for the principal's schema.
  auth: ['domain', 'transport', 'schemas'],
  transport: [],
  privacy: ['domain'],
  // schemas: zod's English messages (shared/schemas/locale.ts), for the answers' schemas.
  sources: ['domain', 'purposes', 'privacy', 'transport', 'schemas'],
  // config: the retention overrides (settings()), read once for every repository.
  storage: ['domain', 'purposes', 'privacy', 'config'],
  audit: ['domain', 'purposes', 'privacy', 'storage', 'config'],
  // domain: the Belgian calendar day (shared/domain/brussels-time.ts), which the clock answers.
  config: ['domain'],
  // Adapters implement the ports they serve (privacy's MAC service, the sources' certificate).
  aws: ['config', 'privacy', 'sources', 'observability'],
  // config: the log's service name is a setting.
  observability: ['privacy', 'domain', 'config'],
  http: ['domain', 'schemas', 'purposes', 'auth', 'privacy', 'sources', 'audit', 'observability', 'config'],
  queue: ['domain', 'purposes', 'privacy', 'sources', 'audit', 'observability', 'config'],
  health: ['aws', 'sources', 'config'],
  // config: the gateway's CORS origins are read as the functions' are (parseAllowedOrigins).
  deployment: ['purposes', 'config'],
  // The OpenAPI document is built from the purposes and the deployment catalogue; the client is generated from it.
  contract: ['purposes', 'privacy', 'deployment', 'auth', 'domain', 'schemas'],
  client: [],
  composition: ['domain', 'purposes', 'auth', 'privacy', 'sources', 'storage', 'audit', 'aws', 'config', 'http', 'queue', 'observability'],
  functions: [
    'domain',
    'purposes',
    'auth',
    'privacy',
    'sources',
    'storage',
    'audit',
    'aws',
    'config',
    'http',
    'queue',
    'composition',
    'observability',
    'health',
    'schemas',
    'contract',
  ],
  // The container runtime is a second composition root over the same functions: it serves
  // their Lambda handlers from its route table (from the deployment catalogue) and runs the
  // consumer and the schedules as workers, so it may import what a function may, and the functions.
  container: [
    'domain',
    'purposes',
    'auth',
    'privacy',
    'sources',
    'storage',
    'audit',
    'aws',
    'config',
    'http',
    'queue',
    'composition',
    'observability',
    'deployment',
    'contract',
    'functions',
  ],
};

const imports = (path: string): string[] =>
  [...readFileSync(join(root, path), 'utf8').matchAll(/^(?:import|export)(?:[^'"]*from)? '(\.[^']+)'/gm)].map((m) =>
    relative(root, join(root, path, '..', m[1]!)),
  );

describe('layering', () => {
  const sources = [...files('shared'), ...files('functions'), ...files('container')];

  it('every layer is known', () => {
    expect(sources.map(layerOf).filter((l) => !l || !(l in ALLOWED))).toEqual([]);
  });

  it('imports run one way', () => {
    const violations = sources.flatMap((path) => {
      const from = layerOf(path)!;
      return imports(path)
        .map((target) => ({ target, to: layerOf(target) }))
        .filter(({ to }) => to !== undefined && to !== from && !ALLOWED[from]!.includes(to))
        .map(({ target }) => `${path} → ${target}`);
    });
    expect(violations).toEqual([]);
  });

  // zod/mini, not classic zod: classic's schemas carry dozens of methods each, built at every
  // cold start, and its bundle the JSON Schema generator (issue 28). One bundle holding both
  // would be worse than either.
  it('the functions import zod/mini only, never classic zod', () => {
    const classic = sources.filter((path) => /^import[^'"]*from 'zod(\/v4)?(\/classic)?'/m.test(readFileSync(join(root, path), 'utf8')));
    expect(classic).toEqual([]);
  });

  // zod/mini installs no locale: without shared/schemas/locale.ts every issue reads "Invalid input".
  it('every module that builds zod/mini schemas installs the English messages', () => {
    const builders = sources.filter((path) => /^import \* as z from 'zod\/mini'/m.test(readFileSync(join(root, path), 'utf8')));
    const withoutLocale = builders.filter((path) => !imports(path).includes('shared/schemas/locale.js'));
    expect(builders.length).toBeGreaterThan(0);
    expect(withoutLocale).toEqual([]);
  });

  it('the domain imports no package but its own modules (no AWS, no zod, no I/O)', () => {
    const packages = files('shared/domain').flatMap((path) =>
      [...readFileSync(join(root, path), 'utf8').matchAll(/^import[^'"]*from '([^.][^']*)'/gm)].map((m) => `${path} → ${m[1]}`),
    );
    expect(packages).toEqual([]);
  });
});
