// Owns PKCS#7 certificate bundles (.p7b): what Import-ExchangeCertificate takes when a CA answers a request with a chain.
import { DomsecError } from '../errors.js';
import { Certificate } from './certificate.js';
import { toArrayBuffer } from './bytes.js';
import { x509 } from './crypto-provider.js';
import { isPem, readPemBlocks } from './pem.js';

/** DER "certs-only" SignedData (no signers), as certreq/OpenSSL crl2pkcs7 write it. */
export function exportPkcs7(certs: Certificate[]): Uint8Array {
  const bundle = new x509.X509Certificates(certs.map((c) => new x509.X509Certificate(toArrayBuffer(c.der))));
  return new Uint8Array(bundle.export('raw'));
}

/** Accepts DER or PEM ("-----BEGIN PKCS7-----"); the certificates come back in file order. ERR_PKCS7_FORMAT otherwise. */
export function importPkcs7(bytes: Uint8Array): Certificate[] {
  const fail = (why: string, cause?: unknown): DomsecError =>
    new DomsecError('ERR_PKCS7_FORMAT', `The PKCS#7 file could not be read: ${why}. Supply a .p7b certificate chain (DER or PEM).`, undefined, { cause });
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw fail('it is empty');
  let der = bytes;
  const text = Buffer.from(bytes).toString('latin1');
  if (isPem(text)) {
    const block = readPemBlocks(text).find((b) => b.label === 'PKCS7' || b.label === 'CMS');
    if (!block) throw fail('the PEM text has no PKCS7 block');
    der = block.der;
  }
  let parsed: x509.X509Certificates;
  try {
    parsed = new x509.X509Certificates(toArrayBuffer(der));
  } catch (e) {
    throw fail('the bytes are not a PKCS#7 SignedData structure', e);
  }
  if (parsed.length === 0) throw fail('it holds no certificates');
  return Array.from(parsed, (c) => Certificate.fromDer(new Uint8Array(c.rawData)));
}
