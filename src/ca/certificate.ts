// Owns the parsed, immutable Certificate: every fact the harness shows or decides on, read once from the DER.
import { createHash, type KeyObject, verify, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { DomsecError } from '../errors.js';
import { toArrayBuffer } from './bytes.js';
import { x509 } from './crypto-provider.js';
import { describePublicKey, type KeyAlgorithm } from './key-algorithm.js';
import { isDnsName } from './names.js';
import { fromBase64, isPem, readPemBlocks, toPem } from './pem.js';
import { derSerialHex } from './serial-number.js';
import { authorityKeyIdOf, crlUrlsOf, ekuOids, isCaConstraint, readCertificateParts, sanDnsNames, SIGNATURE_HASHES, subjectKeyIdOf } from './certificate-facts.js';
import { LEGACY_SIGNATURE_HASHES, signatureAlgorithmOid } from './signature-oid.js';
import { commonNameOf, formatAttributes, formatName, readNameAttributes } from './subject-name.js';

export type Eku = 'serverAuth' | 'clientAuth';

const EKU_OIDS: Record<string, Eku> = { '1.3.6.1.5.5.7.3.1': 'serverAuth', '1.3.6.1.5.5.7.3.2': 'clientAuth' };
export const EKU_OID: Record<Eku, string> = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' };
const ANY_EKU = '2.5.29.37.0';

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b));
}

/** A 199-organization lab (LAB_LIMITS) holds ~600 certificates (root, subordinate, edge each): all fit. */
const PARSED_MAX = 2048;
const PARSED = new Map<string, Certificate>();
/** isSignedBy's answers, per certificate and issuer: both are immutable, so a signature once checked stays as it was. */
const SIGNED_BY = new WeakMap<Certificate, WeakMap<Certificate, boolean>>();

export class Certificate {
  readonly der: Uint8Array;
  readonly pem: string;
  /** Display order, most specific first: 'CN=mail1.contoso.com, DC=Contoso, DC=com'. */
  readonly subject: string;
  readonly issuer: string;
  readonly commonName?: string;
  /** DNS SANs in certificate order. */
  readonly dnsNames: string[];
  /** CN (when it is a DNS name) then the DNS SANs, de-duplicated case-insensitively, first spelling kept. */
  readonly names: string[];
  /** Upper-case hex of the DER INTEGER content (so at most one leading 00, present only when the top bit is set). */
  readonly serialNumber: string;
  /** SHA-1 of the DER, 40 upper-case hex digits, as Get-ExchangeCertificate shows it. */
  readonly thumbprint: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** 'any' when the certificate has no EKU extension (or lists anyExtendedKeyUsage); other EKUs are not listed. */
  readonly ekus: Eku[] | 'any';
  /** Subject equals issuer and the certificate's own key verifies its signature. */
  readonly isSelfSigned: boolean;
  readonly isCa: boolean;
  readonly crlDistributionPoints: string[];
  readonly publicKeySize: number;
  readonly keyAlgorithm: KeyAlgorithm;
  // Additions beyond contract.md (the chain builder and the PFX reader need them):
  /** Exact key, e.g. 'RSA-3072', for keys outside KeyAlgorithm (certificates made by other tools). */
  readonly keyDescription: string;
  /** DER of the subject and issuer names; chain building matches on these. */
  readonly subjectDer: Uint8Array;
  readonly issuerDer: Uint8Array;
  /** DER SubjectPublicKeyInfo; lets a private key be paired with its certificate. */
  readonly publicKeyDer: Uint8Array;
  readonly subjectKeyId?: string;
  readonly authorityKeyId?: string;
  /** Hash of the issuer's signature ('SHA-256', 'SHA-1', 'MD5', …; 'unknown' when the algorithm is not one WebCrypto names). */
  readonly signatureHash: string;
  /** OIDs of the extensions marked critical, in certificate order; validateChain refuses those it does not recognize. */
  readonly criticalExtensions: string[];
  #node?: NodeX509Certificate;
  /** The key as node:crypto holds it, when it hands it out: read once (each read made a new KeyObject). */
  #publicKey?: KeyObject;

  private constructor(der: Uint8Array) {
    let facts: CertificateFacts;
    try {
      this.#node = new NodeX509Certificate(Buffer.from(der));
      facts = fastCertificateFacts(der) ?? generalCertificateFacts(der);
    } catch (e) {
      throw new DomsecError('ERR_CERT_FORMAT', 'The certificate could not be parsed: the bytes are not a DER X.509 certificate. Check that the file is a .cer/.crt/.pem certificate, not a key or a request.', undefined, { cause: e });
    }
    this.der = new Uint8Array(der);
    this.pem = toPem(this.der, 'CERTIFICATE');
    this.subjectDer = facts.subjectDer;
    this.issuerDer = facts.issuerDer;
    this.subject = facts.subject;
    this.issuer = facts.issuer;
    if (facts.commonName !== undefined) this.commonName = facts.commonName;
    this.dnsNames = Object.freeze(facts.dnsNames) as string[];
    const names: string[] = [];
    for (const n of [...(this.commonName && isDnsName(this.commonName) ? [this.commonName] : []), ...this.dnsNames]) {
      if (!names.some((m) => m.toLowerCase() === n.toLowerCase())) names.push(n);
    }
    this.names = Object.freeze(names) as string[];
    this.serialNumber = facts.serialNumber;
    this.thumbprint = createHash('sha1').update(this.der).digest('hex').toUpperCase();
    this.notBefore = facts.notBefore;
    this.notAfter = facts.notAfter;
    this.ekus = facts.ekus === 'any' ? 'any' : Object.freeze(facts.ekus) as Eku[];
    this.isCa = facts.isCa;
    this.crlDistributionPoints = Object.freeze(facts.crlDistributionPoints) as string[];
    this.publicKeyDer = facts.publicKeyDer;
    let parsed: KeyObject | undefined;
    try {
      parsed = this.#node!.publicKey;
    } catch {
      parsed = undefined; // a key node:crypto's certificate will not hand out: parsed from the DER as before
    }
    this.#publicKey = parsed;
    const key = describePublicKey(this.publicKeyDer, parsed);
    this.publicKeySize = key.size;
    this.keyAlgorithm = key.algorithm;
    this.keyDescription = key.description;
    if (facts.subjectKeyId !== undefined) this.subjectKeyId = facts.subjectKeyId;
    if (facts.authorityKeyId !== undefined) this.authorityKeyId = facts.authorityKeyId;
    this.signatureHash = facts.signatureHash;
    this.criticalExtensions = Object.freeze(facts.criticalExtensions) as string[];
    this.isSelfSigned = sameBytes(this.subjectDer, this.issuerDer) && this.isSignedBy(this);
    Object.freeze(this);
  }

  /** Reads the first CERTIFICATE block of a PEM text (bare base64 DER is accepted too). */
  static fromPem(pem: string): Certificate {
    const all = Certificate.fromPemBundle(pem);
    return all[0]!;
  }

  /** Every certificate in a PEM text, in order (a chain file, or a leaf followed by its issuers). */
  static fromPemBundle(pem: string): Certificate[] {
    if (typeof pem !== 'string') throw new DomsecError('ERR_CERT_FORMAT', 'The certificate must be PEM text ("-----BEGIN CERTIFICATE-----").');
    if (!isPem(pem)) {
      const der = fromBase64(pem);
      if (der) return [Certificate.fromDer(der)];
      throw new DomsecError('ERR_CERT_FORMAT', 'The text is not a PEM certificate: no "-----BEGIN CERTIFICATE-----" block was found.');
    }
    const blocks = readPemBlocks(pem).filter((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE');
    if (blocks.length === 0) throw new DomsecError('ERR_CERT_FORMAT', 'The PEM text holds no CERTIFICATE block (a key or a request was given where a certificate was expected).');
    return blocks.map((b) => Certificate.fromDer(b.der));
  }

  static fromDer(der: Uint8Array): Certificate {
    if (!(der instanceof Uint8Array) || der.length === 0) throw new DomsecError('ERR_CERT_FORMAT', 'The certificate is empty. Supply the DER bytes of an X.509 certificate.');
    // Certificates are immutable, and every TLS session presents the same few again: parsing is most of a
    // session's CPU on the receive path, hashing the DER is not.
    const key = createHash('sha1').update(der).digest('base64');
    const cached = PARSED.get(key);
    if (cached) return cached;
    const cert = new Certificate(der);
    if (PARSED.size >= PARSED_MAX) PARSED.delete(PARSED.keys().next().value!);
    PARSED.set(key, cert);
    return cert;
  }

  /**
   * True when this certificate's key, of type `keyType` ('rsa', 'ec'), verifies `signature` of `data` under `hash`
   * (RSA PKCS #1 v1.5; ECDSA's signature in DER); false for a key of another type; undefined when node:crypto does not
   * read this certificate's key (the caller asks a library that may).
   */
  verifies(keyType: 'rsa' | 'ec', hash: string, data: Uint8Array, signature: Uint8Array): boolean | undefined {
    const key = this.#publicKey;
    if (!key) return undefined;
    if (key.asymmetricKeyType !== keyType) return false;
    try {
      return verify(hash, data, key, signature);
    } catch {
      return false;
    }
  }

  /** True when `issuer`'s public key verifies this certificate's signature (names are not compared here). */
  isSignedBy(issuer: Certificate): boolean {
    // Remembered: every session checks its partner's chain again, and in a mesh of n organizations no two sessions
    // share a (leaf, trusted roots) pair for the path cache to answer, while the signatures are the same n few.
    let checked = SIGNED_BY.get(this);
    if (!checked) SIGNED_BY.set(this, checked = new WeakMap());
    const known = checked.get(issuer);
    if (known !== undefined) return known;
    let ok: boolean;
    try {
      ok = issuer.#publicKey !== undefined && this.#node!.verify(issuer.#publicKey); // no key node:crypto reads: unverified, as before
    } catch {
      ok = false;
    }
    checked.set(issuer, ok);
    return ok;
  }

  /** True when `issuer`'s subject name is this certificate's issuer name. */
  isIssuedBy(issuer: Certificate): boolean {
    return sameBytes(this.issuerDer, issuer.subjectDer) || this.issuer.toLowerCase() === issuer.subject.toLowerCase();
  }

  equals(other: Certificate): boolean {
    return this.thumbprint === other.thumbprint;
  }

  /** Whether the certificate is inside its validity period at `at` (DS-CERT-03). */
  isTimeValid(at: Date): boolean {
    return at.getTime() >= this.notBefore.getTime() && at.getTime() <= this.notAfter.getTime();
  }

  toString(): string {
    return `${this.subject} (${this.thumbprint})`;
  }
}

/** What a Certificate shows, read from its DER (two readers, compared by certificate-facts.test.ts). */
export interface CertificateFacts {
  subjectDer: Uint8Array;
  issuerDer: Uint8Array;
  subject: string;
  issuer: string;
  commonName?: string;
  dnsNames: string[];
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  ekus: Eku[] | 'any';
  isCa: boolean;
  crlDistributionPoints: string[];
  publicKeyDer: Uint8Array;
  subjectKeyId?: string;
  authorityKeyId?: string;
  signatureHash: string;
  criticalExtensions: string[];
}

function ekusOf(oids: string[] | undefined): Eku[] | 'any' {
  if (!oids || oids.includes(ANY_EKU)) return 'any';
  return oids.map((u) => EKU_OIDS[u]).filter((u): u is Eku => u !== undefined);
}

/** Names repeat (a CA's subject is the issuer of all it signs): each distinct one is read once, the latest few kept. */
const NAMES = new Map<string, { text: string; commonName?: string }>();

function nameOf(der: Uint8Array<ArrayBuffer>): { text: string; commonName?: string } {
  const key = Buffer.from(der).toString('base64');
  let n = NAMES.get(key);
  if (!n) {
    const attrs = readNameAttributes(der);
    const cn = attrs.find((a) => a.key === 'CN')?.value;
    n = { text: formatAttributes(attrs), ...(cn !== undefined ? { commonName: cn } : {}) };
    if (NAMES.size >= PARSED_MAX) NAMES.delete(NAMES.keys().next().value!);
    NAMES.set(key, n);
  }
  return n;
}

/**
 * The direct walk (certificate-facts.ts): undefined when the certificate holds anything it does not read (the general
 * parser then decides). Parsing was most of a lab's start: ~10× faster than the general parser.
 */
export function fastCertificateFacts(der: Uint8Array): CertificateFacts | undefined {
  try {
    const p = readCertificateParts(der);
    const ext = (oid: string) => p.extensions.find((e) => e.oid === oid)?.value;
    const sigOid = signatureAlgorithmOid(der) ?? '';
    const signatureHash = LEGACY_SIGNATURE_HASHES[sigOid] ?? SIGNATURE_HASHES[sigOid];
    if (signatureHash === undefined) return undefined;
    const san = ext('2.5.29.17');
    const eku = ext('2.5.29.37');
    const bc = ext('2.5.29.19');
    const ski = ext('2.5.29.14');
    const aki = ext('2.5.29.35');
    const cdp = ext('2.5.29.31');
    const authorityKeyId = aki ? authorityKeyIdOf(aki) : undefined;
    const subjectDer = new Uint8Array(p.subjectDer);
    const issuerDer = new Uint8Array(p.issuerDer);
    const subject = nameOf(subjectDer);
    const commonName = subject.commonName;
    return {
      subjectDer, issuerDer,
      subject: subject.text, issuer: nameOf(issuerDer).text, ...(commonName !== undefined ? { commonName } : {}),
      dnsNames: san ? sanDnsNames(san) : [], serialNumber: derSerialHex(p.serialHex), notBefore: p.notBefore, notAfter: p.notAfter,
      ekus: ekusOf(eku ? ekuOids(eku) : undefined), isCa: bc ? isCaConstraint(bc) : false, crlDistributionPoints: cdp ? crlUrlsOf(cdp) : [],
      publicKeyDer: new Uint8Array(p.publicKeyDer), ...(ski ? { subjectKeyId: subjectKeyIdOf(ski) } : {}), ...(authorityKeyId ? { authorityKeyId } : {}),
      signatureHash, criticalExtensions: p.extensions.filter((e) => e.critical).map((e) => e.oid),
    };
  } catch {
    return undefined;
  }
}

/** The general ASN.1 parser (@peculiar/x509): every certificate it can read. Throws on bytes that are no certificate. */
export function generalCertificateFacts(der: Uint8Array): CertificateFacts {
  const cert = new x509.X509Certificate(toArrayBuffer(der));
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const cdp = cert.getExtension(x509.CRLDistributionPointsExtension);
  const urls: string[] = [];
  for (const dp of cdp?.distributionPoints ?? []) {
    for (const gn of dp.distributionPoint?.fullName ?? []) if (gn.uniformResourceIdentifier) urls.push(gn.uniformResourceIdentifier);
  }
  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension);
  let hash = LEGACY_SIGNATURE_HASHES[signatureAlgorithmOid(der) ?? ''] ?? 'unknown';
  if (hash === 'unknown') try {
    const alg = cert.signatureAlgorithm as { hash?: { name?: string } };
    if (alg?.hash?.name) hash = alg.hash.name.toUpperCase();
  } catch { /* an algorithm the provider cannot name stays 'unknown' */ }
  const commonName = commonNameOf(cert.subjectName);
  return {
    subjectDer: new Uint8Array(cert.subjectName.toArrayBuffer()), issuerDer: new Uint8Array(cert.issuerName.toArrayBuffer()),
    subject: formatName(cert.subjectName), issuer: formatName(cert.issuerName), ...(commonName !== undefined ? { commonName } : {}),
    dnsNames: san ? san.names.items.filter((g) => g.type === 'dns').map((g) => g.value) : [],
    serialNumber: derSerialHex(cert.serialNumber), notBefore: cert.notBefore, notAfter: cert.notAfter,
    ekus: ekusOf(eku ? Array.from(eku.usages, String) : undefined), isCa: cert.getExtension(x509.BasicConstraintsExtension)?.ca ?? false,
    crlDistributionPoints: urls, publicKeyDer: new Uint8Array(cert.publicKey.rawData),
    ...(ski ? { subjectKeyId: ski.keyId.toUpperCase() } : {}), ...(aki?.keyId ? { authorityKeyId: aki.keyId.toUpperCase() } : {}),
    signatureHash: hash, criticalExtensions: cert.extensions.filter((e) => e.critical).map((e) => e.type),
  };
}
