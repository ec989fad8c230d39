// Owns reading a file given to Import-ExchangeCertificate (PFX, PKCS#7, PEM/DER/base64 certificate) and binding pending requests.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { Certificate, importPfx, importPkcs7 } from '../../ca/index.js';
import { DomsecError, isDomsecError } from '../../errors.js';
import type { EdgeServer } from '../edge-server.js';

/** A key made by New-ExchangeCertificate -GenerateRequest, waiting for the CA's answer (Exchange binds them by public key). */
export interface PendingRequest {
  requestBase64: string;
  thumbprint: string;
  subject: string;
  names: string[];
  privateKeyPem: string;
  publicKeyDer: Uint8Array;
  friendlyName: string;
  privateKeyExportable: boolean;
  publicKeySize: number;
}

// Keyed by the edge object, so every shell on the same organization sees the same pending requests, as one server would.
const pending = new WeakMap<EdgeServer, PendingRequest[]>();

export function pendingRequests(edge: EdgeServer): PendingRequest[] {
  return pending.get(edge) ?? [];
}

export function addPendingRequest(edge: EdgeServer, r: PendingRequest): void {
  pending.set(edge, [...pendingRequests(edge), r]);
}

export function publicKeyOf(privateKeyPem: string): Uint8Array {
  return new Uint8Array(createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'der' }));
}

/** Takes the pending request whose key matches the certificate, if any (it is consumed: the request is now a certificate). */
export function claimPendingRequest(edge: EdgeServer, cert: Certificate): PendingRequest | undefined {
  const list = pendingRequests(edge);
  const match = list.find((r) => Buffer.from(r.publicKeyDer).equals(Buffer.from(cert.publicKeyDer)));
  if (match) pending.set(edge, list.filter((r) => r !== match));
  return match;
}

export interface ReadCertificate {
  certificate: Certificate;
  chain: Certificate[];
  privateKeyPem?: string;
}

const BASE64 = /^[A-Za-z0-9+/=\s]+$/;

/** Detects the format by content, as Exchange does; a PFX without -Password is tried with the empty password first. */
export async function readCertificateFile(bytes: Uint8Array, password: string | undefined, path: string): Promise<ReadCertificate> {
  const text = Buffer.from(bytes).toString('latin1');
  if (text.includes('-----BEGIN')) {
    if (/-----BEGIN (PKCS7|CMS)-----/.test(text)) return fromCertificates(importPkcs7(bytes));
    return fromCertificates(Certificate.fromPemBundle(text));
  }
  const der = BASE64.test(text.trim()) && text.trim().length > 0 ? new Uint8Array(Buffer.from(text, 'base64')) : bytes;
  try {
    return fromCertificates([Certificate.fromDer(der)]);
  } catch { /* not a single certificate */ }
  try {
    return fromCertificates(importPkcs7(der));
  } catch { /* not a PKCS#7 chain */ }
  try {
    const k = await importPfx(der, password ?? '');
    return { certificate: k.certificate, chain: k.chain, privateKeyPem: k.privateKeyPem };
  } catch (e) {
    if (isDomsecError(e, 'ERR_PFX_PASSWORD')) {
      throw new DomsecError('ERR_PFX_PASSWORD', password === undefined
        ? `The PFX file '${path}' is protected by a password. Run the command again with -Password.`
        : `The password for the PFX file '${path}' is wrong. Check the -Password value.`);
    }
    throw new DomsecError('ERR_CERT_FORMAT', `The file '${path}' isn't a certificate (DER, PEM or base64), a PKCS#7 chain (.p7b) or a PFX file.`, undefined, { cause: e });
  }
}

/** The leaf is the one certificate that is not a CA (or the first); the rest are its chain. */
function fromCertificates(certs: Certificate[]): ReadCertificate {
  const leaf = certs.find((c) => !c.isCa) ?? certs[0];
  return { certificate: leaf, chain: certs.filter((c) => c !== leaf) };
}
