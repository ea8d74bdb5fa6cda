import { GenerateMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import { MacUnavailableError, type MacService } from '../privacy/pseudonymiser.js';

import type { MacKeyRef } from '../config/env.js';

/**
 * The MAC service on AWS KMS: `GenerateMac` with an HMAC_256 key, so the key material never
 * leaves KMS; the function's role may only call `kms:GenerateMac` on the declared keys.
 */
export class KmsMacService implements MacService {
  readonly versions: readonly string[];
  private readonly keys: ReadonlyMap<string, string>;

  constructor(
    private readonly kms: () => KMSClient,
    keys: readonly MacKeyRef[],
  ) {
    this.versions = keys.map((k) => k.version);
    this.keys = new Map(keys.map((k) => [k.version, k.keyId]));
  }

  async mac(version: string, message: string): Promise<string> {
    const keyId = this.keys.get(version);
    if (!keyId) throw new Error(`no key for subject-hash version ${version}`);
    let Mac: Uint8Array | undefined;
    try {
      ({ Mac } = await this.kms().send(new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: new TextEncoder().encode(message) })));
    } catch (error) {
      // Throttled, down, key disabled or not granted: the message (it holds a NISS) is not in the error.
      throw new MacUnavailableError(`KMS GenerateMac failed for key version ${version}: ${(error as Error).name}`, { cause: error });
    }
    if (!Mac) throw new MacUnavailableError(`KMS returned no MAC for key version ${version}`);
    return Buffer.from(Mac).toString('hex');
  }
}
