// Owns key pairs: the supported algorithms, generating them fast, the matching signature scheme, and PKCS#8 export.
import { createPublicKey, createPrivateKey, type KeyObject } from 'node:crypto';
import { DomsecError } from '../errors.js';
import { webcrypto } from './crypto-provider.js';
import { toPem } from './pem.js';
import { deriveKeyPair } from './seeded-key.js';

export type KeyAlgorithm = 'ECDSA-P256' | 'RSA-1024' | 'RSA-2048' | 'RSA-4096';

/**
 * The library's default for a CA or certificate made without an algorithm: P-256, because a random P-256 key takes well
 * under a millisecond and unit tests make hundreds. Labs and New-ExchangeCertificate ask for EXCHANGE_KEY_ALGORITHM.
 */
export const DEFAULT_KEY_ALGORITHM: KeyAlgorithm = 'ECDSA-P256';

/** What New-ExchangeCertificate makes without -KeySize, and so what the simulated organizations' PKIs use by default. */
export const EXCHANGE_KEY_ALGORITHM: KeyAlgorithm = 'RSA-2048';

const RSA_SIZES = [1024, 2048, 4096] as const;

/** Maps an Exchange -KeySize to an algorithm; anything but 1024/2048/4096 is refused like New-ExchangeCertificate does. */
export function keyAlgorithmForSize(keySize: number): KeyAlgorithm {
  if (!(RSA_SIZES as readonly number[]).includes(keySize)) {
    throw new DomsecError('ERR_KEY_SIZE', `The key size ${keySize} is not supported. Use -KeySize 1024, 2048 or 4096.`, { keySize });
  }
  return `RSA-${keySize}` as KeyAlgorithm;
}

export function isKeyAlgorithm(value: unknown): value is KeyAlgorithm {
  return value === 'ECDSA-P256' || value === 'RSA-1024' || value === 'RSA-2048' || value === 'RSA-4096';
}

function generationParams(alg: KeyAlgorithm): RsaHashedKeyGenParams | EcKeyGenParams {
  if (alg === 'ECDSA-P256') return { name: 'ECDSA', namedCurve: 'P-256' };
  const modulusLength = Number(alg.slice(4));
  return { name: 'RSASSA-PKCS1-v1_5', modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
}

/**
 * Extractable pair, because the private key must leave as PKCS#8 PEM for Node's tls and for PFX export.
 * With a `keySeed` the pair is derived from it (seeded-key.ts): same seed, same key, same thumbprints for RSA.
 */
export async function generateKeyPair(alg: KeyAlgorithm = DEFAULT_KEY_ALGORITHM, keySeed?: string): Promise<CryptoKeyPair> {
  if (!isKeyAlgorithm(alg)) {
    throw new DomsecError('ERR_KEY_SIZE', `The key algorithm '${String(alg)}' is not supported. Use ECDSA-P256, RSA-1024, RSA-2048 or RSA-4096.`);
  }
  if (keySeed !== undefined) return deriveKeyPair(alg, keySeed);
  return webcrypto.subtle.generateKey(generationParams(alg), true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

/** The signature scheme is decided by the signer's key: SHA-256 with ECDSA or PKCS#1 v1.5, which every TLS stack accepts. */
/** SHA-256 unless asked otherwise; SHA-1 exists only to make the legacy certificates of the weak-signature scenarios. */
export function signingAlgorithmFor(signingKey: CryptoKey, hash: 'SHA-256' | 'SHA-1' = 'SHA-256'): Algorithm | EcdsaParams {
  return signingKey.algorithm.name === 'ECDSA'
    ? ({ name: 'ECDSA', hash } as EcdsaParams)
    : { name: 'RSASSA-PKCS1-v1_5', hash } as Algorithm;
}

export async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  const der = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', key));
  return toPem(der, 'PRIVATE KEY');
}

/** Reads any private key Node understands (PKCS#8, PKCS#1, SEC1) into a KeyObject; ERR_KEY_FORMAT otherwise. */
export function readPrivateKey(input: string | Uint8Array): KeyObject {
  try {
    return typeof input === 'string'
      ? createPrivateKey(input)
      : createPrivateKey({ key: Buffer.from(input), format: 'der', type: 'pkcs8' });
  } catch (e) {
    throw new DomsecError('ERR_KEY_FORMAT', 'The private key could not be read. Supply an unencrypted PKCS#8 key ("-----BEGIN PRIVATE KEY-----").', undefined, { cause: e });
  }
}

/** Imports a private key for signing with WebCrypto (used when an authority is rebuilt from a stored key). */
export async function importSigningKey(privateKeyPem: string): Promise<CryptoKey> {
  const key = readPrivateKey(privateKeyPem);
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  const details = key.asymmetricKeyDetails ?? {};
  const params: RsaHashedImportParams | EcKeyImportParams = key.asymmetricKeyType === 'ec'
    ? { name: 'ECDSA', namedCurve: curveName(details.namedCurve) }
    : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  if (key.asymmetricKeyType !== 'ec' && key.asymmetricKeyType !== 'rsa') {
    throw new DomsecError('ERR_KEY_FORMAT', `The private key type '${key.asymmetricKeyType}' cannot sign certificates here. Use an ECDSA P-256 or RSA key.`);
  }
  return webcrypto.subtle.importKey('pkcs8', pkcs8, params, true, ['sign']);
}

function curveName(openSslName: string | undefined): string {
  switch (openSslName) {
    case 'prime256v1': case 'P-256': return 'P-256';
    case 'secp384r1': case 'P-384': return 'P-384';
    case 'secp521r1': case 'P-521': return 'P-521';
    default: throw new DomsecError('ERR_KEY_FORMAT', `The elliptic curve '${openSslName}' is not supported. Use P-256.`);
  }
}

export interface PublicKeyFacts {
  /** Nearest member of the KeyAlgorithm vocabulary (see `description` for the exact key). */
  algorithm: KeyAlgorithm;
  /** Bits: 256 for P-256, the modulus length for RSA (Get-ExchangeCertificate's PublicKeySize). */
  size: number;
  /** Exact description, e.g. 'RSA-3072' or 'ECDSA-P384', for keys outside the vocabulary (certificates made elsewhere). */
  description: string;
}

/**
 * Facts about a SubjectPublicKeyInfo; synchronous because Certificate is built synchronously. `parsed` is the same key
 * already parsed (a certificate's, from node:crypto's X509Certificate): a fraction of parsing the DER again, which was a
 * third of reading a certificate back from the cache at a lab's start.
 */
export function describePublicKey(spkiDer: Uint8Array, parsed?: KeyObject): PublicKeyFacts {
  const key = parsed ?? createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
    const size = details.modulusLength ?? 0;
    // Off-vocabulary RSA sizes map to the nearest bucket so the contract's KeyAlgorithm stays closed.
    const algorithm: KeyAlgorithm = size <= 1024 ? 'RSA-1024' : size <= 2048 ? 'RSA-2048' : 'RSA-4096';
    return { algorithm, size, description: `RSA-${size}` };
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = details.namedCurve ?? 'unknown';
    const size = curve === 'secp384r1' ? 384 : curve === 'secp521r1' ? 521 : 256;
    return { algorithm: 'ECDSA-P256', size, description: `ECDSA-P${size}` };
  }
  return { algorithm: 'ECDSA-P256', size: 0, description: key.asymmetricKeyType ?? 'unknown' };
}
