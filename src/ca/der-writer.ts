// Owns a minimal DER writer, the counterpart of der-reader.ts: enough to write a CRL without an object per field.

function lengthOf(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** One element: `tag`, its length, then `parts` one after the other. */
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  return Buffer.concat([Uint8Array.of(tag), lengthOf(body.length), body]);
}

export const sequence = (...parts: Uint8Array[]): Uint8Array => tlv(0x30, ...parts);

/** INTEGER from big-endian hex that is already DER's minimal two's complement (derSerialHex gives that for serials). */
export function integerHex(hex: string): Uint8Array {
  return tlv(0x02, Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'));
}

/** INTEGER of a non-negative whole number (a leading 00 keeps it positive). */
export function integer(n: number): Uint8Array {
  const bytes: number[] = [];
  let v = n;
  do { bytes.unshift(v & 0xff); v = Math.floor(v / 256); } while (v > 0);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, Uint8Array.from(bytes));
}

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const bytes: number[] = [];
  for (const arc of [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)]) {
    const group = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) group.unshift(0x80 | (v & 0x7f));
    bytes.push(...group);
  }
  return tlv(0x06, Uint8Array.from(bytes));
}

export const NULL = Uint8Array.of(0x05, 0x00);
export const octetString = (bytes: Uint8Array): Uint8Array => tlv(0x04, bytes);
/** A BIT STRING of whole bytes (no unused bits), as signatures are. */
export const bitString = (bytes: Uint8Array): Uint8Array => tlv(0x03, Uint8Array.of(0), bytes);

/** RFC 5280's Time: UTCTime (YYMMDDHHMMSSZ) for 1950–2049, GeneralizedTime (YYYYMMDDHHMMSSZ) otherwise; whole seconds. */
export function time(at: Date): Uint8Array {
  const year = at.getUTCFullYear();
  const two = (n: number) => String(n).padStart(2, '0');
  const rest = `${two(at.getUTCMonth() + 1)}${two(at.getUTCDate())}${two(at.getUTCHours())}${two(at.getUTCMinutes())}${two(at.getUTCSeconds())}Z`;
  return year >= 1950 && year <= 2049
    ? tlv(0x17, Buffer.from(`${two(year % 100)}${rest}`, 'latin1'))
    : tlv(0x18, Buffer.from(`${String(year).padStart(4, '0')}${rest}`, 'latin1'));
}

/** The DER ECDSA-Sig-Value of a WebCrypto (IEEE P1363) signature: r and s as INTEGERs. */
export function ecdsaSignatureDer(p1363: Uint8Array): Uint8Array {
  const half = p1363.length / 2;
  const int = (bytes: Uint8Array) => {
    let at = 0;
    while (at < bytes.length - 1 && bytes[at] === 0) at++;
    const minimal = bytes.subarray(at);
    return tlv(0x02, minimal[0]! & 0x80 ? Buffer.concat([Uint8Array.of(0), minimal]) : minimal);
  };
  return sequence(int(p1363.subarray(0, half)), int(p1363.subarray(half)));
}
