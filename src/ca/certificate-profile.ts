// Owns what goes into a certificate: LeafOptions and their defaults, and the extension sets for CA and leaf certificates.
import { DomsecError } from '../errors.js';
import { EKU_OID, type Certificate, type Eku } from './certificate.js';
import { x509 } from './crypto-provider.js';
import type { KeyAlgorithm } from './key-algorithm.js';

/** A certificate with its private key, as an edge server holds it. */
export interface KeyedCertificate {
  certificate: Certificate;
  /** PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), usable by Node's tls as is. */
  privateKeyPem: string;
  /** The issuers, leaf excluded, root last (empty for a self-signed certificate). */
  chain: Certificate[];
}

export interface LeafOptions {
  commonName: string;
  /** DNS SANs. The CN is NOT added automatically, so CN-only and SAN-only certificates can be made. */
  dnsNames?: string[];
  /** Default ['serverAuth','clientAuth']; 'none' = no EKU extension (valid for any purpose). */
  ekus?: Eku[] | 'none';
  /** Default now - 1 day .. now + 1 year, where now is the issuer's clock. */
  notBefore?: Date;
  notAfter?: Date;
  algorithm?: KeyAlgorithm;
  /** Derive the key from this seed (seeded-key.ts) instead of drawing a random one; an issuing CA with a keySeed supplies one. */
  keySeed?: string;
  /** Full DN in either order (see parseExchangeSubject); overrides the CN-only subject built from commonName. */
  subject?: string;
  /** Signature hash the issuer uses; default SHA-256. SHA-1 makes the legacy certificates of the weak-signature scenarios. */
  signatureHash?: 'SHA-256' | 'SHA-1';
  /** Extensions added as given (e.g. an unknown critical one, for the DS-CERT-06 scenarios). */
  extraExtensions?: { oid: string; critical: boolean; value: Uint8Array }[];
}

export const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_EKUS: Eku[] = ['serverAuth', 'clientAuth'];

/** Validity window with the documented defaults; a window that ends before it starts is a caller error, not a certificate. */
export function validityWindow(now: Date, o: { notBefore?: Date; notAfter?: Date }, defaultDays: number): { notBefore: Date; notAfter: Date } {
  for (const [field, v] of [['notBefore', o.notBefore], ['notAfter', o.notAfter], ['now', now]] as const) {
    if (v !== undefined && !(v instanceof Date)) throw new DomsecError('ERR_CERT_FORMAT', `${field} must be a Date, not ${JSON.stringify(v)}.`);
  }
  const notBefore = o.notBefore ?? new Date(now.getTime() - DAY_MS);
  const notAfter = o.notAfter ?? new Date(now.getTime() + defaultDays * DAY_MS);
  const show = (d: Date): string => (Number.isNaN(d.getTime()) ? 'an invalid date' : d.toISOString());
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime()) || notAfter.getTime() < notBefore.getTime()) {
    throw new DomsecError('ERR_CERT_FORMAT', `The validity period is not valid (notBefore ${show(notBefore)}, notAfter ${show(notAfter)}). Give real dates with notAfter not before notBefore.`);
  }
  return { notBefore, notAfter };
}

interface CommonParts {
  publicKey: x509.PublicKeyType;
  /** Key identifier of the issuer (its SKI); absent for a self-signed certificate, whose AKI is its own SKI. */
  issuerKeyId?: string;
  crlUrl?: string;
}

async function commonExtensions(p: CommonParts): Promise<x509.Extension[]> {
  const ski = await x509.SubjectKeyIdentifierExtension.create(p.publicKey);
  const exts: x509.Extension[] = [ski, new x509.AuthorityKeyIdentifierExtension(p.issuerKeyId ?? ski.keyId)];
  if (p.crlUrl) exts.push(new x509.CRLDistributionPointsExtension([p.crlUrl]));
  return exts;
}

/** A CA: basicConstraints CA (critical) and keyCertSign + cRLSign (critical), as RFC 5280 and Windows require. */
export async function caExtensions(p: CommonParts): Promise<x509.Extension[]> {
  return [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
    ...(await commonExtensions(p)),
  ];
}

/**
 * An end-entity TLS certificate. RSA keys also get keyEncipherment because TLS 1.2 RSA key exchange
 * (still offered by older MTAs) encrypts to the certificate key.
 */
export async function leafExtensions(p: CommonParts & { keyIsEc: boolean; dnsNames: string[]; ekus: Eku[] | 'none' }): Promise<x509.Extension[]> {
  const usage = p.keyIsEc
    ? x509.KeyUsageFlags.digitalSignature
    : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment;
  const exts: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false),
    new x509.KeyUsagesExtension(usage, true),
  ];
  if (p.ekus !== 'none') exts.push(new x509.ExtendedKeyUsageExtension(p.ekus.map((e) => EKU_OID[e])));
  if (p.dnsNames.length > 0) exts.push(new x509.SubjectAlternativeNameExtension(p.dnsNames.map((value) => ({ type: 'dns' as const, value }))));
  return [...exts, ...(await commonExtensions(p))];
}

/** Refuses option values that would silently produce a different certificate than asked for. */
export function checkLeafOptions(o: LeafOptions): void {
  if (!o || typeof o.commonName !== 'string' || o.commonName.trim() === '') {
    throw new DomsecError('ERR_SUBJECT_NAME', 'The certificate needs a commonName (e.g. mail.contoso.com).');
  }
  for (const n of o.dnsNames ?? []) {
    if (typeof n !== 'string' || n.trim() === '' || /\s/.test(n)) throw new DomsecError('ERR_SUBJECT_NAME', `The DNS name '${String(n)}' is not valid. Use names like mail.contoso.com or *.contoso.com.`);
  }
  if (o.ekus !== undefined && o.ekus !== 'none' && (!Array.isArray(o.ekus) || o.ekus.some((e) => e !== 'serverAuth' && e !== 'clientAuth'))) {
    throw new DomsecError('ERR_CERT_FORMAT', `The EKU list ${JSON.stringify(o.ekus)} is not valid. Use 'none' or a list of 'serverAuth' and 'clientAuth'.`);
  }
}
