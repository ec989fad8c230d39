// Owns password-based decryption of PKCS#12 contents: PBES2 (AES, what OpenSSL 3 writes) and PKCS#12 PBE 3DES (what Windows writes).
import { createDecipheriv, pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { pkcs12KdfAsync } from './pkcs12-kdf.js';

const pbkdf2Async = promisify(pbkdf2);

/** Why decryption failed: the password (bad padding) or an algorithm this harness cannot run. */
export class PbeError extends Error {
  constructor(readonly kind: 'bad-password' | 'unsupported' | 'iterations', message: string) {
    super(message);
  }
}

/**
 * The most key-derivation iterations a PFX may ask for. Real exporters use 2,000 (Windows, .NET), 2,048 (OpenSSL 3)
 * or 10,000 (Java); a crafted file with millions would tie up the CPU for seconds or minutes per import (issue 10).
 */
export const MAX_PFX_ITERATIONS = 200_000;

export function checkIterations(iterations: number, where: string): void {
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > MAX_PFX_ITERATIONS) {
    throw new PbeError('iterations', `its ${where} asks for ${Number.isFinite(iterations) ? iterations : 'an unreadable number of'} key-derivation iterations; at most ${MAX_PFX_ITERATIONS.toLocaleString('en-US')} are accepted`);
  }
}

const PBES2 = '1.2.840.113549.1.5.13';
const PBKDF2 = '1.2.840.113549.1.5.12';
const CIPHERS: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
};
const PRFS: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1', '1.2.840.113549.2.9': 'sha256', '1.2.840.113549.2.10': 'sha384', '1.2.840.113549.2.11': 'sha512',
};
/** PKCS#12 PBE (RFC 7292 appendix C); RC2 and RC4 variants need OpenSSL's legacy provider, which Node does not load. */
const PKCS12_PBE: Record<string, { name: string; keyLength: number; ivLength: number } | string> = {
  '1.2.840.113549.1.12.1.3': { name: 'des-ede3-cbc', keyLength: 24, ivLength: 8 },
  '1.2.840.113549.1.12.1.4': { name: 'des-ede-cbc', keyLength: 16, ivLength: 8 },
  '1.2.840.113549.1.12.1.1': 'RC4-128', '1.2.840.113549.1.12.1.2': 'RC4-40',
  '1.2.840.113549.1.12.1.5': 'RC2-128', '1.2.840.113549.1.12.1.6': 'RC2-40',
};

function decipher(name: string, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  try {
    const d = createDecipheriv(name, key, iv);
    return new Uint8Array(Buffer.concat([d.update(data), d.final()]));
  } catch {
    // CBC padding that does not check out is how a wrong password shows when no MAC caught it first.
    throw new PbeError('bad-password', 'decryption failed (bad padding)');
  }
}

async function decryptPbes2(params: asn1js.AsnType, data: Uint8Array, password: string): Promise<Uint8Array> {
  const pbes2 = new pkijs.PBES2Params({ schema: params });
  if (pbes2.keyDerivationFunc.algorithmId !== PBKDF2) throw new PbeError('unsupported', `key derivation ${pbes2.keyDerivationFunc.algorithmId} is not PBKDF2`);
  const kdf = new pkijs.PBKDF2Params({ schema: pbes2.keyDerivationFunc.algorithmParams });
  const cipher = CIPHERS[pbes2.encryptionScheme.algorithmId];
  if (!cipher) throw new PbeError('unsupported', `cipher ${pbes2.encryptionScheme.algorithmId} is not supported`);
  const prf = kdf.prf ? PRFS[kdf.prf.algorithmId] : 'sha1';
  if (!prf) throw new PbeError('unsupported', `PBKDF2 PRF ${kdf.prf?.algorithmId} is not supported`);
  if (!(kdf.salt instanceof asn1js.OctetString)) throw new PbeError('unsupported', 'PBKDF2 salt is not an octet string');
  const salt = new Uint8Array(kdf.salt.getValue());
  const iv = new Uint8Array((pbes2.encryptionScheme.algorithmParams as asn1js.OctetString).getValue());
  checkIterations(kdf.iterationCount, 'PBKDF2 key derivation');
  // libuv's thread pool derives the key: the event loop (every edge of the lab) is not blocked meanwhile.
  const key = await pbkdf2Async(Buffer.from(password, 'utf8'), salt, kdf.iterationCount, kdf.keyLength ?? cipher.keyLength, prf);
  return decipher(cipher.name, key, iv, data);
}

async function decryptPkcs12Pbe(oid: string, params: asn1js.AsnType, data: Uint8Array, password: string): Promise<Uint8Array> {
  const scheme = PKCS12_PBE[oid]!;
  if (typeof scheme === 'string') throw new PbeError('unsupported', `it is encrypted with ${scheme}, a legacy algorithm`);
  const seq = params as asn1js.Sequence;
  const salt = new Uint8Array((seq.valueBlock.value[0] as asn1js.OctetString).getValue());
  const iterations = (seq.valueBlock.value[1] as asn1js.Integer).valueBlock.valueDec;
  checkIterations(iterations, 'PKCS#12 key derivation');
  const key = await pkcs12KdfAsync('sha1', password, salt, iterations, 1, scheme.keyLength);
  const iv = await pkcs12KdfAsync('sha1', password, salt, iterations, 2, scheme.ivLength);
  return decipher(scheme.name, key, iv, data);
}

export async function decryptWithPassword(algorithm: pkijs.AlgorithmIdentifier, data: Uint8Array, password: string): Promise<Uint8Array> {
  const oid = algorithm.algorithmId;
  try {
    if (oid === PBES2) return await decryptPbes2(algorithm.algorithmParams, data, password);
    if (oid in PKCS12_PBE) return await decryptPkcs12Pbe(oid, algorithm.algorithmParams, data, password);
  } catch (e) {
    if (e instanceof PbeError) throw e;
    throw new PbeError('unsupported', `the encryption parameters could not be read (${(e as Error).message})`);
  }
  throw new PbeError('unsupported', `encryption algorithm ${oid} is not supported`);
}
