// Owns PKCS#12 (.pfx) files: export in OpenSSL 3's layout (PBES2 AES-256-CBC, HMAC-SHA256 MAC) and import from OpenSSL or Windows.
import { createHash, createHmac, createPrivateKey, createPublicKey, timingSafeEqual } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { DomsecError } from '../errors.js';
import { toArrayBuffer as arrayBuffer } from './bytes.js';
import { Certificate } from './certificate.js';
import type { KeyedCertificate } from './certificate-profile.js';
import { readPrivateKey } from './key-algorithm.js';
import { checkIterations, decryptWithPassword, MAX_PFX_ITERATIONS, PbeError } from './pbe.js';
import { readPemBlocks } from './pem.js';
import { pkcs12KdfAsync } from './pkcs12-kdf.js';

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  localKeyId: '1.2.840.113549.1.9.21',
} as const;
const MAC_HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1', '2.16.840.1.101.3.4.2.1': 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512',
};
/** OpenSSL 3's defaults: 2048 iterations for PBKDF2 and the MAC. */
const ITERATIONS = 2048;

const wrongPassword = (): DomsecError =>
  new DomsecError('ERR_PFX_PASSWORD', 'The password for the PFX file is wrong. Check the -Password value.');
const badFormat = (why: string, cause?: unknown): DomsecError =>
  new DomsecError('ERR_PFX_FORMAT', `The PFX file could not be read: ${why}.`, undefined, { cause });
const tooManyIterations = (e: PbeError): DomsecError =>
  new DomsecError('ERR_PFX_ITERATIONS', `The PFX file is refused: ${e.message}. Re-export it with a usual iteration count (OpenSSL uses 2048).`, { max: MAX_PFX_ITERATIONS });

export async function exportPfx(k: KeyedCertificate, password: string): Promise<Uint8Array> {
  if (typeof password !== 'string') throw new DomsecError('ERR_PFX_PASSWORD', 'A PFX export needs a password string. Give -Password.');
  const pkcs8 = readPemBlocks(k.privateKeyPem).find((b) => b.label === 'PRIVATE KEY')?.der
    ?? new Uint8Array(readPrivateKey(k.privateKeyPem).export({ type: 'pkcs8', format: 'der' }));
  const pass = arrayBuffer(new TextEncoder().encode(password));
  // pkijs draws its own random IV; the iv here only satisfies the AesCbcParams type.
  const encryption = {
    password: pass,
    contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256, iv: new Uint8Array(16) },
    hmacHashAlgorithm: 'SHA-256',
    iterationCount: ITERATIONS,
  };
  // localKeyID pairs the key with its certificate for OpenSSL and Windows; like OpenSSL, it is the certificate's SHA-1.
  const localKeyId = (): pkijs.Attribute[] => [new pkijs.Attribute({
    type: OID.localKeyId,
    values: [new asn1js.OctetString({ valueHex: arrayBuffer(createHash('sha1').update(k.certificate.der).digest()) })],
  })];

  let keyInfo: pkijs.PrivateKeyInfo;
  try {
    keyInfo = pkijs.PrivateKeyInfo.fromBER(arrayBuffer(pkcs8));
  } catch (e) {
    throw new DomsecError('ERR_KEY_FORMAT', 'The private key could not be read as PKCS#8. Supply "-----BEGIN PRIVATE KEY-----" PEM.', undefined, { cause: e });
  }
  const shrouded = new pkijs.PKCS8ShroudedKeyBag({ parsedValue: keyInfo });
  await shrouded.makeInternalValues(encryption);
  const keyBag = new pkijs.SafeBag({ bagId: OID.shroudedKeyBag, bagValue: shrouded, bagAttributes: localKeyId() });
  const certBags = [k.certificate, ...k.chain].map((c, i) => new pkijs.SafeBag({
    bagId: OID.certBag,
    bagValue: new pkijs.CertBag({ parsedValue: pkijs.Certificate.fromBER(arrayBuffer(c.der)) }),
    ...(i === 0 ? { bagAttributes: localKeyId() } : {}),
  }));

  const pfx = new pkijs.PFX({
    parsedValue: {
      integrityMode: 0,
      authenticatedSafe: new pkijs.AuthenticatedSafe({
        parsedValue: {
          safeContents: [
            { privacyMode: 1, value: new pkijs.SafeContents({ safeBags: certBags }) },
            { privacyMode: 0, value: new pkijs.SafeContents({ safeBags: [keyBag] }) },
          ],
        },
      }),
    },
  });
  await pfx.parsedValue!.authenticatedSafe!.makeInternalValues({ safeContents: [encryption, {}] });
  await pfx.makeInternalValues({ password: pass, iterations: ITERATIONS, pbkdf2HashAlgorithm: { name: 'SHA-256' }, hmacHashAlgorithm: 'SHA-256' });
  return new Uint8Array(pfx.toSchema().toBER(false));
}

/** RFC 7292 password MAC; an empty password is also tried as "no password", as OpenSSL does. */
async function verifyMac(mac: pkijs.MacData, content: Uint8Array, password: string): Promise<void> {
  const hash = MAC_HASHES[mac.mac.digestAlgorithm.algorithmId];
  if (!hash) throw badFormat(`its MAC algorithm ${mac.mac.digestAlgorithm.algorithmId} is not supported; re-export it with a SHA-1 or SHA-256 MAC`);
  const salt = new Uint8Array(mac.macSalt.getValue());
  const expected = Buffer.from(new Uint8Array(mac.mac.digest.getValue()));
  const size = createHash(hash).digest().length;
  const matches = (macKey: Uint8Array): boolean => {
    const actual = createHmac(hash, macKey).update(content).digest();
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  };
  const iterations = mac.iterations ?? 1;
  try {
    checkIterations(iterations, 'MAC');
  } catch (e) {
    throw tooManyIterations(e as PbeError);
  }
  if (matches(await pkcs12KdfAsync(hash, password, salt, iterations, 3, size))) return;
  // Some tools key an empty password as "no password" (zero bytes rather than the BMP terminator 00 00).
  if (password === '' && matches(await pkcs12KdfAsync(hash, new Uint8Array(0), salt, iterations, 3, size))) return;
  throw wrongPassword();
}

async function decrypt(algorithm: pkijs.AlgorithmIdentifier, data: Uint8Array, password: string): Promise<Uint8Array> {
  try {
    return await decryptWithPassword(algorithm, data, password);
  } catch (e) {
    if (e instanceof PbeError && e.kind === 'bad-password') throw wrongPassword();
    if (e instanceof PbeError && e.kind === 'iterations') throw tooManyIterations(e);
    throw badFormat(`${(e as Error).message}. Re-export it with AES-256 (openssl pkcs12 -export without -legacy, or Export-PfxCertificate -CryptoAlgorithmOption AES256_SHA256)`, e);
  }
}

interface Bags { keys: Uint8Array[]; certs: Certificate[] }

async function collectBags(contents: pkijs.SafeContents, password: string, into: Bags): Promise<void> {
  for (const bag of contents.safeBags) {
    if (bag.bagId === OID.keyBag) {
      into.keys.push(new Uint8Array((bag.bagValue as pkijs.PrivateKeyInfo).toSchema().toBER(false)));
    } else if (bag.bagId === OID.shroudedKeyBag) {
      const s = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
      into.keys.push(await decrypt(s.encryptionAlgorithm, new Uint8Array(s.encryptedData.getValue()), password));
    } else if (bag.bagId === OID.certBag) {
      const c = bag.bagValue as pkijs.CertBag;
      if (c.certId !== OID.x509Certificate) continue; // SDSI certificates: nothing Exchange uses
      into.certs.push(Certificate.fromDer(new Uint8Array((c.certValue as asn1js.OctetString).getValue())));
    } else if (bag.bagId === OID.safeContentsBag) {
      await collectBags(bag.bagValue as pkijs.SafeContents, password, into);
    }
    // CRL and secret bags carry nothing an edge certificate needs.
  }
}

async function readBags(bytes: Uint8Array, password: string): Promise<Bags> {
  let pfx: pkijs.PFX;
  try {
    pfx = pkijs.PFX.fromBER(arrayBuffer(bytes));
  } catch (e) {
    throw badFormat('the bytes are not a PKCS#12 structure; check that it is a .pfx/.p12 file', e);
  }
  if (pfx.authSafe.contentType !== OID.data) throw badFormat('it is protected with a public key rather than a password, which is not supported');
  const content = new Uint8Array((pfx.authSafe.content as asn1js.OctetString).getValue());
  if (pfx.macData) await verifyMac(pfx.macData, content, password);
  const bags: Bags = { keys: [], certs: [] };
  try {
    for (const info of pkijs.AuthenticatedSafe.fromBER(arrayBuffer(content)).safeContents) {
      let plain: Uint8Array;
      if (info.contentType === OID.data) {
        plain = new Uint8Array((info.content as asn1js.OctetString).getValue());
      } else if (info.contentType === OID.encryptedData) {
        const eci = new pkijs.EncryptedData({ schema: info.content }).encryptedContentInfo;
        plain = await decrypt(eci.contentEncryptionAlgorithm, new Uint8Array(eci.getEncryptedContent()), password);
      } else {
        throw badFormat(`a part is enveloped for a certificate (content type ${info.contentType}), which is not supported`);
      }
      await collectBags(pkijs.SafeContents.fromBER(arrayBuffer(plain)), password, bags);
    }
  } catch (e) {
    if (e instanceof DomsecError) throw e;
    // Without a MAC a wrong password can decrypt to garbage that happens to pad correctly; it then fails here.
    throw pfx.macData ? badFormat('its contents are damaged', e) : wrongPassword();
  }
  return bags;
}

/** The key's certificate first, then its issuers in order up to the root; certificates outside that path are left out. */
function orderChain(leaf: Certificate, others: Certificate[]): Certificate[] {
  const chain: Certificate[] = [];
  let current = leaf;
  const pool = others.filter((c) => !c.equals(leaf));
  while (!current.isSelfSigned) {
    const next = pool.find((c) => current.isIssuedBy(c) && current.isSignedBy(c) && !chain.includes(c));
    if (!next) break;
    chain.push(next);
    current = next;
  }
  return chain;
}

export async function importPfx(bytes: Uint8Array, password: string): Promise<KeyedCertificate> {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw badFormat('it is empty');
  if (typeof password !== 'string') throw wrongPassword();
  const { keys, certs } = await readBags(bytes, password);
  if (keys.length === 0) throw badFormat('it holds no private key; export the certificate with its private key');
  for (const keyDer of keys) {
    let pem: string;
    let spki: Buffer;
    try {
      const key = createPrivateKey({ key: Buffer.from(keyDer), format: 'der', type: 'pkcs8' });
      pem = key.export({ type: 'pkcs8', format: 'pem' }) as string;
      spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
    } catch (e) {
      throw new DomsecError('ERR_KEY_FORMAT', 'The private key inside the PFX file could not be read. Re-export the PFX.', undefined, { cause: e });
    }
    const leaf = certs.find((c) => spki.equals(Buffer.from(c.publicKeyDer)));
    if (leaf) return { certificate: leaf, privateKeyPem: pem, chain: orderChain(leaf, certs) };
  }
  throw badFormat('its private key belongs to none of its certificates');
}
