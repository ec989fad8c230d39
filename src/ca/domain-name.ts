// Owns the one canonical form every domain comparison uses: IDNA to ASCII (punycode), lower case, no trailing root dot.
import { domainToASCII } from 'node:url';

const CANONICAL = new Map<string, string>();

/**
 * 'Bücher.DE.' → 'xn--bcher-kva.de', 'ＡＤＡＴＵＭ.com' → 'adatum.com'. Both secure lists, MAIL FROM, next-hop domains
 * and certificate names go through here, so an internationalized partner cannot be spelled past the list (issue 10).
 * A value IDNA refuses (spaces, '%', bad punycode) is only trimmed and lower-cased: it matches nothing valid.
 */
export function canonicalDomain(value: string): string {
  // Remembered: every session compares its domains with whole secure lists (a hundred partners in a mesh), and
  // IDNA conversion was most of that. Pure, so the latest few thousand spellings are kept.
  let out = CANONICAL.get(value);
  if (out === undefined) {
    const trimmed = value.trim();
    const ascii = trimmed === '' ? '' : domainToASCII(trimmed);
    const lower = ascii !== '' ? ascii : trimmed.toLowerCase();
    out = lower.endsWith('.') ? lower.slice(0, -1) : lower;
    if (value.length > 255) return out; // no domain is that long: not worth keeping
    if (CANONICAL.size >= 4096) CANONICAL.delete(CANONICAL.keys().next().value!);
    CANONICAL.set(value, out);
  }
  return out;
}
