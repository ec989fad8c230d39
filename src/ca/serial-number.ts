// Owns certificate serial numbers: deterministic ones for a seed, random ones otherwise, and their canonical form.
import { createHash, randomBytes } from 'node:crypto';

/**
 * 16 bytes with the top bit cleared (a DER INTEGER must stay positive) and a non-zero first byte
 * (so the encoding needs no leading 00 and the hex shown equals the hex given).
 */
function shape(bytes: Uint8Array): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[0] = b[0]! & 0x7f;
  if (b[0] === 0) b[0] = 0x01;
  return b.toString('hex').toUpperCase();
}

/** Serial numbers for one issuer: sha256(`${seed}:${counter}`) when seeded, so a lab replays identically; random otherwise. */
export class SerialNumberSource {
  #counter = 0;
  constructor(private readonly seed?: string) {}

  next(): string {
    this.#counter += 1;
    if (this.seed === undefined) return shape(randomBytes(16));
    return shape(createHash('sha256').update(`${this.seed}:${this.#counter}`).digest());
  }
}

/** Canonical key for comparing serials from different sources: upper-case hex without separators or leading zero bytes. */
export function normalizeSerial(serial: string): string {
  const compact = serial.replace(/[\s:-]/g, '').toUpperCase();
  const stripped = compact.replace(/^(00)+/, '');
  return stripped === '' ? '00' : stripped;
}

/** Hex as DER stores it: even length, with a 00 prefix when the top bit is set so the INTEGER stays positive. */
export function derSerialHex(serial: string): string {
  let h = normalizeSerial(serial);
  if (h.length % 2 === 1) h = `0${h}`;
  return parseInt(h[0]!, 16) >= 8 ? `00${h}` : h;
}
