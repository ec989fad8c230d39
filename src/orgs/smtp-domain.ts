// What counts as an SMTP domain on the secure lists and address spaces (DS-CONF-01): no wildcards, RFC 1035 labels.
import { canonicalDomain } from '../ca/index.js';
import { DomsecError } from '../errors.js';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/** Checks the canonical (IDNA A-label) form, so 'bücher.de' is a valid SMTP domain and 'a b.com' is not. */
export function isSmtpDomain(value: string): boolean {
  const ascii = canonicalDomain(value);
  if (value.trim().length === 0 || ascii.length === 0 || ascii.length > 253) return false;
  const labels = ascii.split('.');
  return labels.length >= 1 && labels.every((l) => LABEL.test(l));
}

/** Checks one list value and returns its canonical form (IDNA to ASCII, lower case, no trailing dot); the message is Exchange's own. */
export function normalizeSmtpDomain(value: string): string {
  const v = value.trim();
  if (!isSmtpDomain(v)) {
    throw new DomsecError('ERR_INVALID_SMTP_DOMAIN', `"${value}" isn't a valid SMTP domain.`, { value });
  }
  return canonicalDomain(v);
}

/** The domain part of an address in canonical form (as the lists hold it); undefined for the null sender or a bare local part. */
export function domainOf(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0) return undefined;
  return canonicalDomain(address.slice(at + 1));
}
