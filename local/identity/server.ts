import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SigningKey } from './keys.js';

export interface IdentityProvider {
  issuer: string;
  jwksUrl: string;
  server: Server;
  close(): Promise<void>;
}

/** Serves the public key as a JWKS, plus the discovery document that points to it. */
export const startIdentityProvider = async (key: SigningKey, { port = 0, host = '127.0.0.1' } = {}): Promise<IdentityProvider> => {
  let issuer = '';
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://idp').pathname;
    const body =
      path === '/.well-known/jwks.json'
        ? { keys: [key.publicJwk] }
        : path === '/.well-known/openid-configuration'
          ? { issuer, jwks_uri: `${issuer}/.well-known/jwks.json`, id_token_signing_alg_values_supported: ['RS256'] }
          : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json', 'cache-control': 'max-age=300' });
    res.end(JSON.stringify(body ?? { error: 'not found' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  issuer = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
