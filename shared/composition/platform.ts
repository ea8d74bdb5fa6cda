import { AuditTrail } from '../audit/audit-trail.js';
import { verifyToken } from '../auth/verify-token.js';
import { createDocumentClient, createDynamoDbClient, createKmsClient } from '../aws/clients.js';
import { kmsFieldCipher } from '../aws/envelope-cipher.js';
import { KmsMacService } from '../aws/kms-mac.js';
import { sourcesFetch } from '../aws/secrets.js';
import { now } from '../config/clock.js';
import { config, type RuntimeConfig } from '../config/env.js';
import type { PurposeDeps } from '../http/purpose-handler.js';
import { once } from '../config/once.js';
import type { FieldCipher } from '../privacy/field-cipher.js';
import { Pseudonymiser } from '../privacy/pseudonymiser.js';
import type { Purpose } from '../purposes/purpose.js';
import { PurposeSources } from '../sources/purpose-sources.js';
import { referenceDirectoryGate } from '../sources/reference-directory.js';
import { createSourceClients } from '../sources/source-clients.js';

/**
 * The composition root's shared half: what every function of a container builds once
 * from the Lambda environment (configuration, clients, the audit trail, the token
 * verifier, the clock, the pseudonymiser). Each function composes its own dependencies
 * from it in its module (functions/…); nothing below functions/ imports this file.
 * Built on first use, so a missing setting becomes a problem response, not an init crash.
 */
export interface Platform {
  config: RuntimeConfig;
  doc: ReturnType<typeof createDocumentClient>;
  sourceClients: ReturnType<typeof createSourceClients>;
  audit: AuditTrail;
  clock: () => Date;
  /** Subject hashes and keyed digests, computed by KMS (the key never enters the function). */
  pseudonymiser: Pseudonymiser;
  /** Envelope encryption of a claim's worker NISS under KMS (built on first use: only the claim functions seal or open). */
  nissCipher: () => FieldCipher;
  verifyToken: PurposeDeps['verifyToken'];
}

let built: Platform | undefined;

export const platform = (): Platform => {
  if (built) return built;
  const cfg = config();
  const doc = createDocumentClient(createDynamoDbClient(cfg));
  // One KMS client for the MACs and the data keys.
  const kms = once(() => createKmsClient(cfg));
  const pseudonymiser = new Pseudonymiser(new KmsMacService(kms, cfg.subjectHashKeys));
  const clock = () => now();
  // With a certificate secret configured, every source call presents the client certificate.
  const fetchImpl = sourcesFetch(cfg);
  built = {
    config: cfg,
    doc,
    sourceClients: createSourceClients(cfg.sourcesBaseUrl, {}, fetchImpl),
    // An access happens now, whatever day the rules are replayed on (LOCAL_CLOCK): the
    // trail keeps the wall clock, so its records and their expiry are real.
    audit: new AuditTrail(doc, cfg.tables.audit, pseudonymiser, () => new Date()),
    clock,
    pseudonymiser,
    nissCipher: once(() => kmsFieldCipher(kms, cfg.nissEncryptionKeys)),
    verifyToken: (token) => verifyToken(token, { keys: cfg.auth.jwksUrl, issuer: cfg.auth.issuer, audience: cfg.auth.audience }),
  };
  return built;
};

/** The dependencies of the purpose stack for one purpose: its sources (declared fields only), the gate on them, audit, clock. */
export const purposeDeps = (purpose: Purpose, p: Platform = platform()): PurposeDeps => {
  const sources = new PurposeSources(purpose, p.sourceClients);
  return { verifyToken: p.verifyToken, sources, audit: p.audit, clock: p.clock, gate: referenceDirectoryGate(() => sources) };
};
