import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { RuntimeConfig } from '../config/env.js';
import { logger } from '../observability/logger.js';
import { requestHandler } from './clients.js';
import { certificateFetch, type ClientCertificate, ClientCertificateError, parseClientCertificate } from '../sources/client-certificate.js';

/**
 * The sources' client certificate from AWS Secrets Manager, through Powertools Parameters
 * (cached for an hour, so a rotated certificate reaches warm containers without a deploy).
 * The function's role may read only this secret.
 */
export const secretsManagerCertificate = (
  cfg: Pick<RuntimeConfig, 'region' | 'endpoints'>,
  secretId: string,
): ((force?: boolean) => Promise<ClientCertificate>) => {
  let provider: SecretsProvider | undefined;
  return async (force = false) => {
    provider ??= new SecretsProvider({
      clientConfig: { region: cfg.region, maxAttempts: 3, requestHandler, ...(cfg.endpoints.secretsManager ? { endpoint: cfg.endpoints.secretsManager } : {}) },
    });
    let value: unknown;
    try {
      value = await provider.get(secretId, { transform: 'json', maxAge: 3_600, forceFetch: force });
    } catch (error) {
      // A value that is not JSON: the parser's message quotes its first characters, so it is not passed on.
      if ((error as Error).name === 'TransformParameterError') throw new ClientCertificateError("the sources' client certificate secret is not JSON");
      throw error;
    }
    return parseClientCertificate(value);
  };
};

/**
 * The transport of the source adapters: with a certificate secret configured, every call
 * presents the client certificate (loaded on first use); otherwise plain fetch.
 */
export const sourcesFetch = (cfg: Pick<RuntimeConfig, 'region' | 'endpoints' | 'sourcesClientCertificateSecret'>): typeof fetch | undefined =>
  cfg.sourcesClientCertificateSecret
    ? certificateFetch(secretsManagerCertificate(cfg, cfg.sourcesClientCertificateSecret), (error) =>
        // What is wrong, never a value: our own errors name fields; others only by their kind.
        logger.error('the sources client certificate could not be loaded', {
          error: error.name,
          ...(error instanceof ClientCertificateError ? { reason: error.message } : {}),
        }),
      )
    : undefined;
