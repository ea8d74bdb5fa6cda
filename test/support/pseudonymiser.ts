import { createHmac, randomUUID } from 'node:crypto';
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { KmsMacService } from '../../shared/aws/kms-mac.js';
import { parseMacKeys } from '../../shared/config/env.js';
import { type MacService, Pseudonymiser } from '../../shared/privacy/pseudonymiser.js';
import { targetEnv } from './target.js';

/**
 * Unit tests: a MAC service in the test process, with a key the test chooses. Integration
 * and end-to-end tests use the KMS of the target instead (below); no function does this.
 */
export const inProcessMacs = (keys: Record<string, string> = { t1: 'unit-test-key' }): MacService => ({
  versions: Object.keys(keys),
  mac: async (version, message) => createHmac('sha256', keys[version]!).update(message).digest('hex'),
});

export const testPseudonymiser = (keys?: Record<string, string>) => new Pseudonymiser(inProcessMacs(keys));

const kmsOf = (env: Record<string, string>) =>
  new KMSClient({
    region: env.AWS_REGION ?? 'eu-west-1',
    ...(env.AWS_ENDPOINT_URL_KMS ? { endpoint: env.AWS_ENDPOINT_URL_KMS } : {}),
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'local', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'local' },
  });

/** The target's subject hash (its KMS, its SUBJECT_HASH_KEYS), for tests that read what functions wrote. */
export const targetPseudonymiser = (subjectHashKeys = targetEnv().SUBJECT_HASH_KEYS!) => {
  const kms = kmsOf(targetEnv());
  return new Pseudonymiser(new KmsMacService(() => kms, parseMacKeys(subjectHashKeys)));
};

/**
 * A new HMAC key in the target's KMS, under an alias of its own: a test file that gives it
 * to the functions it runs (SUBJECT_HASH_KEYS) has worker ledgers and subject hashes apart
 * from every other file's, as two stages would.
 */
export const freshSubjectHashKeys = async (label: string, version = 'v1'): Promise<string> => {
  const kms = kmsOf(targetEnv());
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', Description: `test ${label}` }));
  const alias = `alias/test-${label}-${randomUUID()}`;
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: KeyMetadata!.KeyId! }));
  kms.destroy();
  return `${version}=${alias}`;
};
