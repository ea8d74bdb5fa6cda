import { createDocumentClient, createDynamoDbClient } from '../aws/clients.js';
import { now } from '../config/clock.js';
import { config } from '../config/env.js';
import { pseudonymiser } from '../privacy/subject-hash.js';
import { ClaimStore } from './claims.js';

let store: ClaimStore | undefined;
/** The container's claim store, built on first use from the Lambda environment. */
export const claimStore = (): ClaimStore =>
  (store ??= new ClaimStore(createDocumentClient(createDynamoDbClient(config())), config().tables.claims, pseudonymiser(config().auditHashKey), () => now()));
