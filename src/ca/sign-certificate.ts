// Owns the one place a certificate is signed, so roots, subordinates, leaves, CSRs and self-signed certificates share a path.
import { Certificate } from './certificate.js';
import { x509 } from './crypto-provider.js';
import { signingAlgorithmFor } from './key-algorithm.js';

export interface SignParams {
  subject: x509.Name;
  issuer: x509.Name;
  publicKey: x509.PublicKeyType;
  signingKey: CryptoKey;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  extensions: x509.Extension[];
  /** Default SHA-256. */
  hash?: 'SHA-256' | 'SHA-1';
}

export async function signCertificate(p: SignParams): Promise<Certificate> {
  const cert = await x509.X509CertificateGenerator.create({
    subject: p.subject,
    issuer: p.issuer,
    publicKey: p.publicKey,
    signingKey: p.signingKey,
    serialNumber: p.serialNumber,
    notBefore: p.notBefore,
    notAfter: p.notAfter,
    extensions: p.extensions,
    signingAlgorithm: signingAlgorithmFor(p.signingKey, p.hash),
  });
  return Certificate.fromDer(new Uint8Array(cert.rawData));
}
