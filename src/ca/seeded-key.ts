// Owns key pairs derived from a seed: the same key seed gives the same key, in any process, on any machine.
// RSA: primes searched in a deterministic HMAC stream, each candidate tested by OpenSSL's own primality test
// (crypto.checkPrimeSync), so a 2048-bit key takes tens of milliseconds where node-forge's seeded generator takes
// about a second (docs/model-choices.md "Keys from the seed"). ECDSA P-256: a scalar drawn from the same stream.
import { checkPrimeSync, createECDH, createHash, createHmac } from 'node:crypto';
import { webcrypto } from './crypto-provider.js';
import { readCachedKey, writeCachedKey, type PrivateJwk } from './key-cache.js';

/** Bump when the derivation changes, so old cache entries (and old expectations) are never mistaken for new ones. */
export const DERIVATION_VERSION = 'domsec-key-v1';

const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const E = 65537n;

/** An endless byte stream for one (algorithm, key seed): HMAC-SHA256 in counter mode under a key hashed from both. */
class SeedStream {
  readonly #key: Buffer;
  #counter = 0;
  constructor(algorithm: string, keySeed: string) {
    this.#key = createHash('sha256').update(`${DERIVATION_VERSION}\0${algorithm}\0${keySeed}`).digest();
  }
  bytes(n: number): Buffer {
    const blocks: Buffer[] = [];
    for (let have = 0; have < n; have += 32) {
      const counter = Buffer.alloc(4);
      counter.writeUInt32BE(this.#counter++);
      blocks.push(createHmac('sha256', this.#key).update(counter).digest());
    }
    return Buffer.concat(blocks).subarray(0, n);
  }
}

const toBig = (b: Buffer): bigint => BigInt(`0x${b.toString('hex')}`);
function toB64url(x: bigint, length?: number): string {
  let hex = x.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const b = Buffer.from(hex, 'hex');
  return (length && b.length < length ? Buffer.concat([Buffer.alloc(length - b.length), b]) : b).toString('base64url');
}

const SMALL_PRIMES: number[] = [];
for (let i = 3; SMALL_PRIMES.length < 300; i += 2) if (SMALL_PRIMES.every((p) => i % p !== 0)) SMALL_PRIMES.push(i);

/** The first prime p >= a stream-drawn odd start with its two top bits set (so p*q has exactly 2*bits bits) and gcd(e, p-1) = 1. */
function nextPrime(stream: SeedStream, bits: number): bigint {
  const start = stream.bytes(bits / 8);
  start[0] |= 0xc0;
  start[start.length - 1] |= 1;
  const base = toBig(start);
  // Residues once, then each odd step is cheap integer arithmetic: most candidates die on a small prime.
  const residues = SMALL_PRIMES.map((p) => Number(base % BigInt(p)));
  for (let step = 0; ; step += 2) {
    if (SMALL_PRIMES.some((p, i) => (residues[i] + step) % p === 0)) continue;
    const c = base + BigInt(step);
    if ((c - 1n) % E === 0n) continue;
    if (checkPrimeSync(c)) return c;
  }
}

function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [((a % m) + m) % m, m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

/** An RSA private key as a JWK; p > q as JWK's qi expects, |p - q| large as FIPS 186-4 asks. */
export function deriveRsaJwk(modulusBits: number, keySeed: string): PrivateJwk {
  const stream = new SeedStream(`RSA-${modulusBits}`, keySeed);
  const half = modulusBits / 2;
  for (;;) {
    let p = nextPrime(stream, half);
    let q = nextPrime(stream, half);
    if (q > p) [p, q] = [q, p];
    if (p - q < 1n << BigInt(half - 100)) continue;
    const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
    const d = modInverse(E, lambda);
    return {
      kty: 'RSA', n: toB64url(p * q), e: toB64url(E), d: toB64url(d), p: toB64url(p), q: toB64url(q),
      dp: toB64url(d % (p - 1n)), dq: toB64url(d % (q - 1n)), qi: toB64url(modInverse(q, p)),
    };
  }
}

/** A P-256 private key as a JWK: a scalar in [1, n-1] by rejection sampling from the stream, its point from OpenSSL. */
export function deriveP256Jwk(keySeed: string): PrivateJwk {
  const stream = new SeedStream('ECDSA-P256', keySeed);
  for (;;) {
    const d = toBig(stream.bytes(32));
    if (d === 0n || d >= P256_ORDER) continue;
    const dBytes = Buffer.from(toB64url(d, 32), 'base64url');
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(dBytes);
    const point = ecdh.getPublicKey(); // 04 || x || y
    return { kty: 'EC', crv: 'P-256', d: dBytes.toString('base64url'), x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') };
  }
}

/** Same key seed, same pair; one derivation per process at a time, RSA kept in the on-disk cache (key-cache.ts). */
const inProcess = new Map<string, Promise<PrivateJwk>>();

export async function deriveKeyPair(algorithm: 'ECDSA-P256' | `RSA-${number}`, keySeed: string): Promise<CryptoKeyPair> {
  const id = `${algorithm}\0${keySeed}`;
  let jwk = inProcess.get(id);
  if (!jwk) {
    jwk = Promise.resolve().then(() => {
      if (algorithm === 'ECDSA-P256') return deriveP256Jwk(keySeed); // microseconds: never worth a file
      const cached = readCachedKey(DERIVATION_VERSION, algorithm, keySeed);
      if (cached) return cached;
      const fresh = deriveRsaJwk(Number(algorithm.slice(4)), keySeed);
      writeCachedKey(DERIVATION_VERSION, algorithm, keySeed, fresh);
      return fresh;
    });
    inProcess.set(id, jwk);
  }
  return importPair(await jwk);
}

async function importPair(jwk: PrivateJwk): Promise<CryptoKeyPair> {
  const params: RsaHashedImportParams | EcKeyImportParams = jwk.kty === 'EC'
    ? { name: 'ECDSA', namedCurve: 'P-256' }
    : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk;
  const [privateKey, publicKey] = await Promise.all([
    webcrypto.subtle.importKey('jwk', { ...jwk, ext: true }, params, true, ['sign']),
    webcrypto.subtle.importKey('jwk', { ...publicJwk, ext: true }, params, true, ['verify']),
  ]);
  return { privateKey, publicKey };
}
