// Owns a certificate authority: root and issuing CAs, issuing leaves, signing requests, revocation and its CRL.
import { DomsecError } from '../errors.js';
import { toArrayBuffer } from './bytes.js';
import { Certificate, type Eku } from './certificate.js';
import { caExtensions, checkLeafOptions, DAY_MS, DEFAULT_EKUS, leafExtensions, validityWindow, type KeyedCertificate, type LeafOptions } from './certificate-profile.js';
import { x509 } from './crypto-provider.js';
import { buildCrl, type RevokedEntry } from './crl.js';
import { cacheKeyPart, cachedCertificate } from './certificate-cache.js';
import { DEFAULT_KEY_ALGORITHM, exportPrivateKeyPem, generateKeyPair, importSigningKey, type KeyAlgorithm } from './key-algorithm.js';
import { openRequest } from './request.js';
import { normalizeSerial, SerialNumberSource } from './serial-number.js';
import { signCertificate } from './sign-certificate.js';
import { commonNameSubject, encodeSubject } from './subject-name.js';

export interface AuthorityOptions {
  /** CN of the CA, e.g. 'Adatum Root CA'. */
  name: string;
  algorithm?: KeyAlgorithm;
  /** Defaults: now - 1 day, now + 10 years. */
  notBefore?: Date;
  notAfter?: Date;
  /** The virtual clock's time; default new Date(). Also the default time for what this CA issues later. */
  now?: Date;
  /** CRL distribution point written into certificates THIS CA issues. */
  crlUrl?: string;
  /** Deterministic serial numbers: sha256(`${serialSeed}:${counter}`). */
  serialSeed?: string;
  /**
   * Addition to contract.md: derive keys instead of drawing them. This CA's key comes from `${keySeed}/ca`, each key it
   * makes later (leaves, subordinates without their own keySeed) from `${keySeed}/<kind>/<n>`, n counted in call order.
   */
  keySeed?: string;
  /** Addition to contract.md: a live clock (e.g. the simulation's); wins over `now` for later issuing and CRLs. */
  clock?: () => Date;
}

export interface SignRequestOptions { notBefore?: Date; notAfter?: Date; ekus?: Eku[] | 'none'; now?: Date }

const CA_YEARS_DAYS = 3652;
const LEAF_DAYS = 365;
const CRL_DAYS = 7;

function clockOf(o: { now?: Date; clock?: () => Date }): () => Date {
  if (o.clock) return o.clock;
  const fixed = o.now;
  return fixed ? () => new Date(fixed.getTime()) : () => new Date();
}

function checkAuthorityOptions(o: AuthorityOptions): void {
  if (!o || typeof o.name !== 'string' || o.name.trim() === '') {
    throw new DomsecError('ERR_SUBJECT_NAME', 'The certificate authority needs a name (its CN), e.g. "Adatum Root CA".');
  }
}

/**
 * A CA's key, made when it first signs. A CA whose certificate comes from the cache (certificate-cache.ts) may sign
 * nothing in a lab's life, or only its first CRL: importing two keys per CA was a third of a 100-organization lab's start.
 */
type LazyKeys = () => Promise<CryptoKeyPair>;

function lazyKeys(make: () => Promise<CryptoKeyPair>): LazyKeys {
  let keys: Promise<CryptoKeyPair> | undefined;
  return () => (keys ??= make());
}

interface AuthorityState {
  certificate: Certificate;
  chain: Certificate[];
  signingKey: () => Promise<CryptoKey>;
  crlUrl?: string;
  clock: () => Date;
  serials: SerialNumberSource;
  algorithm: KeyAlgorithm;
  keySeed?: string;
}

export class CertificateAuthority {
  readonly certificate: Certificate;
  /** This CA's issuers up to the root (empty for a root). */
  readonly chain: Certificate[];
  readonly crlUrl?: string;
  readonly #signingKey: () => Promise<CryptoKey>;
  readonly #clock: () => Date;
  readonly #serials: SerialNumberSource;
  readonly #revoked = new Map<string, RevokedEntry>();
  #crlNumber = 0;
  /** The algorithm of this CA's own key, and so of what it makes when not told otherwise. */
  readonly algorithm: KeyAlgorithm;
  readonly #keySeed?: string;
  #keysMade = 0;

  private constructor(s: AuthorityState) {
    this.certificate = s.certificate;
    this.chain = Object.freeze([...s.chain]) as Certificate[];
    if (s.crlUrl !== undefined) this.crlUrl = s.crlUrl;
    this.#signingKey = s.signingKey;
    this.#clock = s.clock;
    this.#serials = s.serials;
    this.algorithm = s.algorithm;
    if (s.keySeed !== undefined) this.#keySeed = s.keySeed;
  }

  /**
   * Addition: the seed for the next key this CA makes (undefined when its keys are random). Drawn synchronously, like
   * serial numbers, so overlapping calls still get seeds in call order.
   */
  nextKeySeed(kind: string): string | undefined {
    return this.#keySeed === undefined ? undefined : `${this.#keySeed}/${kind}/${this.#keysMade++}`;
  }

  /** A self-signed root CA. */
  static async createRoot(o: AuthorityOptions): Promise<CertificateAuthority> {
    checkAuthorityOptions(o);
    const clock = clockOf(o);
    const serials = new SerialNumberSource(o.serialSeed);
    const algorithm = o.algorithm ?? DEFAULT_KEY_ALGORITHM;
    const keys = lazyKeys(() => generateKeyPair(algorithm, o.keySeed === undefined ? undefined : `${o.keySeed}/ca`));
    const name = commonNameSubject(o.name);
    const { notBefore, notAfter } = validityWindow(clock(), o, CA_YEARS_DAYS);
    const serialNumber = serials.next();
    const make = async () => {
      const { publicKey, privateKey } = await keys();
      return { certificate: await signCertificate({
        subject: name, issuer: name, publicKey, signingKey: privateKey, serialNumber, notBefore, notAfter,
        extensions: await caExtensions({ publicKey }),
      }) };
    };
    const { certificate } = o.keySeed === undefined ? await make()
      : await cachedCertificate(cacheKeyPart(['root', algorithm, o.keySeed, o.name, serialNumber, notBefore, notAfter]) as unknown[], 'self', make);
    return new CertificateAuthority({
      certificate, chain: [], signingKey: async () => (await keys()).privateKey, clock, serials, algorithm,
      ...(o.keySeed !== undefined ? { keySeed: o.keySeed } : {}), ...(o.crlUrl ? { crlUrl: o.crlUrl } : {}),
    });
  }

  /**
   * An issuing CA signed by this one; its certificate carries this CA's CRL URL, its own options decide what it issues.
   * Without `now`/`clock` it shares this CA's clock; without `algorithm` it uses this CA's; without `keySeed` it gets
   * one from this CA's (when this CA has one).
   */
  async createSubordinate(o: AuthorityOptions): Promise<CertificateAuthority> {
    checkAuthorityOptions(o);
    const serialNumber = this.#serials.next();
    const keySeed = o.keySeed ?? this.nextKeySeed('subordinate');
    const clock = o.now || o.clock ? clockOf(o) : this.#clock;
    const algorithm = o.algorithm ?? this.algorithm;
    const keys = lazyKeys(() => generateKeyPair(algorithm, keySeed === undefined ? undefined : `${keySeed}/ca`));
    const { notBefore, notAfter } = validityWindow(clock(), o, CA_YEARS_DAYS);
    const make = async () => {
      const { publicKey } = await keys();
      return { certificate: await signCertificate({
        subject: commonNameSubject(o.name), issuer: this.#issuerName(), publicKey, signingKey: await this.#signingKey(),
        serialNumber, notBefore, notAfter,
        extensions: await caExtensions({ publicKey, ...this.#issuerRefs() }),
      }) };
    };
    const { certificate } = keySeed === undefined ? await make()
      : await cachedCertificate(cacheKeyPart(['subordinate', this.certificate.thumbprint, algorithm, keySeed, o.name, serialNumber, notBefore, notAfter, this.#issuerRefs()]) as unknown[], this.certificate, make);
    return new CertificateAuthority({
      certificate, chain: [this.certificate, ...this.chain], signingKey: async () => (await keys()).privateKey, clock, algorithm,
      serials: new SerialNumberSource(o.serialSeed), ...(keySeed !== undefined ? { keySeed } : {}), ...(o.crlUrl ? { crlUrl: o.crlUrl } : {}),
    });
  }

  /**
   * A leaf with a fresh key (of this CA's algorithm unless told; derived when this CA or `o` has a key seed).
   * `now` (an addition) overrides this CA's clock for the default validity window. Serial numbers and key seeds are
   * drawn before the first await, so seeded serials and keys follow call order even when calls overlap.
   */
  async issue(o: LeafOptions & { now?: Date }): Promise<KeyedCertificate> {
    checkLeafOptions(o);
    const serialNumber = this.#serials.next();
    const keySeed = o.keySeed ?? this.nextKeySeed('leaf');
    const { notBefore, notAfter } = validityWindow(o.now ?? this.#clock(), o, LEAF_DAYS);
    const algorithm = o.algorithm ?? this.algorithm;
    const make = () => this.#issueLeaf(o, algorithm, keySeed, serialNumber, notBefore, notAfter);
    const made = keySeed === undefined ? await make()
      : await cachedCertificate(cacheKeyPart(['leaf', this.certificate.thumbprint, algorithm, keySeed, serialNumber, notBefore, notAfter, this.#issuerRefs(),
        o.subject ?? null, o.commonName, o.dnsNames ?? [], o.ekus ?? DEFAULT_EKUS, o.signatureHash ?? null, o.extraExtensions ?? []]) as unknown[], this.certificate, make);
    return { certificate: made.certificate, privateKeyPem: made.privateKeyPem!, chain: [this.certificate, ...this.chain] };
  }

  async #issueLeaf(o: LeafOptions, algorithm: KeyAlgorithm, keySeed: string | undefined, serialNumber: string, notBefore: Date, notAfter: Date): Promise<{ certificate: Certificate; privateKeyPem: string }> {
    const keys = await generateKeyPair(algorithm, keySeed);
    const certificate = await signCertificate({
      subject: o.subject ? encodeSubject(o.subject) : commonNameSubject(o.commonName),
      issuer: this.#issuerName(), publicKey: keys.publicKey, signingKey: await this.#signingKey(),
      serialNumber, notBefore, notAfter,
      extensions: await leafExtensions({
        publicKey: keys.publicKey, keyIsEc: keys.publicKey.algorithm.name === 'ECDSA', ...this.#issuerRefs(),
        dnsNames: o.dnsNames ?? [], ekus: o.ekus ?? DEFAULT_EKUS,
      }).then((exts) => [...exts, ...(o.extraExtensions ?? []).map((e) => new x509.Extension(e.oid, e.critical, toArrayBuffer(e.value)))]),
      ...(o.signatureHash ? { hash: o.signatureHash } : {}),
    });
    return { certificate, privateKeyPem: await exportPrivateKeyPem(keys.privateKey) };
  }

  /** Issues a certificate for a PKCS#10 request: subject and DNS SANs are copied from it. ERR_CSR_FORMAT / ERR_CSR_SIGNATURE. */
  async signRequest(csrPem: string, o: SignRequestOptions = {}): Promise<Certificate> {
    const serialNumber = this.#serials.next();
    const req = await openRequest(csrPem);
    const { notBefore, notAfter } = validityWindow(o.now ?? this.#clock(), o, LEAF_DAYS);
    return signCertificate({
      subject: req.subject, issuer: this.#issuerName(), publicKey: req.publicKey, signingKey: await this.#signingKey(),
      serialNumber, notBefore, notAfter,
      extensions: await leafExtensions({
        publicKey: req.publicKey, keyIsEc: req.keyIsEc, ...this.#issuerRefs(),
        dnsNames: req.dnsNames, ekus: o.ekus ?? DEFAULT_EKUS,
      }),
    });
  }

  /** Puts a serial on this CA's CRL (any hex spelling; compared without case, separators or leading zeros). */
  revoke(serialNumber: string, at?: Date): void {
    if (typeof serialNumber !== 'string' || !/^[0-9a-fA-F\s:]+$/.test(serialNumber)) {
      throw new DomsecError('ERR_CERT_FORMAT', `'${String(serialNumber)}' is not a certificate serial number. Give the hex SerialNumber shown by Get-ExchangeCertificate.`);
    }
    const key = normalizeSerial(serialNumber);
    if (!this.#revoked.has(key)) this.#revoked.set(key, { serialNumber: key, revokedAt: at ?? this.#clock() });
  }

  isRevoked(serialNumber: string): boolean {
    return this.#revoked.has(normalizeSerial(serialNumber));
  }

  /** Addition: the revoked serials with their revocation dates, oldest first. */
  revokedSerials(): RevokedEntry[] {
    return [...this.#revoked.values()].map((e) => ({ ...e }));
  }

  /** DER X.509 v2 CRL signed by this CA, listing every revoked serial; nextUpdate defaults to now + 7 days. */
  async crl(now?: Date, nextUpdate?: Date): Promise<Uint8Array> {
    const thisUpdate = now ?? this.#clock();
    this.#crlNumber += 1;
    return buildCrl({
      issuerDer: this.certificate.subjectDer,
      issuerKeyId: this.certificate.subjectKeyId,
      signingKey: await this.#signingKey(),
      thisUpdate,
      nextUpdate: nextUpdate ?? new Date(thisUpdate.getTime() + CRL_DAYS * DAY_MS),
      crlNumber: this.#crlNumber,
      entries: [...this.#revoked.values()],
    });
  }

  /** Addition: this CA as a KeyedCertificate (e.g. to export it as PFX). */
  async exportKeyed(): Promise<KeyedCertificate> {
    return { certificate: this.certificate, privateKeyPem: await exportPrivateKeyPem(await this.#signingKey()), chain: [...this.chain] };
  }

  /** Addition: rebuilds a CA from a stored certificate and key (e.g. importPfx of a CA), to issue more certificates. */
  static async fromKeyed(k: KeyedCertificate, o: Omit<AuthorityOptions, 'name' | 'algorithm' | 'notBefore' | 'notAfter'> = {}): Promise<CertificateAuthority> {
    if (!k.certificate.isCa) {
      throw new DomsecError('ERR_CERT_FORMAT', `'${k.certificate.subject}' is not a CA certificate (basicConstraints CA is not set), so it cannot issue certificates.`);
    }
    const signingKey = await importSigningKey(k.privateKeyPem);
    return new CertificateAuthority({
      certificate: k.certificate, chain: k.chain, signingKey: async () => signingKey,
      clock: clockOf(o), serials: new SerialNumberSource(o.serialSeed),
      // Leaves get the CA's own algorithm only when it is one we make (an RSA-3072 CA is bucketed as RSA-4096 otherwise).
      algorithm: k.certificate.keyDescription === k.certificate.keyAlgorithm ? k.certificate.keyAlgorithm : DEFAULT_KEY_ALGORITHM,
      ...(o.keySeed !== undefined ? { keySeed: o.keySeed } : {}), ...(o.crlUrl ? { crlUrl: o.crlUrl } : {}),
    });
  }

  /** The issuer name is copied byte for byte from this CA's subject so every chain builder matches it. */
  #issuerName(): x509.Name {
    return new x509.Name(toArrayBuffer(this.certificate.subjectDer));
  }

  #issuerRefs(): { issuerKeyId?: string; crlUrl?: string } {
    return {
      ...(this.certificate.subjectKeyId ? { issuerKeyId: this.certificate.subjectKeyId } : {}),
      ...(this.crlUrl ? { crlUrl: this.crlUrl } : {}),
    };
  }
}
