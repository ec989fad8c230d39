// Owns the PKCS#12 key derivation of RFC 7292 appendix B, which legacy PBE ciphers (3DES, as Windows exports) depend on.
import { createHash } from 'node:crypto';

/** Purpose byte of RFC 7292 B.3: 1 = cipher key, 2 = IV, 3 = MAC key. */
export type Pkcs12KeyPurpose = 1 | 2 | 3;

const HASHES: Record<string, { u: number; v: number }> = {
  sha1: { u: 20, v: 64 }, sha256: { u: 32, v: 64 }, sha384: { u: 48, v: 128 }, sha512: { u: 64, v: 128 },
};

/** The password as a NUL-terminated big-endian BMPString, as RFC 7292 B.1 prescribes (an empty one is just 00 00). */
export function bmpPassword(password: string): Uint8Array {
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    out[i * 2] = password.charCodeAt(i) >> 8;
    out[i * 2 + 1] = password.charCodeAt(i) & 0xff;
  }
  return out;
}

function repeatTo(src: Uint8Array, v: number): Uint8Array {
  if (src.length === 0) return new Uint8Array(0);
  const len = v * Math.ceil(src.length / v);
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = src[i % src.length]!;
  return out;
}

/** Hash rounds between two yields of the async form: a few milliseconds of work, so other sessions keep being served. */
const ROUNDS_PER_SLICE = 1024;

/** `password` as text is BMP-encoded; as bytes it is used as is (zero bytes = OpenSSL's NULL password). */
export function pkcs12Kdf(hash: string, password: string | Uint8Array, salt: Uint8Array, iterations: number, purpose: Pkcs12KeyPurpose, length: number): Uint8Array {
  const steps = kdfSteps(hash, password, salt, iterations, purpose, length);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** The same derivation in slices that yield to the event loop: a file with many iterations does not freeze the edges. */
export async function pkcs12KdfAsync(hash: string, password: string | Uint8Array, salt: Uint8Array, iterations: number, purpose: Pkcs12KeyPurpose, length: number): Promise<Uint8Array> {
  const steps = kdfSteps(hash, password, salt, iterations, purpose, length);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function* kdfSteps(hash: string, password: string | Uint8Array, salt: Uint8Array, iterations: number, purpose: Pkcs12KeyPurpose, length: number): Generator<void, Uint8Array> {
  const h = HASHES[hash];
  if (!h) throw new Error(`unsupported PKCS#12 KDF hash ${hash}`);
  const { u, v } = h;
  const D = new Uint8Array(v).fill(purpose);
  const I = new Uint8Array([...repeatTo(salt, v), ...repeatTo(typeof password === 'string' ? bmpPassword(password) : password, v)]);
  const out = new Uint8Array(length);
  for (let produced = 0; produced < length; produced += u) {
    let A: Uint8Array = createHash(hash).update(D).update(I).digest();
    for (let j = 1; j < iterations; j++) {
      A = createHash(hash).update(A).digest();
      if (j % ROUNDS_PER_SLICE === 0) yield;
    }
    out.set(A.subarray(0, Math.min(u, length - produced)), produced);
    if (produced + u >= length) break;
    // I_j = (I_j + B + 1) mod 2^(8v) for each v-byte block, B being A repeated to v bytes.
    const B = repeatTo(A, v);
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + B[k]! + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return out;
}
