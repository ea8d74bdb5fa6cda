import { DEFAULT_PORTS, LOCAL_CERTIFICATE_SECRET, LOCAL_NISS_ENCRYPTION_KEYS, LOCAL_SUBJECT_HASH_KEYS, type LocalCloudPorts, PORT_VARIABLES } from './cloud.js';

/**
 * The local cloud's endpoints from the same port variables `npm start` reads (PORT,
 * LAMBDA_PORT, DYNAMODB_PORT, SQS_PORT, SOURCES_PORT, IDP_PORT, KMS_PORT), for every local script:
 * invoke:local, retention:*, token, bench. One place, so no script talks to a default
 * port while the cloud runs on another.
 */
export const localPorts = (env: NodeJS.ProcessEnv = process.env): LocalCloudPorts => {
  const ports = { ...DEFAULT_PORTS };
  for (const key of Object.keys(PORT_VARIABLES) as (keyof LocalCloudPorts)[]) {
    const value = env[PORT_VARIABLES[key]];
    if (value === undefined || value === '') continue;
    const port = Number(value);
    if (!Number.isInteger(port) || port < 1 || port > 65_535)
      throw new Error(`${PORT_VARIABLES[key]} must be a port number between 1 and 65535, got "${value}"`);
    ports[key] = port;
  }
  return ports;
};

/** The environment variables the functions read to reach the local cloud. */
export interface LocalEndpoints {
  AWS_ENDPOINT_URL_DYNAMODB: string;
  AWS_ENDPOINT_URL_SQS: string;
  SOURCES_BASE_URL: string;
  SOURCES_CLIENT_CERTIFICATE_SECRET: string;
  AWS_ENDPOINT_URL_KMS: string;
  AWS_ENDPOINT_URL_SECRETS_MANAGER: string;
  SUBJECT_HASH_KEYS: string;
  NISS_ENCRYPTION_KEYS: string;
  JWKS_URL: string;
  TOKEN_ISSUER: string;
  API_URL: string;
}

export const localEndpoints = (env: NodeJS.ProcessEnv = process.env): LocalEndpoints => {
  const p = localPorts(env);
  const issuer = `http://127.0.0.1:${p.idp}`;
  return {
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${p.dynamodb}`,
    AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${p.sqs}`,
    // npm start serves the sources over mutual TLS, the certificate in the (local) secret store.
    SOURCES_BASE_URL: `https://127.0.0.1:${p.sources}`,
    SOURCES_CLIENT_CERTIFICATE_SECRET: LOCAL_CERTIFICATE_SECRET,
    AWS_ENDPOINT_URL_KMS: `http://127.0.0.1:${p.kms}`,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${p.kms}`,
    SUBJECT_HASH_KEYS: LOCAL_SUBJECT_HASH_KEYS,
    NISS_ENCRYPTION_KEYS: LOCAL_NISS_ENCRYPTION_KEYS,
    JWKS_URL: `${issuer}/.well-known/jwks.json`,
    TOKEN_ISSUER: issuer,
    API_URL: `http://127.0.0.1:${p.http}`,
  };
};
