// Checks PEM armour reading and writing.
import { describe, it, expect } from 'vitest';
import { fromBase64, isPem, readPemBlocks, toPem } from './pem.js';

describe('PEM armour', () => {
  it('wraps at 64 characters and reads back every block, ignoring text around them', () => {
    const der = new Uint8Array(100).map((_, i) => i);
    const pem = toPem(der, 'CERTIFICATE');
    expect(pem.split('\n')[1]).toHaveLength(64);
    const blocks = readPemBlocks(`Bag Attributes\n${pem}junk\n${toPem(new Uint8Array([1]), 'PRIVATE KEY')}`);
    expect(blocks.map((b) => b.label)).toEqual(['CERTIFICATE', 'PRIVATE KEY']);
    expect(Buffer.from(blocks[0]!.der).equals(Buffer.from(der))).toBe(true);
  });

  it('tells PEM from bare base64 and rejects non-base64', () => {
    expect(isPem('-----BEGIN CERTIFICATE-----')).toBe(true);
    expect(isPem('MIIB')).toBe(false);
    expect(fromBase64('AQID\nBA==')).toEqual(new Uint8Array([1, 2, 3, 4]));
    expect(fromBase64('not base64!')).toBeUndefined();
    expect(fromBase64('')).toBeUndefined();
  });
});
