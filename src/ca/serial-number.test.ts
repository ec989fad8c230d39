// Checks serial number generation and comparison.
import { describe, it, expect } from 'vitest';
import { derSerialHex, normalizeSerial, SerialNumberSource } from './serial-number.js';

describe('serial numbers', () => {
  it('are deterministic for a seed and differ per counter', () => {
    const a = new SerialNumberSource('adatum');
    const b = new SerialNumberSource('adatum');
    const first = a.next();
    expect(first).toBe(b.next());
    expect(a.next()).not.toBe(first);
    expect(new SerialNumberSource('fabrikam').next()).not.toBe(first);
  });

  it('are 16 bytes of upper-case hex with a positive, non-zero first byte', () => {
    const src = new SerialNumberSource();
    for (let i = 0; i < 50; i++) {
      const s = src.next();
      expect(s).toMatch(/^[0-9A-F]{32}$/);
      expect(parseInt(s.slice(0, 2), 16)).toBeGreaterThan(0);
      expect(parseInt(s.slice(0, 2), 16)).toBeLessThan(0x80);
    }
  });

  it('compare without case, separators or leading zero bytes', () => {
    expect(normalizeSerial('00:8f:01:02')).toBe('8F0102');
    expect(normalizeSerial('0000')).toBe('00');
    expect(derSerialHex('8f0102')).toBe('008F0102');
    expect(derSerialHex('7F01')).toBe('7F01');
    expect(derSerialHex('abc')).toBe('0ABC');
  });
});
