import { AuditTrail } from '../audit/audit-trail.js';
import { verifyToken } from '../auth/verify-token.js';
import { createDocumentClient, createDynamoDbClient } from '../aws/clients.js';
import { now } from '../config/clock.js';
import { config, type RuntimeConfig } from '../config/env.js';
import type { PurposeDeps } from '../http/purpose-handler.js';
import { type Digest, keyedDigest, pseudonymiser, type Pseudonymise } from '../privacy/subject-hash.js';
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
  pseudonymise: Pseudonymise;
  /** Keyed digest for ids derived from content that holds personal data. */
  digest: Digest;
  verifyToken: PurposeDeps['verifyToken'];
}

let built: Platform | undefined;

export const platform = (): Platform => {
  if (built) return built;
  const cfg = config();
  const doc = createDocumentClient(createDynamoDbClient(cfg));
  const pseudonymise = pseudonymiser(cfg.auditHashKey);
  const clock = () => now();
  built = {
    config: cfg,
    doc,
    sourceClients: createSourceClients(cfg.sourcesBaseUrl),
    // An access happens now, whatever day the rules are replayed on (LOCAL_CLOCK): the
    // trail keeps the wall clock, so its records and their expiry are real.
    audit: new AuditTrail(doc, cfg.tables.audit, pseudonymise, () => new Date()),
    clock,
    pseudonymise,
    digest: keyedDigest(cfg.auditHashKey),
    verifyToken: (token) => verifyToken(token, { keys: cfg.auth.jwksUrl, issuer: cfg.auth.issuer, audience: cfg.auth.audience }),
  };
  return built;
};

/** The dependencies of the purpose stack for one purpose: its sources (declared fields only), the gate on them, audit, clock. */
export const purposeDeps = (purpose: Purpose, p: Platform = platform()): PurposeDeps => {
  const sources = new PurposeSources(purpose, p.sourceClients);
  return { verifyToken: p.verifyToken, sources, audit: p.audit, clock: p.clock, gate: referenceDirectoryGate(() => sources) };
};
