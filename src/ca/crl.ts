// Owns certificate revocation lists: building a CA's signed CRL and checking one certificate against a fetched CRL (DS-CERT-04).
import { createHash } from 'node:crypto';
import { DomsecError } from '../errors.js';
import type { Certificate } from './certificate.js';
import { toArrayBuffer } from './bytes.js';
import { webcrypto, x509 } from './crypto-provider.js';
import { SIGNATURE_HASHES } from './certificate-facts.js';
import { signingAlgorithmFor } from './key-algorithm.js';
import { childrenOf, contentsOf, elementOf, hexOf, oidText, readTlv, timeOf } from './der-reader.js';
import { bitString, ecdsaSignatureDer, integer, integerHex, NULL, octetString, oid, sequence, time, tlv } from './der-writer.js';
import { derSerialHex, normalizeSerial } from './serial-number.js';
import { formatName } from './subject-name.js';

export interface RevokedEntry { serialNumber: string; revokedAt: Date }

export interface CrlParams {
  /** The CA's subject as its certificate carries it: a CRL's issuer is compared byte for byte (verifyCrl does). */
  issuerDer: Uint8Array;
  /** The CA's subject key identifier (hex), for the authorityKeyIdentifier extension. */
  issuerKeyId?: string;
  signingKey: CryptoKey;
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber: number;
  entries: RevokedEntry[];
}

const CRL_NUMBER_OID = '2.5.29.20';
const AUTHORITY_KEY_ID_OID = '2.5.29.35';
const RSA_PKCS1 = '1.2.840.113549.1.1.';
const ECDSA = '1.2.840.10045.4.';
/** An ECDSA key signs with the hash signingAlgorithmFor gives, SHA-256: ecdsa-with-SHA256, no parameters. */
const ECDSA_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));

/** sha…WithRSAEncryption (NULL parameters) by hash name, from the signature algorithms certificates are read with. */
const RSA_BY_HASH = new Map(Object.entries(SIGNATURE_HASHES).filter(([o]) => o.startsWith(RSA_PKCS1)).map(([o, hash]) => [hash, sequence(oid(o), NULL)]));

/**
 * The AlgorithmIdentifier of the signature `key` makes (as @peculiar/x509 names it), or undefined for other keys. An
 * RSA key signs with the hash it was imported with (WebCrypto binds it to the key).
 */
function crlSignatureAlgorithm(key: CryptoKey): Uint8Array | undefined {
  if (key.algorithm.name === 'ECDSA') return ECDSA_SHA256;
  return key.algorithm.name === 'RSASSA-PKCS1-v1_5' ? RSA_BY_HASH.get((key.algorithm as RsaHashedKeyAlgorithm).hash.name) : undefined;
}

/**
 * A v2 CRL: issuer, thisUpdate, nextUpdate, the revoked serials with their dates, authorityKeyIdentifier and cRLNumber,
 * signed by the CA's key. Written directly in DER, byte for byte what @peculiar/x509's generator writes for the same
 * inputs (crl.test.ts), which took ~2.5 ms a CRL through its ASN.1 objects; a key of another kind still goes through it.
 */
export async function buildCrl(p: CrlParams): Promise<Uint8Array> {
  const algorithm = crlSignatureAlgorithm(p.signingKey);
  if (!algorithm) return buildCrlThroughX509(p);
  const extensions = [
    ...(p.issuerKeyId ? [sequence(oid(AUTHORITY_KEY_ID_OID), octetString(sequence(tlv(0x80, Buffer.from(p.issuerKeyId, 'hex')))))] : []),
    sequence(oid(CRL_NUMBER_OID), octetString(integer(p.crlNumber))),
  ];
  // Each entry with an empty crlEntryExtensions, as @peculiar/x509 has always written them (RFC 5280 says SIZE (1..MAX);
  // OpenSSL, Postfix and Exim read them): the CRLs stay what they were.
  const entries = p.entries.map((e) => sequence(integerHex(derSerialHex(e.serialNumber)), time(e.revokedAt), sequence()));
  const tbs = sequence(
    integer(1), // v2
    algorithm, p.issuerDer, time(p.thisUpdate), time(p.nextUpdate),
    ...(entries.length > 0 ? [sequence(...entries)] : []), // absent, not empty, when nothing is revoked
    tlv(0xa0, sequence(...extensions)),
  );
  const signature = new Uint8Array(await webcrypto.subtle.sign(signingAlgorithmFor(p.signingKey), p.signingKey, toArrayBuffer(tbs)));
  return sequence(tbs, algorithm, bitString(p.signingKey.algorithm.name === 'ECDSA' ? ecdsaSignatureDer(signature) : signature));
}

/** The same CRL through @peculiar/x509's generator: for keys buildCrl does not sign itself, and as its reference. */
export async function buildCrlThroughX509(p: CrlParams): Promise<Uint8Array> {
  const extensions: x509.Extension[] = [new x509.Extension(CRL_NUMBER_OID, false, toArrayBuffer(integer(p.crlNumber)))];
  if (p.issuerKeyId) extensions.unshift(new x509.AuthorityKeyIdentifierExtension(p.issuerKeyId));
  const crl = await x509.X509CrlGenerator.create({
    issuer: new x509.Name(toArrayBuffer(p.issuerDer)),
    thisUpdate: p.thisUpdate,
    nextUpdate: p.nextUpdate,
    signingKey: p.signingKey,
    signingAlgorithm: signingAlgorithmFor(p.signingKey),
    extensions,
    entries: p.entries.map((e) => ({ serialNumber: derSerialHex(e.serialNumber), revocationDate: e.revokedAt })),
  });
  return new Uint8Array(crl.rawData);
}

export interface CrlSummary { issuer: string; thisUpdate: Date; nextUpdate?: Date; serialNumbers: string[] }

/** Addition: what a CRL says, for reports and the shell; ERR_CERT_FORMAT when the bytes are not a CRL. */
export function describeCrl(der: Uint8Array): CrlSummary {
  let crl: x509.X509Crl;
  try {
    crl = new x509.X509Crl(toArrayBuffer(der));
  } catch (e) {
    throw new DomsecError('ERR_CERT_FORMAT', 'The bytes are not a DER X.509 CRL. Check the CRL distribution point serves the .crl file itself.', undefined, { cause: e });
  }
  return {
    issuer: formatName(crl.issuerName),
    thisUpdate: crl.thisUpdate,
    ...(crl.nextUpdate ? { nextUpdate: crl.nextUpdate } : {}),
    serialNumbers: crl.entries.map((e) => derSerialHex(e.serialNumber)),
  };
}

export type CrlCheck =
  | { status: 'good' }
  | { status: 'revoked'; revokedAt: Date }
  /** The CRL cannot be relied on: unparseable, from another issuer, badly signed or stale. Treated like an unreachable CRL. */
  | { status: 'unusable'; reason: string };

interface VerifiedCrl {
  /** Revocation date by normalized serial, read once from the verified CRL; absent when the CRL is unusable. */
  revoked?: Map<string, Date>;
  nextUpdate?: Date;
  unusable?: string;
}

/** What a check needs from a CRL: its issuer as written, nextUpdate, each entry's serial and date in order, its signature. */
interface CrlContents {
  issuerDer: Uint8Array;
  nextUpdate?: Date;
  entries: { serialNumber: string; revokedAt: Date }[];
  /** The to-be-signed bytes, the algorithm and the signature as written, when both algorithm fields are the same. */
  signed?: { tbs: Uint8Array; algorithm: string; signature: Uint8Array };
}

const isTime = (tag: number | undefined) => tag === 0x17 || tag === 0x18;

/**
 * A v1 or v2 CRL read straight from its DER, every element where RFC 5280 puts it and nothing left over; undefined
 * for anything else, which @peculiar/x509 then reads (and judges) as it always did. Its ASN.1 objects took ~1 ms a CRL.
 */
function readCrl(der: Uint8Array): CrlContents | undefined {
  try {
    const outer = readTlv(der, 0);
    const [tbs, signatureAlgorithm, signature, extra] = childrenOf(der, outer);
    if (outer.tag !== 0x30 || outer.end !== der.length || tbs?.tag !== 0x30 || signatureAlgorithm?.tag !== 0x30 || signature?.tag !== 0x03 || extra) return undefined;
    const fields = childrenOf(der, tbs);
    let at = 0;
    if (fields[at]?.tag === 0x02) {
      if (!Buffer.from(contentsOf(der, fields[at]!)).equals(Uint8Array.of(1))) return undefined; // v2
      at++;
    }
    const [algorithm, issuer, thisUpdate] = [fields[at++], fields[at++], fields[at++]];
    if (algorithm?.tag !== 0x30 || issuer?.tag !== 0x30 || !isTime(thisUpdate?.tag)) return undefined;
    timeOf(der, thisUpdate!); // a time that does not read is left to @peculiar/x509 too
    const nextUpdate = isTime(fields[at]?.tag) ? timeOf(der, fields[at++]!) : undefined;
    const entries: CrlContents['entries'] = [];
    if (fields[at]?.tag === 0x30) {
      for (const entry of childrenOf(der, fields[at++]!)) {
        const [serial, date, extensions, more] = childrenOf(der, entry);
        if (entry.tag !== 0x30 || serial?.tag !== 0x02 || !isTime(date?.tag) || (extensions && extensions.tag !== 0x30) || more) return undefined;
        entries.push({ serialNumber: hexOf(contentsOf(der, serial)), revokedAt: timeOf(der, date!) });
      }
    }
    if (fields[at]?.tag === 0xa0) at++;
    if (at !== fields.length) return undefined;
    const algorithmOid = childrenOf(der, signatureAlgorithm)[0];
    const agree = algorithmOid?.tag === 0x06 && der[signature.contents] === 0 && Buffer.from(elementOf(der, algorithm)).equals(elementOf(der, signatureAlgorithm));
    return {
      issuerDer: elementOf(der, issuer), ...(nextUpdate ? { nextUpdate } : {}), entries,
      ...(agree ? { signed: { tbs: elementOf(der, tbs), algorithm: oidText(contentsOf(der, algorithmOid)), signature: der.subarray(signature.contents + 1, signature.end) } } : {}),
    };
  } catch {
    return undefined;
  }
}

// A CRL is immutable once signed; sessions present the same issuers again and again, so the parse and the
// signature check are done once per (CRL bytes, issuer), and so is the index of its entries by serial (a search of
// them per session was most of a mesh's CRL checks). Time and serial are still checked on every call.
const VERIFIED = new Map<string, Promise<VerifiedCrl>>();
const VERIFIED_MAX = 1024; // two CRLs per organization (root and subordinate CA) of a 199-organization lab

/**
 * Whether the CRL `der` is signed with `issuer`'s key. RSA PKCS #1 v1.5 and ECDSA (as CAs sign CRLs) are checked by
 * node:crypto with the key the issuer's certificate already holds (ECDSA's signature in DER, as a CRL carries it);
 * anything else by @peculiar/x509, which parses the issuer's certificate again and imports its key into WebCrypto
 * (that was 0.49 of a catalogue's 0.68 s of CRL checks, 0.04 s the first way). `crl` parses the CRL for @peculiar/x509
 * and throws when it cannot: the CRL is then unparseable, not badly signed.
 */
async function signedBy(signed: CrlContents['signed'], crl: () => x509.X509Crl, issuer: Certificate): Promise<boolean> {
  const hash = signed && SIGNATURE_HASHES[signed.algorithm];
  const key = signed?.algorithm.startsWith(RSA_PKCS1) ? 'rsa' : signed?.algorithm.startsWith(ECDSA) ? 'ec' : undefined;
  const verified = signed && hash && key ? issuer.verifies(key, hash, signed.tbs, signed.signature) : undefined;
  if (verified !== undefined) return verified;
  const parsed = crl();
  try {
    return await parsed.verify({ publicKey: new x509.X509Certificate(toArrayBuffer(issuer.der)) });
  } catch {
    return false;
  }
}

async function verifyCrl(crlDer: Uint8Array, issuer: Certificate): Promise<VerifiedCrl> {
  let contents = readCrl(crlDer);
  let parsed: x509.X509Crl | undefined;
  if (!contents) {
    try {
      parsed = new x509.X509Crl(toArrayBuffer(crlDer));
    } catch {
      return { unusable: 'the CRL could not be parsed' };
    }
    contents = {
      issuerDer: new Uint8Array(parsed.issuerName.toArrayBuffer()),
      ...(parsed.nextUpdate ? { nextUpdate: parsed.nextUpdate } : {}),
      entries: parsed.entries.map((e) => ({ serialNumber: e.serialNumber, revokedAt: e.revocationDate })),
    };
  }
  if (!Buffer.from(contents.issuerDer).equals(Buffer.from(issuer.subjectDer))) {
    return { unusable: `the CRL was issued by '${formatName(new x509.Name(toArrayBuffer(contents.issuerDer)))}', not by '${issuer.subject}'` };
  }
  let signed: boolean;
  try {
    signed = await signedBy(contents.signed, () => parsed ?? new x509.X509Crl(toArrayBuffer(crlDer)), issuer);
  } catch {
    return { unusable: 'the CRL could not be parsed' };
  }
  if (!signed) return { unusable: `the CRL signature does not verify with the key of '${issuer.subject}'` };
  const revoked = new Map<string, Date>();
  // The first entry of a serial answers, as a search of the entries in order would.
  for (const e of contents.entries) {
    const serial = normalizeSerial(e.serialNumber);
    if (!revoked.has(serial)) revoked.set(serial, e.revokedAt);
  }
  return { revoked, ...(contents.nextUpdate ? { nextUpdate: contents.nextUpdate } : {}) };
}

/**
 * A CRL's digest per bytes object, with a copy of the bytes it was taken from: the edges' CRL cache hands every session
 * the very same bytes, and comparing them is cheaper than hashing them again; bytes changed in place are hashed afresh.
 */
const DIGESTS = new WeakMap<Uint8Array, { bytes: Buffer; digest: string }>();

function digestOf(crlDer: Uint8Array): string {
  const view = Buffer.from(crlDer.buffer, crlDer.byteOffset, crlDer.byteLength);
  const known = DIGESTS.get(crlDer);
  if (known && known.bytes.equals(view)) return known.digest;
  const digest = createHash('sha1').update(view).digest('base64');
  DIGESTS.set(crlDer, { bytes: Buffer.from(view), digest });
  return digest;
}

/**
 * Checks `cert` against a CRL said to come from `issuer`. A CRL whose nextUpdate is before `at` counts as
 * unusable: Windows treats a stale CRL like a missing one (it would try to fetch a fresh one and fail).
 */
export async function checkCrl(crlDer: Uint8Array, cert: Certificate, issuer: Certificate, at: Date): Promise<CrlCheck> {
  const key = `${digestOf(crlDer)}/${issuer.thumbprint}`;
  let pending = VERIFIED.get(key);
  if (!pending) {
    if (VERIFIED.size >= VERIFIED_MAX) VERIFIED.delete(VERIFIED.keys().next().value!);
    pending = verifyCrl(crlDer, issuer);
    VERIFIED.set(key, pending);
  }
  const { revoked, nextUpdate, unusable } = await pending;
  if (!revoked) return { status: 'unusable', reason: unusable! };
  if (nextUpdate && nextUpdate.getTime() < at.getTime()) {
    return { status: 'unusable', reason: `the CRL expired at ${nextUpdate.toISOString()} (nextUpdate)` };
  }
  const revokedAt = revoked.get(normalizeSerial(cert.serialNumber));
  return revokedAt ? { status: 'revoked', revokedAt } : { status: 'good' };
}
