import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  getLocalCryptographicMaterialsCache,
  type KeyringNode,
  KmsKeyringNode,
  NodeCachingMaterialsManager,
} from '@aws-crypto/client-node';
import { DecryptCommand, type DecryptCommandOutput, EncryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { MacKeyRef } from '../config/env.js';
import { CipherIntegrityError, CipherUnavailableError, type FieldCipher, type SealContext } from '../privacy/field-cipher.js';

/**
 * Envelope encryption of single fields with the AWS Encryption SDK: each value is encrypted
 * under a data key that KMS generates and wraps with the current key; the wrapped data key
 * travels inside the sealed value, so any accepted key can open it later.
 *
 * - A bounded data-key cache (the SDK's caching materials manager): one data key serves up to
 *   `maxMessages` values for at most `maxAgeMs`, so a burst of claims costs one KMS call, not
 *   one per claim; opening values sealed under one data key costs one KMS Decrypt. Seals run
 *   one after another (microseconds each once the key is cached), so concurrent seals on a
 *   cold cache do not each ask for a data key; concurrent opens share one Decrypt per data key.
 * - The SDK's encryption context selects cache entries, so it carries what is the same for
 *   many values (the purpose and the field: checked on open); the item id, which differs
 *   for every value, is bound inside the authenticated plaintext and checked on open.
 * - Committing, unsigned suite (AES-256-GCM, HKDF-SHA-512, key commitment): writers and
 *   readers are the same service, and a signature would cost milliseconds per value.
 */
export interface EnvelopeCipherOptions {
  /** Seals with the current key (a generator keyring). */
  encryptWith: KeyringNode;
  /** Opens with any accepted key. */
  decryptWith: KeyringNode;
  /** Values sealed under one data key before a new one is asked for. */
  maxMessages?: number;
  /** How long a data key is used, then forgotten (milliseconds). */
  maxAgeMs?: number;
  /** Cache entries kept (encryption and decryption materials together). */
  capacity?: number;
  /** Tells a failure of the key service (503, retried) from a value that cannot be opened. */
  keyService?: KeyServiceProbe;
  /** How long seals wait for a warm-up's data key before asking KMS themselves (milliseconds). */
  warmUpWaitMs?: number;
}

/** Runs one seal or open and says afterwards whether the key service itself failed in it. */
export interface KeyServiceProbe {
  run<T>(fn: () => Promise<T>): Promise<T>;
  failed(): boolean;
}
const NO_PROBE: KeyServiceProbe = { run: (fn) => fn(), failed: () => false };

const { encrypt, decrypt } = buildClient({ commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT, maxEncryptedDataKeys: 1 });
const SUITE = AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY;
/** KMS errors about the ciphertext given, not about KMS: the value cannot be opened, retrying will not help. */
const VALUE_ERRORS = new Set(['InvalidCiphertextException', 'IncorrectKeyException']);
/** The sealed form's label: which scheme made it, so another can follow without guessing. */
const PREFIX = 'esdk1:';
/** Far above a GenerateDataKey's usual answer (milliseconds), far below one request time-out (5 s). */
const WARM_UP_WAIT_MS = 250;

const contextOf = ({ purpose, field }: SealContext) => ({ purpose, field });

export class EnvelopeFieldCipher implements FieldCipher {
  private readonly sealing: NodeCachingMaterialsManager;
  private readonly opening: NodeCachingMaterialsManager;

  constructor(private readonly options: EnvelopeCipherOptions) {
    const cache = getLocalCryptographicMaterialsCache(options.capacity ?? 100);
    const limits = { cache, maxAge: options.maxAgeMs ?? 5 * 60_000, maxMessagesEncrypted: options.maxMessages ?? 1_000 };
    this.sealing = new NodeCachingMaterialsManager({ backingMaterials: options.encryptWith, partition: 'seal', ...limits });
    this.opening = new NodeCachingMaterialsManager({ backingMaterials: options.decryptWith, partition: 'open', ...limits });
  }

  private get probe() {
    return this.options.keyService ?? NO_PROBE;
  }

  /** Seals wait for one another: a burst on a cold cache asks KMS for one data key, not one each. */
  private sealed: Promise<unknown> = Promise.resolve();

  seal(value: string, context: SealContext): Promise<string> {
    const next = this.sealed.then(() => this.probe.run(() => this.sealNow(value, context)));
    this.sealed = next.catch(() => undefined);
    return next;
  }

  open(sealed: string, context: SealContext): Promise<string> {
    return this.probe.run(() => this.openNow(sealed, context));
  }

  /**
   * Seals a constant (no one's data; the result is dropped) for this purpose and field: the
   * data key it asks KMS for stays in the cache, and the first real seal, queued behind it,
   * uses it. Costs one of the key's `maxMessages`. Seals wait for it `warmUpWaitMs` at most: a
   * KMS call that stalls or retries (up to a request time-out each) would otherwise hold the
   * first claim back, which without a warm-up would have asked KMS itself.
   */
  async warmUp(context: Omit<SealContext, 'itemId'>): Promise<void> {
    const before = this.sealed;
    const warm = this.seal('warm-up', { ...context, itemId: 'warm-up' }).then(
      () => undefined,
      () => undefined,
    );
    // Seals queued earlier are still waited for in full, as before.
    this.sealed = Promise.race([warm, before.then(() => delay(this.options.warmUpWaitMs ?? WARM_UP_WAIT_MS, undefined, { ref: false }))]);
    await warm;
  }

  private async sealNow(value: string, context: SealContext): Promise<string> {
    const plaintext = JSON.stringify({ id: context.itemId, value });
    try {
      const { result } = await encrypt(this.sealing, plaintext, { suiteId: SUITE, encryptionContext: contextOf(context) });
      return PREFIX + result.toString('base64');
    } catch (error) {
      // The value (a NISS) is never part of the error.
      throw new CipherUnavailableError(`sealing ${context.field} failed: ${(error as Error).name}`, { cause: error });
    }
  }

  private async openNow(sealed: string, context: SealContext): Promise<string> {
    if (!sealed.startsWith(PREFIX)) throw new CipherIntegrityError(`${context.field} of ${context.itemId} is not a sealed value`);
    let plaintext: Buffer;
    let stored: Record<string, string>;
    try {
      ({
        plaintext,
        messageHeader: { encryptionContext: stored },
      } = await decrypt(this.opening, Buffer.from(sealed.slice(PREFIX.length), 'base64')));
    } catch (error) {
      if (this.probe.failed())
        throw new CipherUnavailableError(`opening ${context.field} failed at the key service: ${(error as Error).name}`, { cause: error });
      throw new CipherIntegrityError(`${context.field} of ${context.itemId} could not be opened (altered, or under a key no longer accepted)`, {
        cause: error,
      });
    }
    const expected = contextOf(context);
    const parsed = JSON.parse(plaintext.toString('utf8')) as { id?: unknown; value?: unknown };
    const bound =
      Object.keys(stored).length === Object.keys(expected).length &&
      Object.entries(expected).every(([k, v]) => stored[k] === v) &&
      parsed.id === context.itemId &&
      typeof parsed.value === 'string';
    if (!bound) throw new CipherIntegrityError(`${context.field} of ${context.itemId} was sealed for another item, field or purpose`);
    return parsed.value as string;
  }
}

/**
 * The KMS side: the SDK's KMS keyring over the function's own KMS client (the same client,
 * endpoint and time-outs as the MAC service). Only three operations are ever called:
 * GenerateDataKey on the current key, Decrypt on any accepted one (Encrypt exists for the
 * keyring's interface and is not used with a single key).
 */
export const kmsFieldCipher = (kms: () => KMSClient, keys: readonly MacKeyRef[], options: Partial<EnvelopeCipherOptions> = {}): EnvelopeFieldCipher => {
  if (keys.length === 0) throw new Error('NISS encryption needs at least one key (NISS_ENCRYPTION_KEYS)');
  // Marks, per seal or open, that KMS itself failed (down, throttled, not granted): a 503, not a broken value.
  const failures = new AsyncLocalStorage<{ failed: boolean }>();
  const call =
    <I, O>(send: (input: I) => Promise<O>) =>
    async (input: I): Promise<O> => {
      try {
        return await send(input);
      } catch (error) {
        // KMS refusing the wrapped key itself (altered, or another key's) says the value is bad, not that KMS is down.
        const scope = failures.getStore();
        if (scope && !VALUE_ERRORS.has((error as Error).name)) scope.failed = true;
        throw error;
      }
    };
  // Concurrent opens of values under one data key (a list page on a cold cache) share one Decrypt.
  const inFlight = new Map<string, Promise<DecryptCommandOutput>>();
  const client = {
    generateDataKey: call((input: object) => kms().send(new GenerateDataKeyCommand(input as never))),
    encrypt: call((input: object) => kms().send(new EncryptCommand(input as never))),
    decrypt: call((input: { CiphertextBlob: Uint8Array; KeyId?: string }) => {
      const id = `${input.KeyId}\u0000${Buffer.from(input.CiphertextBlob).toString('base64')}`;
      const pending =
        inFlight.get(id) ??
        kms()
          .send(new DecryptCommand(input as never))
          .finally(() => inFlight.delete(id));
      inFlight.set(id, pending);
      // Each caller its own copy of the data key: the SDK zeroes the one it was given once used.
      return pending.then((answer) => ({ ...answer, ...(answer.Plaintext ? { Plaintext: new Uint8Array(answer.Plaintext) } : {}) }));
    }),
  };
  const clientProvider = () => client as never;
  const [current] = keys;
  return new EnvelopeFieldCipher({
    encryptWith: new KmsKeyringNode({ generatorKeyId: current!.keyId, clientProvider }),
    decryptWith: new KmsKeyringNode({ keyIds: keys.map((k) => k.keyId), clientProvider }),
    // Each seal and open runs in its own scope, so a failure is attributed to the call that saw it.
    keyService: { run: (fn) => failures.run({ failed: false }, fn), failed: () => failures.getStore()?.failed ?? false },
    ...options,
  });
};
