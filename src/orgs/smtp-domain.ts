// What counts as an SMTP domain on the secure lists and address spaces (DS-CONF-01): no wildcards, RFC 1035 labels.
import { DomsecError } from '../errors.js';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

export function isSmtpDomain(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false;
  const labels = value.replace(/\.$/, '').split('.');
  return labels.length >= 1 && labels.every((l) => LABEL.test(l));
}

/** Lower-cases and checks one list value; the message is Exchange's own. */
export function normalizeSmtpDomain(value: string): string {
  const v = value.trim();
  if (!isSmtpDomain(v)) {
    throw new DomsecError('ERR_INVALID_SMTP_DOMAIN', `"${value}" isn't a valid SMTP domain.`, { value });
  }
  return v.replace(/\.$/, '').toLowerCase();
}

/** The domain part of an address, lower-cased; undefined for the null sender or a bare local part. */
export function domainOf(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0) return undefined;
  return address.slice(at + 1).toLowerCase();
}
