// Owns X.500 subject names: parsing Exchange's -SubjectName, encoding it in DER order, and displaying names as Windows does.
//
// Windows and Exchange show a name most specific first ('CN=mail1.contoso.com, DC=Contoso, DC=com'), which is
// the reverse of the DER order (DC=com first). New-ExchangeCertificate -SubjectName takes the DER order
// ('DC=com,DC=Contoso,CN=mail1.contoso.com' or 'C=US, O=Contoso, CN=mail.contoso.com'); people also type
// the display order ('CN=x, O=y, C=US'). Both must produce the same certificate.
import { DomsecError } from '../errors.js';
import { x509 } from './crypto-provider.js';

interface AttributeKind { key: string; oid: string; rank: number; string: 'utf8String' | 'printableString' | 'ia5String'; max?: number }

// rank: how specific the attribute is (0 = broadest); used only to tell which way round the input was written.
const KINDS: AttributeKind[] = [
  { key: 'C', oid: '2.5.4.6', rank: 0, string: 'printableString' },
  { key: 'DC', oid: '0.9.2342.19200300.100.1.25', rank: 0, string: 'ia5String', max: 63 },
  { key: 'S', oid: '2.5.4.8', rank: 1, string: 'utf8String', max: 128 },
  { key: 'L', oid: '2.5.4.7', rank: 2, string: 'utf8String', max: 128 },
  { key: 'STREET', oid: '2.5.4.9', rank: 2, string: 'utf8String', max: 128 },
  { key: 'O', oid: '2.5.4.10', rank: 3, string: 'utf8String', max: 64 },
  { key: 'OU', oid: '2.5.4.11', rank: 4, string: 'utf8String', max: 64 },
  { key: 'CN', oid: '2.5.4.3', rank: 5, string: 'utf8String', max: 64 },
  { key: 'T', oid: '2.5.4.12', rank: 5, string: 'utf8String', max: 64 },
  { key: 'G', oid: '2.5.4.42', rank: 5, string: 'utf8String', max: 64 },
  { key: 'SN', oid: '2.5.4.4', rank: 5, string: 'utf8String', max: 64 },
  { key: 'SERIALNUMBER', oid: '2.5.4.5', rank: 5, string: 'printableString', max: 64 },
  { key: 'E', oid: '1.2.840.113549.1.9.1', rank: 6, string: 'ia5String', max: 255 },
];
const ALIASES: Record<string, string> = { ST: 'S', EMAIL: 'E', EMAILADDRESS: 'E', STREETADDRESS: 'STREET', TITLE: 'T', GIVENNAME: 'G', SURNAME: 'SN' };
const BY_KEY = new Map(KINDS.map((k) => [k.key, k]));
const BY_OID = new Map(KINDS.map((k) => [k.oid, k]));

/** Far above any real subject (a few 64-character attributes); keeps parsing and error messages small. */
export const MAX_SUBJECT_LENGTH = 4096;

/** One attribute of a name; an RDN with several attributes (a+b) is kept as one entry per attribute in the same group. */
export interface NameAttribute { key: string; oid: string; value: string }

function fail(input: string, why: string): never {
  throw new DomsecError('ERR_SUBJECT_NAME', `The subject name '${input}' is not valid: ${why}. Write it like 'DC=com,DC=Contoso,CN=mail1.contoso.com' or 'CN=mail1.contoso.com, O=Contoso, C=US'.`, { subjectName: input });
}

/** Splits on unquoted, unescaped ',' or ';' and reads each KEY=value; values may be "quoted" or use backslash escapes. */
function tokenize(input: string): Array<{ rawKey: string; value: string }> {
  const parts: Array<{ rawKey: string; value: string }> = [];
  let i = 0;
  const n = input.length;
  // Where the trailing blanks start, found once: re-trimming the rest after every separator was quadratic (a 64 kB
  // name of separators and trailing spaces took minutes; found by subject-name.fuzz.test.ts).
  const end = input.trimEnd().length;
  while (i < n) {
    while (i < n && input[i] === ' ') i++;
    const eq = input.indexOf('=', i);
    if (eq < 0) fail(input, `'${input.slice(i).trim()}' has no '='`);
    const rawKey = input.slice(i, eq).trim();
    i = eq + 1;
    while (i < n && input[i] === ' ') i++;
    let value = '';
    if (input[i] === '"') {
      i++;
      for (;;) {
        if (i >= n) fail(input, 'a quoted value is not closed');
        if (input[i] === '"' && input[i + 1] === '"') { value += '"'; i += 2; continue; }
        if (input[i] === '\\' && i + 1 < n) { value += input[i + 1]; i += 2; continue; }
        if (input[i] === '"') { i++; break; }
        value += input[i++];
      }
      while (i < n && input[i] === ' ') i++;
      if (i < n && input[i] !== ',' && input[i] !== ';') fail(input, `text follows the quoted value of ${rawKey}`);
    } else {
      while (i < n && input[i] !== ',' && input[i] !== ';') {
        if (input[i] === '\\' && i + 1 < n) { value += input[i + 1]; i += 2; continue; }
        if (input[i] === '+') fail(input, `multi-valued RDNs ('+') are not supported; quote the value of ${rawKey} if '+' is part of it`);
        value += input[i++];
      }
      value = value.trim();
    }
    parts.push({ rawKey, value });
    if (i < n) {
      i++; // the separator
      if (i >= end) fail(input, 'it ends with a separator');
    }
  }
  return parts;
}

function kindFor(input: string, rawKey: string): AttributeKind {
  const upper = rawKey.toUpperCase();
  const key = ALIASES[upper] ?? upper;
  const known = BY_KEY.get(key);
  if (known) return known;
  const oid = upper.startsWith('OID.') ? upper.slice(4) : upper;
  if (/^\d+(\.\d+)+$/.test(oid)) return BY_OID.get(oid) ?? { key: `OID.${oid}`, oid, rank: 5, string: 'utf8String' };
  return fail(input, `'${rawKey}' is not a known attribute (use CN, O, OU, L, S, C, DC, E)`);
}

function checkValue(input: string, kind: AttributeKind, value: string): string {
  if (value === '') fail(input, `${kind.key} has an empty value`);
  if (kind.max !== undefined && value.length > kind.max) fail(input, `${kind.key} is longer than ${kind.max} characters`);
  if (kind.key === 'C') {
    if (!/^[A-Za-z]{2}$/.test(value)) fail(input, `C must be a two-letter country code, not '${value}'`);
    return value.toUpperCase();
  }
  if (kind.key === 'DC' && !/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/.test(value)) fail(input, `DC=${value} is not a DNS label`);
  if (kind.string === 'ia5String' && !/^[\x20-\x7e]+$/.test(value)) fail(input, `${kind.key} must be plain ASCII`);
  if (kind.string === 'printableString' && !/^[A-Za-z0-9 '()+,\-./:=?]+$/.test(value)) fail(input, `${kind.key} may hold only letters, digits, spaces and '()+,-./:=?`);
  return value;
}

/**
 * Parses a subject in either order and returns the attributes in display order (most specific first).
 * The input is taken as DER order (Exchange's form) when its first attribute is broader than its last
 * (e.g. DC/C ... CN); otherwise it is already display order. Equal ranks keep the order as written.
 */
export function parseSubjectAttributes(input: string): NameAttribute[] {
  if (typeof input !== 'string' || input.trim() === '') fail(String(input), 'it is empty');
  if (input.length > MAX_SUBJECT_LENGTH) fail(`${input.slice(0, 60)}…`, `it is ${input.length} characters long; at most ${MAX_SUBJECT_LENGTH} are accepted`);
  const attrs = tokenize(input).map(({ rawKey, value }) => {
    const kind = kindFor(input, rawKey);
    return { kind, value: checkValue(input, kind, value) };
  });
  const first = attrs[0]!.kind.rank;
  const last = attrs[attrs.length - 1]!.kind.rank;
  const displayOrder = first < last ? [...attrs].reverse() : attrs;
  return displayOrder.map(({ kind, value }) => ({ key: kind.key, oid: kind.oid, value }));
}

/** Quotes a value the way Windows' CertNameToStr does when it holds separators or edge spaces. */
function displayValue(value: string): string {
  return /[,+="\n<>#;]|^ | $/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function formatAttributes(attrs: NameAttribute[]): string {
  return attrs.map((a) => `${a.key}=${displayValue(a.value)}`).join(', ');
}

/** 'DC=com,DC=Contoso,CN=mail1.contoso.com' -> 'CN=mail1.contoso.com, DC=Contoso, DC=com'; ERR_SUBJECT_NAME when invalid. */
export function parseExchangeSubject(s: string): string {
  return formatAttributes(parseSubjectAttributes(s));
}

/** Builds the DER name (least specific first) for a subject written in either order. */
export function encodeSubject(s: string): x509.Name {
  const displayOrder = parseSubjectAttributes(s);
  const derOrder = [...displayOrder].reverse();
  const json = derOrder.map((a) => {
    const kind = BY_OID.get(a.oid);
    return { [a.oid]: [{ [kind?.string ?? 'utf8String']: a.value }] };
  });
  return new x509.Name(json as x509.JsonNameParams);
}

/** Reads a DER name into display order; the attributes of a multi-valued RDN (rare) come out one after another. */
export function readNameAttributes(name: x509.Name | BufferSource): NameAttribute[] {
  const parsed = name instanceof x509.Name ? name : new x509.Name(name);
  const rdns = parsed.toJSON();
  const out: NameAttribute[] = [];
  for (const rdn of [...rdns].reverse()) {
    for (const [peculiarKey, values] of Object.entries(rdn)) {
      const oid = /^\d+(\.\d+)+$/.test(peculiarKey) ? peculiarKey : oidOfPeculiarKey(peculiarKey);
      const kind = BY_OID.get(oid);
      for (const value of values) out.push({ key: kind?.key ?? `OID.${oid}`, oid, value });
    }
  }
  return out;
}

// @peculiar/x509 names a few attributes itself (ST, I); everything else it knows matches our keys.
const PECULIAR_KEYS: Record<string, string> = { ST: '2.5.4.8', I: '2.5.4.43' };
function oidOfPeculiarKey(key: string): string {
  return PECULIAR_KEYS[key] ?? BY_KEY.get(key)?.oid ?? key;
}

export function formatName(name: x509.Name | BufferSource): string {
  return formatAttributes(readNameAttributes(name));
}

/** The most specific CN (the one Windows shows first), if any. */
export function commonNameOf(name: x509.Name | BufferSource): string | undefined {
  return readNameAttributes(name).find((a) => a.key === 'CN')?.value;
}

/** A subject holding only the CN; the CN is taken literally (commas and all), not parsed as a DN. */
export function commonNameSubject(commonName: string): x509.Name {
  const cn = commonName.trim();
  if (cn === '') fail(commonName, 'the common name is empty');
  if (cn.length > 64) fail(commonName, 'CN is longer than 64 characters');
  return new x509.Name([{ '2.5.4.3': [{ utf8String: cn }] }] as x509.JsonNameParams);
}
