import { AuditTrail } from '../audit/audit-trail.js';
import { verifyToken } from '../auth/verify-token.js';
import type { Principal } from '../auth/principal.js';
import { createDocumentClient, createDynamoDbClient } from '../aws/clients.js';
import { now } from '../config/clock.js';
import { config } from '../config/env.js';
import type { Purpose } from '../purposes/purpose.js';
import { PurposeSources } from '../sources/purpose-sources.js';
import { createSourceClients } from '../sources/source-clients.js';

/** What the purpose middleware needs from the outside world; tests and benchmarks pass their own. */
export interface PurposeRuntime {
  verifyToken(token: string): Promise<Principal>;
  sources(purpose: Purpose<any>): PurposeSources;
  audit(): AuditTrail;
  clock(): Date;
}

let runtime: PurposeRuntime | undefined;

/** The container's runtime, built on first use from the Lambda environment. */
export const defaultRuntime = (): PurposeRuntime => {
  if (runtime) return runtime;
  const cfg = config();
  const clients = createSourceClients(cfg.sourcesBaseUrl);
  const doc = createDocumentClient(createDynamoDbClient(cfg));
  const audit = new AuditTrail(doc, cfg.tables.audit, cfg.auditHashKey, () => now());
  const sources = new Map<string, PurposeSources>();
  runtime = {
    verifyToken: (token) => verifyToken(token, { keys: cfg.auth.jwksUrl, issuer: cfg.auth.issuer, audience: cfg.auth.audience }),
    sources: (purpose) => {
      let s = sources.get(purpose.id);
      if (!s) sources.set(purpose.id, (s = new PurposeSources(purpose, clients)));
      return s;
    },
    audit: () => audit,
    clock: () => now(),
  };
  return runtime;
};
