import 'reflect-metadata'; // @peculiar/x509's dependency injection (tsyringe) needs it, first.
import { webcrypto } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

/**
 * A local certificate authority, a server certificate for the fake sources (127.0.0.1) and
 * a client certificate for the functions, so that the mutual-TLS path the BCSS network
 * requires runs locally. Made once into `dir` (git-ignored), ECDSA P-256, valid 2 years.
 */
export interface TlsMaterial {
  ca: string;
  server: { certificate: string; privateKey: string };
  client: { certificate: string; privateKey: string };
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

const pem = (label: string, der: ArrayBuffer) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd()}\n-----END ${label}-----\n`;

const generate = async (): Promise<TlsMaterial> => {
  x509.cryptoProvider.set(webcrypto as never);
  const keys = () => webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']) as Promise<webcrypto.CryptoKeyPair>;
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 2 * 365 * 86_400_000);
  const caKeys = await keys();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=bcss-exchanges local CA',
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    keys: caKeys,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  const issue = async (serialNumber: string, subject: string, usage: string, extra: x509.Extension[] = []) => {
    const leaf = await keys();
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber,
      subject,
      issuer: ca.subject,
      notBefore,
      notAfter,
      signingAlgorithm: ALGORITHM,
      publicKey: leaf.publicKey,
      signingKey: caKeys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([usage]),
        ...extra,
      ],
    });
    return { certificate: certificate.toString('pem'), privateKey: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', leaf.privateKey)) };
  };
  return {
    ca: ca.toString('pem'),
    server: await issue('02', 'CN=127.0.0.1', x509.ExtendedKeyUsage.serverAuth, [
      new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }]),
    ]),
    client: await issue('03', 'CN=bcss-exchanges local client', x509.ExtendedKeyUsage.clientAuth),
  };
};

export const loadOrCreateTlsMaterial = async (dir: string): Promise<TlsMaterial> => {
  const file = join(dir, 'tls.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as TlsMaterial;
  } catch {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const material = await generate();
    await writeFile(file, JSON.stringify(material), { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return JSON.parse(await readFile(file, 'utf8')) as TlsMaterial;
  }
};
