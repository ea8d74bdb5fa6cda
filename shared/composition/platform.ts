import { prefetchKeySet, verifyToken } from '../auth/verify-token.js';
import type { KMSClient } from '@aws-sdk/client-kms';
import { createKmsClient } from '../aws/clients.js';
import { KmsMacService } from '../aws/kms-mac.js';
import { sourcesFetch } from '../aws/secrets.js';
import { now } from '../config/clock.js';
import { config, type MacKeyRef, type RuntimeConfig } from '../config/env.js';
import type { PurposeDeps } from '../http/purpose-handler.js';
import { once } from '../config/once.js';
import type { FieldCipher } from '../privacy/field-cipher.js';
import { Pseudonymiser } from '../privacy/pseudonymiser.js';
import type { Purpose } from '../purposes/purpose.js';
import { PurposeSources } from '../sources/purpose-sources.js';
import { referenceDirectoryGate } from '../sources/reference-directory.js';
import { createSourceClients } from '../sources/source-clients.js';
import { dynamoStorage } from './dynamo-storage.js';
import type { AuditStore, Storage, StorageParts } from './storage.js';

/**
 * The composition root's shared half: what every function of a runtime builds once
 * from its environment (configuration, clients, storage, the audit trail, the token
 * verifier, the clock, the pseudonymiser). Each function composes its own dependencies
 * from it in its module (functions/…); nothing below functions/ imports this file.
 * Built on first use, so a missing setting becomes a problem response, not an init crash.
 * The Lambda functions get DynamoDB and SQS; the container installs its own platform
 * (`installPlatform`) with its storage before it serves anything.
 */
export interface Platform {
  config: RuntimeConfig;
  sourceClients: ReturnType<typeof createSourceClients>;
  /** Where claims, premium checks, audit records and claim ids go: chosen by the runtime. */
  storage: Storage;
  audit: AuditStore;
  clock: () => Date;
  /** Subject hashes and keyed digests, computed by KMS (the key never enters the function). */
  pseudonymiser: Pseudonymiser;
  /** Envelope encryption of a claim's worker NISS under KMS (built on first use: only the claim functions seal or open). */
  nissCipher: () => FieldCipher;
  verifyToken: PurposeDeps['verifyToken'];
}

/** Makes the NISS cipher over the platform's KMS client and the accepted keys (shared/composition/niss-cipher.ts). */
export type NissCipherMaker = (kms: () => KMSClient, keys: readonly MacKeyRef[]) => FieldCipher;

let cipherMaker: NissCipherMaker | undefined;

/**
 * Installs how this process seals and opens a claim's NISS, before its first use. Only the
 * functions that seal or open (the claim functions, the container) import
 * shared/composition/niss-cipher.ts, which installs the envelope cipher: the AWS Encryption
 * SDK (about 0.4 MB minified, a third of a bundle) is in their bundles only.
 */
export const useNissCipher = (make: NissCipherMaker): void => {
  cipherMaker = make;
};

/** Builds a platform on `cfg`, its storage made by `storage` from the platform's keyed hashes, cipher and clock. */
export const buildPlatform = (cfg: RuntimeConfig, storage: (parts: StorageParts) => Storage): Platform => {
  // One KMS client for the MACs and the data keys.
  const kms = once(() => createKmsClient(cfg));
  const pseudonymiser = new Pseudonymiser(new KmsMacService(kms, cfg.subjectHashKeys));
  const clock = () => now();
  const nissCipher = once(() => {
    if (!cipherMaker) throw new Error('this function seals and opens no NISS: it does not import shared/composition/niss-cipher.ts');
    return cipherMaker(kms, cfg.nissEncryptionKeys);
  });
  const stored = storage({ pseudonymiser, nissCipher, clock });
  // With a certificate secret configured, every source call presents the client certificate.
  const fetchImpl = sourcesFetch(cfg);
  return {
    config: cfg,
    sourceClients: createSourceClients(cfg.sourcesBaseUrl, {}, fetchImpl),
    storage: stored,
    audit: stored.audit,
    clock,
    pseudonymiser,
    nissCipher,
    verifyToken: (token) => verifyToken(token, { keys: cfg.auth.jwksUrl, issuer: cfg.auth.issuer, audience: cfg.auth.audience }),
  };
};

let built: Platform | undefined;

/** The platform of this process: the one installed by the runtime, else the Lambda one (DynamoDB, SQS). */
export const platform = (): Platform => {
  if (built) return built;
  const cfg = config();
  built = buildPlatform(cfg, (parts) => dynamoStorage(cfg, parts));
  return built;
};

/**
 * The container's composition root installs its platform once, before any function module is
 * imported: a purpose handler builds its dependencies at initialisation (purposeHandler's
 * warm-up), so one imported earlier would keep the Lambda platform.
 */
export const installPlatform = (p: Platform): void => {
  built = p;
};

/** The dependencies of the purpose stack for one purpose: its sources (declared fields only), the gate on them, audit, clock. */
export const purposeDeps = (purpose: Purpose, p: Platform = platform()): PurposeDeps => {
  const sources = new PurposeSources(purpose, p.sourceClients);
  return {
    verifyToken: p.verifyToken,
    sources,
    audit: p.audit,
    clock: p.clock,
    gate: referenceDirectoryGate(() => sources),
    warmUp: () => {
      prefetchKeySet(p.config.auth.jwksUrl);
      p.pseudonymiser.warmUp();
      p.audit.warmUp?.(purpose.id);
    },
  };
};
