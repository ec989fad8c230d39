// Owns the one canonical form every domain comparison uses: IDNA to ASCII (punycode), lower case, no trailing root dot.
import { domainToASCII } from 'node:url';

/**
 * 'Bücher.DE.' → 'xn--bcher-kva.de', 'ＡＤＡＴＵＭ.com' → 'adatum.com'. Both secure lists, MAIL FROM, next-hop domains
 * and certificate names go through here, so an internationalized partner cannot be spelled past the list (issue 10).
 * A value IDNA refuses (spaces, '%', bad punycode) is only trimmed and lower-cased: it matches nothing valid.
 */
export function canonicalDomain(value: string): string {
  const trimmed = value.trim();
  const ascii = trimmed === '' ? '' : domainToASCII(trimmed);
  const out = ascii !== '' ? ascii : trimmed.toLowerCase();
  return out.endsWith('.') ? out.slice(0, -1) : out;
}
