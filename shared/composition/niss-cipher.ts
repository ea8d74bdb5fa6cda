import type { FieldCipher } from '../privacy/field-cipher.js';
import { useNissCipher } from './platform.js';

/**
 * Imported (for its effect) by the functions that seal or open a claim's NISS, and by the
 * container: installs the envelope cipher (shared/aws/envelope-cipher.ts) in the platform.
 * The AWS Encryption SDK is bundled with them only, and evaluated on the first seal or open,
 * not at import: `import()` of a bundled module is deferred by esbuild, and the SDK's module
 * evaluation (its curves' precomputation among it) costs a cold start that reads no NISS.
 */
useNissCipher((kms, keys) => {
  // As kmsFieldCipher does, but now: a missing setting fails where the claims are composed.
  if (keys.length === 0) throw new Error('NISS encryption needs at least one key (NISS_ENCRYPTION_KEYS)');
  let cipher: Promise<FieldCipher> | undefined;
  const load = () => {
    cipher ??= import('../aws/envelope-cipher.js').then(({ kmsFieldCipher }) => kmsFieldCipher(kms, keys));
    return cipher;
  };
  return {
    seal: async (value, context) => (await load()).seal(value, context),
    open: async (sealed, context) => (await load()).open(sealed, context),
    warmUp: async (context) => {
      const ready = await load().catch(() => undefined);
      await ready?.warmUp?.(context);
    },
  };
});
