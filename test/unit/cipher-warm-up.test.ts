import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { submitClaimDeps } from '../../functions/training-leave/submit-claim.js';
import { kmsFieldCipher } from '../../shared/aws/envelope-cipher.js';
import type { Platform } from '../../shared/composition/platform.js';
import { InMemoryAudit, InMemoryClaims, InMemoryQueue } from '../support/fakes.js';

// The warm-up of the NISS cipher at a function's initialisation: what it saves the first seal,
// and what it must never cost it.
const KEY = 'arn:aws:kms:eu-west-1:000000000000:key/11111111-1111-1111-1111-111111111111';
const context = { purpose: 'TRAINING_LEAVE_REIMBURSEMENT', field: 'workerNiss' };
const NISS = '85073003328';

/** KMS in memory (data keys wrapped under a key of its own); `hold()` keeps the next GenerateDataKey unanswered until released. */
const fakeKms = () => {
  const master = randomBytes(32);
  const wrap = (plain: Uint8Array) => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', master, iv);
    const body = Buffer.concat([c.update(plain), c.final()]);
    return new Uint8Array(Buffer.concat([iv, c.getAuthTag(), body]));
  };
  const unwrap = (blob: Uint8Array) => {
    const b = Buffer.from(blob);
    const d = createDecipheriv('aes-256-gcm', master, b.subarray(0, 12));
    d.setAuthTag(b.subarray(12, 28));
    return new Uint8Array(Buffer.concat([d.update(b.subarray(28)), d.final()]));
  };
  const calls: string[] = [];
  let held: Promise<void> | undefined;
  let release = () => {};
  const send = async (command: { constructor: { name: string }; input: { CiphertextBlob?: Uint8Array } }) => {
    const name = command.constructor.name.replace(/Command$/, '');
    calls.push(name);
    if (name === 'GenerateDataKey') {
      const wait = held;
      held = undefined;
      if (wait) await wait;
      const plain = new Uint8Array(randomBytes(32));
      return { KeyId: KEY, Plaintext: new Uint8Array(plain), CiphertextBlob: wrap(plain) };
    }
    if (name === 'Decrypt') return { KeyId: KEY, Plaintext: unwrap(command.input.CiphertextBlob!) };
    throw new Error(`unexpected ${name}`);
  };
  return {
    kms: { send } as unknown as KMSClient,
    calls,
    hold: () => {
      held = new Promise<void>((resolve) => {
        release = resolve;
      });
    },
    release: () => release(),
  };
};

describe('the NISS cipher’s warm-up', () => {
  it('fetches the data key the first seal then uses: one GenerateDataKey for both', async () => {
    const kms = fakeKms();
    const cipher = kmsFieldCipher(() => kms.kms, [{ version: 'v1', keyId: KEY }]);
    await cipher.warmUp(context);
    const sealed = await cipher.seal(NISS, { ...context, itemId: 'claim-1' });
    expect(kms.calls).toEqual(['GenerateDataKey']);
    expect(await cipher.open(sealed, { ...context, itemId: 'claim-1' })).toBe(NISS);
  });

  it('holds the first seal back no longer than its wait: with the warm-up’s KMS call stalled, the seal asks KMS itself and is done first', async () => {
    const kms = fakeKms();
    const cipher = kmsFieldCipher(() => kms.kms, [{ version: 'v1', keyId: KEY }], { warmUpWaitMs: 20 });
    kms.hold();
    let warmedUp = false;
    const warmUp = cipher.warmUp(context).then(() => {
      warmedUp = true;
    });
    const sealed = await cipher.seal(NISS, { ...context, itemId: 'claim-2' });
    // The seal is done while the warm-up's call is still unanswered.
    expect(warmedUp).toBe(false);
    expect(kms.calls).toEqual(['GenerateDataKey', 'GenerateDataKey']);
    expect(await cipher.open(sealed, { ...context, itemId: 'claim-2' })).toBe(NISS);
    kms.release();
    await warmUp;
    expect(warmedUp).toBe(true);
  });

  it('seals queued before the warm-up are still waited for: a burst on a cold cache asks KMS once', async () => {
    const kms = fakeKms();
    const cipher = kmsFieldCipher(() => kms.kms, [{ version: 'v1', keyId: KEY }], { warmUpWaitMs: 0 });
    kms.hold();
    const first = cipher.seal(NISS, { ...context, itemId: 'claim-3' });
    const warmUp = cipher.warmUp(context);
    const after = cipher.seal(NISS, { ...context, itemId: 'claim-4' });
    // Past the warm-up's wait, with the first seal's data key still on its way: nobody else asked.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(kms.calls).toEqual(['GenerateDataKey']);
    kms.release();
    await Promise.all([first, warmUp, after]);
    expect(kms.calls).toEqual(['GenerateDataKey']);
  });
});

describe('the submission function’s composition', () => {
  /** A platform of fakes (no network but the key set's prefetch, refused on port 9). */
  const platformWith = (claims: InMemoryClaims, warmed: string[]) =>
    ({
      config: { auth: { jwksUrl: 'http://127.0.0.1:9/.well-known/jwks.json' } },
      sourceClients: {},
      storage: { claims: () => claims, claimQueue: new InMemoryQueue() },
      audit: Object.assign(new InMemoryAudit(), { warmUp: () => warmed.push('audit') }),
      clock: () => new Date(),
      pseudonymiser: { warmUp: () => warmed.push('macs') },
      nissCipher: () => claims.cipher,
      verifyToken: async () => {
        throw new Error('no token in this test');
      },
    }) as unknown as Platform;

  it('warms up the claim store (its NISS seal) beside the key set, the MACs and the audit day', async () => {
    const warmed: string[] = [];
    const claims = Object.assign(new InMemoryClaims(), { warmUp: async () => void warmed.push('claims') });
    submitClaimDeps(platformWith(claims, warmed)).warmUp!();
    await Promise.resolve();
    expect(warmed.sort()).toEqual(['audit', 'claims', 'macs']);
  });

  it('a store whose warm-up rejects leaves no unhandled rejection behind (the first seal reports the failure)', async () => {
    const warmed: string[] = [];
    const claims = Object.assign(new InMemoryClaims(), { warmUp: () => Promise.reject(new Error('KMS down')) });
    submitClaimDeps(platformWith(claims, warmed)).warmUp!();
    // An unhandled rejection would fail this file's run (vitest reports it as an error).
    await new Promise((resolve) => setImmediate(resolve));
    expect(warmed.sort()).toEqual(['audit', 'macs']);
  });
});
