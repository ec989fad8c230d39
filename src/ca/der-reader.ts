// Owns a minimal DER reader (tag, length, contents): enough to walk a certificate without building an object per field.

export interface Tlv {
  tag: number;
  /** Offsets in the buffer: the contents run from `contents` to `end`. */
  start: number;
  contents: number;
  end: number;
}

function bad(at: number, why: string): never {
  throw new Error(`malformed DER at byte ${at}: ${why}`);
}

/** The element starting at `at`; definite lengths only (DER), one-byte tags only (all a certificate uses). */
export function readTlv(der: Uint8Array, at: number, limit = der.length): Tlv {
  const tag = der[at];
  if (tag === undefined || at + 2 > limit) bad(at, 'truncated');
  if ((tag & 0x1f) === 0x1f) bad(at, 'multi-byte tag');
  let length = der[at + 1]!;
  let contents = at + 2;
  if (length >= 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || contents + n > limit) bad(at, 'bad length');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + der[contents + i]!;
    contents += n;
  }
  const end = contents + length;
  if (end > limit) bad(at, 'length past the end');
  return { tag, start: at, contents, end };
}

/** The elements inside a constructed element, in order. */
export function childrenOf(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.contents; at < parent.end;) {
    const t = readTlv(der, at, parent.end);
    out.push(t);
    at = t.end;
  }
  return out;
}

export function contentsOf(der: Uint8Array, t: Tlv): Uint8Array {
  return der.subarray(t.contents, t.end);
}

/** The whole element (tag and length included). */
export function elementOf(der: Uint8Array, t: Tlv): Uint8Array {
  return der.subarray(t.start, t.end);
}

/** Dotted text of an OBJECT IDENTIFIER's contents. */
export function oidText(bytes: Uint8Array): string {
  const arcs: number[] = [];
  let v = 0;
  for (const b of bytes) {
    v = v * 128 + (b & 0x7f);
    if (b < 0x80) { arcs.push(v); v = 0; }
  }
  if (arcs.length === 0) throw new Error('empty OID');
  const first = arcs[0]! < 80 ? Math.floor(arcs[0]! / 40) : 2;
  return [first, arcs[0]! - first * 40, ...arcs.slice(1)].join('.');
}

/** UTCTime (YYMMDDHHMMSSZ, 50-99 → 19xx) or GeneralizedTime (YYYYMMDDHHMMSS[.f]Z). */
export function timeOf(der: Uint8Array, t: Tlv): Date {
  const s = Buffer.from(contentsOf(der, t)).toString('latin1');
  const m = t.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : t.tag === 0x18 ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d+))?Z$/.exec(s) : null;
  if (!m) throw new Error(`not a DER time: ${s}`);
  const year = t.tag === 0x17 ? (Number(m[1]) >= 50 ? 1900 : 2000) + Number(m[1]) : Number(m[1]);
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms));
}

export function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}
