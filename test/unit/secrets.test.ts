import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// No secret or token is committed: signed JWTs, private keys (PEM or JWK), AWS access keys.
const PATTERNS: [string, RegExp][] = [
  ['a signed JWT', /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}/],
  ['a PEM private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a JWK private exponent', /"d"\s*:\s*"[A-Za-z0-9_-]{40,}"/],
  ['an AWS access key id', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['an AWS secret key assignment', /aws_secret_access_key\s*=\s*[A-Za-z0-9/+]{40}/i],
  ['a LocalStack auth token value', /LOCALSTACK_AUTH_TOKEN\s*[=:]\s*["']?ls-[A-Za-z0-9-]{10,}/],
];

describe('repository hygiene', () => {
  const files = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);

  it('tracks files at all (the scan below is not vacuous)', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it.each(PATTERNS)('no tracked file holds %s', (_what, pattern) => {
    const offenders = files.filter((file) => {
      try {
        return pattern.test(readFileSync(file, 'utf8'));
      } catch {
        return false;
      }
    });
    expect(offenders).toEqual([]);
  });

  it('keeps the local identity provider key out of git', () => {
    expect(files.some((f) => f.startsWith('.local/'))).toBe(false);
    expect(readFileSync('.gitignore', 'utf8')).toMatch(/^\.local\/$/m);
  });

  it('the patterns do catch what they look for', () => {
    expect(PATTERNS[0]![1].test(`eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0xxxx.${'a'.repeat(30)}`)).toBe(true);
    // Assembled at run time, so that this file does not hold what it looks for.
    expect(PATTERNS[1]![1].test(['-----BEGIN', 'PRIVATE KEY-----'].join(' '))).toBe(true);
    expect(PATTERNS[3]![1].test(['AKIA', 'ABCDEFGHIJKLMNOP'].join(''))).toBe(true);
  });
});
