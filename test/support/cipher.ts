import { randomBytes } from 'node:crypto';
import { RawAesKeyringNode, RawAesWrappingSuiteIdentifier } from '@aws-crypto/client-node';
import { KMSClient } from '@aws-sdk/client-kms';
import { EnvelopeFieldCipher, kmsFieldCipher } from '../../shared/aws/envelope-cipher.js';
import { parseEncryptionKeys } from '../../shared/config/env.js';
import type { FieldCipher } from '../../shared/privacy/field-cipher.js';
import { targetEnv } from './target.js';

/**
 * Unit tests: the functions' envelope cipher with its data keys wrapped in process (the
 * Encryption SDK's raw AES keyring) instead of by KMS: the same sealing, binding and cache.
 */
export const inProcessCipher = (material: Buffer = randomBytes(32)): FieldCipher => {
  const keyring = new RawAesKeyringNode({
    keyName: 'unit-test',
    keyNamespace: 'bcss-exchanges-tests',
    unencryptedMasterKey: new Uint8Array(material),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
  return new EnvelopeFieldCipher({ encryptWith: keyring, decryptWith: keyring });
};

/** The target's cipher (its KMS, its NISS_ENCRYPTION_KEYS), for tests that store claims the functions read, or read what they stored. */
export const targetCipher = (keys = targetEnv().NISS_ENCRYPTION_KEYS!): FieldCipher => {
  const env = targetEnv();
  const kms = new KMSClient({
    region: env.AWS_REGION ?? 'eu-west-1',
    ...(env.AWS_ENDPOINT_URL_KMS ? { endpoint: env.AWS_ENDPOINT_URL_KMS } : {}),
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'local', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'local' },
  });
  return kmsFieldCipher(() => kms, parseEncryptionKeys(keys));
};
