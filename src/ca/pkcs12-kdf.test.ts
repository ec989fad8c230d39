// Checks the PKCS#12 KDF against published vectors.
import { describe, it, expect } from 'vitest';
import { bmpPassword, pkcs12Kdf } from './pkcs12-kdf.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const salt = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));

// Vectors: BouncyCastle's PKCS12 tests, cross-checked with `openssl kdf ... PKCS12KDF` (OpenSSL 3.0, hexpass = BMP form).
describe('pkcs12Kdf (RFC 7292 appendix B)', () => {
  it('derives a 3DES key from "smeg"', () => {
    expect(hex(pkcs12Kdf('sha1', 'smeg', salt('0A58CF64530D823F'), 1, 1, 24))).toBe('8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3');
  });

  it('spans several hash blocks (I is updated between them)', () => {
    expect(hex(pkcs12Kdf('sha1', 'queeg', salt('05DEC959ACFF72F7'), 1000, 1, 70))).toBe(
      'ED2034E36328830FF09DF1E1A07DD357185DAC0D4F9EB3D47329A83A9F945DC25F2FBBC826DEE88317C5E7553229'
      + '27939F37F6B492DBF9228213785C3A62F4A2E63777E1B2C1');
  });

  it('derives a SHA-256 MAC key', () => {
    expect(hex(pkcs12Kdf('sha256', 'queeg', salt('05DEC959ACFF72F7'), 1000, 3, 32))).toBe('64BD552BB4ECEC8224B888D4FA1DC49C6FF894BFC59B10402D83AD46C0D8DA4B');
  });

  it('encodes the password as NUL-terminated big-endian BMP', () => {
    expect(hex(bmpPassword('ab'))).toBe('006100620000');
    expect(hex(bmpPassword(''))).toBe('0000');
  });
});
