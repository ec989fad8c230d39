// Owns PKCS#10 certificate requests: New-ExchangeCertificate -GenerateRequest, reading a request, and opening one for signing.
import { DomsecError } from '../errors.js';
import { toArrayBuffer } from './bytes.js';
import { x509 } from './crypto-provider.js';
import { DEFAULT_KEY_ALGORITHM, exportPrivateKeyPem, generateKeyPair, keyAlgorithmForSize, signingAlgorithmFor, describePublicKey, type KeyAlgorithm } from './key-algorithm.js';
import { isDnsName } from './names.js';
import { fromBase64, isPem, readPemBlocks } from './pem.js';
import { commonNameOf, encodeSubject, formatName } from './subject-name.js';

export interface RequestOptions {
  /** Exchange's -SubjectName, e.g. 'DC=com,DC=Contoso,CN=mail1.contoso.com' (either order is accepted). */
  subjectName: string;
  /** Exchange's -DomainName; the CN is added in front automatically. */
  domainNames?: string[];
  /** Exchange's -KeySize: 1024, 2048 or 4096 makes an RSA key of that size; anything else is ERR_KEY_SIZE. */
  keySize?: 1024 | 2048 | 4096;
  /** Used when keySize is absent; default ECDSA-P256. */
  algorithm?: KeyAlgorithm;
  /** Derive the request's key from this seed (seeded-key.ts) instead of drawing a random one. */
  keySeed?: string;
}

export interface GeneratedRequest { csrBase64: string; csrPem: string; privateKeyPem: string; names: string[] }

const SAN_OID = '2.5.29.17';

function dedupe(names: string[]): string[] {
  const out: string[] = [];
  for (const n of names) if (!out.some((m) => m.toLowerCase() === n.toLowerCase())) out.push(n);
  return out;
}

function chooseAlgorithm(o: RequestOptions): KeyAlgorithm {
  if (o.keySize === undefined) return o.algorithm ?? DEFAULT_KEY_ALGORITHM;
  const fromSize = keyAlgorithmForSize(o.keySize);
  if (o.algorithm !== undefined && o.algorithm !== fromSize) {
    throw new DomsecError('ERR_KEY_SIZE', `The key size ${o.keySize} contradicts the algorithm ${o.algorithm}. Give either -KeySize or an algorithm, not both.`);
  }
  return fromSize;
}

/** Like New-ExchangeCertificate -GenerateRequest: a base64 PKCS#10 request whose SAN holds the CN plus the domain names. */
export async function createRequest(o: RequestOptions): Promise<GeneratedRequest> {
  const subject = encodeSubject(o.subjectName);
  const bad = (o.domainNames ?? []).find((d) => typeof d !== 'string' || !isDnsName(d));
  if (bad !== undefined) {
    throw new DomsecError('ERR_SUBJECT_NAME', `The domain name '${String(bad)}' is not a valid DNS name. Use names like mail.contoso.com or *.contoso.com in -DomainName.`);
  }
  const cn = commonNameOf(subject);
  const names = dedupe([...(cn && isDnsName(cn) ? [cn] : []), ...(o.domainNames ?? [])]);
  const keys = await generateKeyPair(chooseAlgorithm(o), o.keySeed);
  const extensions = names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: 'dns' as const, value })))] : [];
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: subject,
    keys,
    signingAlgorithm: signingAlgorithmFor(keys.privateKey),
    extensions,
  });
  return {
    csrBase64: csr.toString('base64'),
    csrPem: csr.toString('pem'),
    privateKeyPem: await exportPrivateKeyPem(keys.privateKey),
    names,
  };
}

function decodeRequest(input: string): x509.Pkcs10CertificateRequest {
  const formatError = (why: string, cause?: unknown): DomsecError =>
    new DomsecError('ERR_CSR_FORMAT', `The certificate request could not be read: ${why}. Supply the base64 or PEM text that -GenerateRequest produced.`, undefined, { cause });
  if (typeof input !== 'string' || input.trim() === '') throw formatError('it is empty');
  let der: Uint8Array | undefined;
  if (isPem(input)) {
    der = readPemBlocks(input).find((b) => b.label === 'CERTIFICATE REQUEST' || b.label === 'NEW CERTIFICATE REQUEST')?.der;
    if (!der) throw formatError('the PEM text has no CERTIFICATE REQUEST block');
  } else {
    der = fromBase64(input);
    if (!der) throw formatError('the text is neither PEM nor base64');
  }
  try {
    return new x509.Pkcs10CertificateRequest(toArrayBuffer(der));
  } catch (e) {
    throw formatError('the bytes are not a PKCS#10 request', e);
  }
}

function requestDnsNames(csr: x509.Pkcs10CertificateRequest): string[] {
  const ext = csr.extensions.find((e) => e.type === SAN_OID);
  if (!ext) return [];
  try {
    return new x509.SubjectAlternativeNameExtension(ext.rawData).names.items.filter((g) => g.type === 'dns').map((g) => g.value);
  } catch (e) {
    throw new DomsecError('ERR_CSR_FORMAT', 'The certificate request has a subject alternative name extension that could not be read.', undefined, { cause: e });
  }
}

/** What Exchange shows for a pending request; ERR_CSR_FORMAT when the text is not a request. */
export function readRequest(csrPemOrBase64: string): { subject: string; names: string[]; publicKeySize: number } {
  const csr = decodeRequest(csrPemOrBase64);
  const cn = commonNameOf(csr.subjectName);
  return {
    subject: formatName(csr.subjectName),
    names: dedupe([...(cn && isDnsName(cn) ? [cn] : []), ...requestDnsNames(csr)]),
    publicKeySize: describePublicKey(new Uint8Array(csr.publicKey.rawData)).size,
  };
}

export interface OpenedRequest { subject: x509.Name; publicKey: x509.PublicKey; keyIsEc: boolean; dnsNames: string[] }

/** Decodes a request for signing and proves its holder owns the key (the self-signature); ERR_CSR_SIGNATURE otherwise. */
export async function openRequest(csrPemOrBase64: string): Promise<OpenedRequest> {
  const csr = decodeRequest(csrPemOrBase64);
  let ok = false;
  try {
    ok = await csr.verify();
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new DomsecError('ERR_CSR_SIGNATURE', `The signature on the certificate request for '${formatName(csr.subjectName)}' does not verify, so it was altered or damaged. Generate the request again.`);
  }
  return {
    subject: csr.subjectName,
    publicKey: csr.publicKey,
    keyIsEc: csr.publicKey.algorithm.name === 'ECDSA',
    dnsNames: requestDnsNames(csr),
  };
}
