import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { RuntimeConfig } from '../config/env.js';
import { logger } from '../observability/logger.js';
import { requestHandler } from './clients.js';
import { certificateFetch, type ClientCertificate, parseClientCertificate } from '../sources/client-certificate.js';

/**
 * The sources' client certificate from AWS Secrets Manager, through Powertools Parameters
 * (cached for an hour, so a rotated certificate reaches warm containers without a deploy).
 * The function's role may read only this secret.
 */
export const secretsManagerCertificate = (cfg: Pick<RuntimeConfig, 'region' | 'endpoints'>, secretId: string): (() => Promise<ClientCertificate>) => {
  let provider: SecretsProvider | undefined;
  return async () => {
    provider ??= new SecretsProvider({
      clientConfig: { region: cfg.region, maxAttempts: 3, requestHandler, ...(cfg.endpoints.secretsManager ? { endpoint: cfg.endpoints.secretsManager } : {}) },
    });
    return parseClientCertificate(await provider.get(secretId, { transform: 'json', maxAge: 3_600 }));
  };
};

/**
 * The transport of the source adapters: with a certificate secret configured, every call
 * presents the client certificate (loaded on first use); otherwise plain fetch.
 */
export const sourcesFetch = (cfg: Pick<RuntimeConfig, 'region' | 'endpoints' | 'sourcesClientCertificateSecret'>): typeof fetch | undefined =>
  cfg.sourcesClientCertificateSecret
    ? certificateFetch(secretsManagerCertificate(cfg, cfg.sourcesClientCertificateSecret), (error) =>
        // What is wrong (the error's own message names fields or the secret's id), never a value.
        logger.error('the sources client certificate could not be loaded', { error: error.name, reason: error.message }),
      )
    : undefined;
