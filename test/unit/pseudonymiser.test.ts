import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMacKeys } from '../../shared/config/env.js';
import { type MacService, Pseudonymiser, withHashScope } from '../../shared/privacy/pseudonymiser.js';
import { testPseudonymiser } from '../support/pseudonymiser.js';

const counting = (keys: Record<string, string>) => {
  const calls: string[] = [];
  const macs: MacService = {
    versions: Object.keys(keys),
    mac: async (version, message) => {
      calls.push(`${version}:${message}`);
      return createHmac('sha256', keys[version]!).update(message).digest('hex');
    },
  };
  return { macs, calls };
};

describe('pseudonymiser', () => {
  it('writes each hash with the version of the key that made it, domain-separated from digests', async () => {
    const p = new Pseudonymiser(counting({ v1: 'k1' }).macs);
    const subject = await p.subject('85073003328');
    expect(subject).toBe(`v1:${createHmac('sha256', 'k1').update('niss:85073003328').digest('hex')}`);
    expect(await p.digest('85073003328')).not.toBe(subject);
  });

  it('after a rotation, hashes with the new key and still finds and matches what the old key made', async () => {
    const before = new Pseudonymiser(counting({ v1: 'k1' }).macs);
    const after = new Pseudonymiser(counting({ v2: 'k2', v1: 'k1' }).macs);
    const oldHash = await before.subject('85073003328');
    expect(await after.subject('85073003328')).toMatch(/^v2:/);
    expect(await after.subjectUnderEveryKey('85073003328')).toEqual([await after.subject('85073003328'), oldHash]);
    const oldDigest = await before.digest('{"a":1}');
    expect(await after.digestMatches('{"a":1}', oldDigest)).toBe(true);
    expect(await after.digestMatches('{"a":2}', oldDigest)).toBe(false);
    // Once v1 is retired, its digests can no longer be recomputed: no match.
    expect(await new Pseudonymiser(counting({ v2: 'k2' }).macs).digestMatches('{"a":1}', oldDigest)).toBe(false);
  });

  it('asks the MAC service once per NISS and key within a request, every time outside one', async () => {
    const { macs, calls } = counting({ v1: 'k1' });
    const p = new Pseudonymiser(macs);
    await withHashScope(async () => {
      await Promise.all([p.subject('85073003328'), p.subject('85073003328'), p.subjectUnderEveryKey('85073003328')]);
      await p.subject('85073003328');
    });
    expect(calls).toEqual(['v1:niss:85073003328']);
    await p.subject('85073003328');
    await p.subject('85073003328');
    expect(calls).toHaveLength(3);
  });

  it('does not keep a failed MAC call: the next use in the same request tries again', async () => {
    let fail = true;
    const p = new Pseudonymiser({
      versions: ['v1'],
      mac: async () => {
        if (fail) throw new Error('KMS throttled');
        return 'ab';
      },
    });
    await withHashScope(async () => {
      await expect(p.subject('85073003328')).rejects.toThrow('KMS throttled');
      fail = false;
      expect(await p.subject('85073003328')).toBe('v1:ab');
    });
  });

  it('keeps two requests apart, even when they run at the same time', async () => {
    const { macs, calls } = counting({ v1: 'k1' });
    const p = new Pseudonymiser(macs);
    await Promise.all([withHashScope(() => p.subject('85073003328')), withHashScope(() => p.subject('85073003328'))]);
    expect(calls).toHaveLength(2);
  });

  it('reads SUBJECT_HASH_KEYS as versions and KMS key references, refusing what is malformed', () => {
    expect(parseMacKeys('v2=alias/x-v2, v1=arn:aws:kms:eu-west-1:1:key/abc')).toEqual([
      { version: 'v2', keyId: 'alias/x-v2' },
      { version: 'v1', keyId: 'arn:aws:kms:eu-west-1:1:key/abc' },
    ]);
    for (const bad of ['', 'alias/x', '=alias/x', 'v1=', 'v1=a,v1=b', 'v-1=alias/x']) expect(() => parseMacKeys(bad), bad).toThrow(/SUBJECT_HASH_KEYS/);
  });
});

// The key of the subject hash is held by KMS (or the local stand-in): no code that runs in a
// function computes an HMAC or reads key material, so none can leak it.
describe('key material stays in the MAC service', () => {
  const root = join(import.meta.dirname, '../..');
  const files = (dir: string): string[] =>
    readdirSync(join(root, dir)).flatMap((name) => {
      const path = join(dir, name);
      return statSync(join(root, path)).isDirectory() ? files(path) : /\.(ts|cjs)$/.test(path) ? [path] : [];
    });

  it('no module of the functions, the shared code or the deployment computes an HMAC or handles a raw key', () => {
    const runtime = [...files('functions'), ...files('shared'), ...files('serverless')];
    expect(runtime.length).toBeGreaterThan(50);
    const offenders = runtime.filter((path) =>
      /createHmac|subtle\.(sign|importKey)|AUDIT_HASH_KEY|subject-hash-.*\.key/.test(readFileSync(join(root, path), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('in the local cloud, only the KMS stand-in reads the key files', () => {
    // The file name of a key (`subject-hash-<version>.key`), or a read of the keys module's files.
    const readers = files('local').filter((path) => /\.key[`'"]|fake-aws\/keys\.js/.test(readFileSync(join(root, path), 'utf8')));
    // stand-ins.ts (started by npm start and npm run serve) asks keys.ts for the keys and hands them to the stand-in; no function environment gets them.
    expect(readers.map((p) => relative(root, join(root, p))).sort()).toEqual(['local/fake-aws/keys.ts', 'local/stand-ins.ts']);
  });

  it('the scan would see an HMAC if one were written', () => {
    expect(/createHmac/.test(['import { create', "Hmac } from 'node:crypto';"].join(''))).toBe(true);
  });
});

describe('the per-request cache of subject hashes', () => {
  it('keeps two pseudonymisers apart even when their key versions share a label (a test key, another store)', async () => {
    const a = testPseudonymiser({ t1: 'key-a' });
    const b = testPseudonymiser({ t1: 'key-b' });
    const [first, second] = await withHashScope(async () => [await a.subject('85073003328'), await b.subject('85073003328')]);
    expect(first).not.toBe(second);
    expect(second).toBe(await b.subject('85073003328'));
  });
});

describe('a subject hash a record keeps (remember)', () => {
  const niss = '85073003328';
  const keptUnder = async (keys: Record<string, string>) => new Pseudonymiser(counting(keys).macs).subject(niss);

  it('serves the rest of the request without the MAC service when it is under the current key', async () => {
    const { macs, calls } = counting({ v1: 'k1' });
    const p = new Pseudonymiser(macs);
    const kept = await keptUnder({ v1: 'k1' });
    const [subject, every] = await withHashScope(async () => {
      p.remember(niss, kept);
      return [await p.subject(niss), await p.subjectUnderEveryKey(niss)];
    });
    expect(subject).toBe(kept);
    expect(every).toEqual([kept]);
    expect(calls).toEqual([]);
  });

  it('after a rotation, serves only the older key: the current key’s hash is still asked for, once', async () => {
    const { macs, calls } = counting({ v2: 'k2', v1: 'k1' });
    const p = new Pseudonymiser(macs);
    const kept = await keptUnder({ v1: 'k1' });
    const every = await withHashScope(async () => {
      p.remember(niss, kept);
      expect(await p.subject(niss)).toMatch(/^v2:/);
      return p.subjectUnderEveryKey(niss);
    });
    expect(every).toEqual([`v2:${createHmac('sha256', 'k2').update(`niss:${niss}`).digest('hex')}`, kept]);
    expect(calls).toEqual([`v2:niss:${niss}`]);
  });

  it('remembers nothing outside a request, for a retired key, for a malformed value, or over a hash already there', async () => {
    const { macs, calls } = counting({ v2: 'k2' });
    const p = new Pseudonymiser(macs);
    const retired = await keptUnder({ v1: 'k1' });
    p.remember(niss, `v2:${'0'.repeat(64)}`);
    expect(await p.subject(niss)).not.toBe(`v2:${'0'.repeat(64)}`);
    await withHashScope(async () => {
      p.remember(niss, retired);
      p.remember(niss, 'v2:not-a-mac');
      p.remember(niss, `v2:${'0'.repeat(63)}`);
      const computed = await p.subject(niss);
      expect(computed).toMatch(/^v2:/);
      p.remember(niss, `v2:${'0'.repeat(64)}`);
      expect(await p.subject(niss)).toBe(computed);
    });
    expect(calls).toEqual([`v2:niss:${niss}`, `v2:niss:${niss}`]);
  });

  it('is per NISS: another worker of the same request is hashed as before', async () => {
    const { macs, calls } = counting({ v1: 'k1' });
    const p = new Pseudonymiser(macs);
    await withHashScope(async () => {
      p.remember(niss, await keptUnder({ v1: 'k1' }));
      await p.subject('84050550577');
    });
    expect(calls).toEqual(['v1:niss:84050550577']);
  });
});
