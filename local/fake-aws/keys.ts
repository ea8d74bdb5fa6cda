import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Key material of the local KMS stand-in: one 256-bit key per subject-hash version (HMAC)
 * and per NISS-encryption version (AES), generated once into `dir` (`.local/keys/` for
 * `npm start`, git-ignored; a throw-away folder for tests) and read by the stand-in only.
 * Functions never see it: they ask the stand-in for MACs and data keys, as they ask KMS in
 * the cloud.
 */
export const loadOrCreateMacKeys = (dir: string, versions: readonly string[]) => loadOrCreateKeys(dir, 'subject-hash', versions);
export const loadOrCreateEncryptionKeys = (dir: string, versions: readonly string[]) => loadOrCreateKeys(dir, 'niss-encryption', versions);

const loadOrCreateKeys = async (dir: string, use: string, versions: readonly string[]): Promise<Map<string, Buffer>> => {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keys = new Map<string, Buffer>();
  for (const version of versions) {
    const file = join(dir, `${use}-${version}.key`);
    // `wx`: two processes racing to create the key keep the first one.
    await writeFile(file, randomBytes(32), { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    const key = await readFile(file);
    if (key.length < 32) throw new Error(`${file} holds ${key.length} bytes; a 256-bit key needs 32 (delete it to make a new one)`);
    keys.set(version, key);
  }
  return keys;
};
