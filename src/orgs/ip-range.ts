// RemoteIPRanges entries (DS-CONF-04): a single IP, an `a-b` range or CIDR; specificity decides overlapping connectors.
import { isIPv4 } from 'node:net';
import { DomsecError } from '../errors.js';

export interface IpRange {
  text: string;
  first: number;
  last: number;
}

function toInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

/** Made at the top level, not as a closure per call: a mesh lab parses ten thousand ranges at its start. */
function invalidRange(text: string): DomsecError {
  return new DomsecError('ERR_RECEIVE_CONNECTOR_INVALID', `"${text}" isn't a valid IP address, range or CIDR block.`, { value: text });
}

export function parseIpRange(text: string): IpRange {
  const t = text.trim();
  if (t.includes('/')) {
    const [ip, bitsText] = t.split('/');
    const bits = Number(bitsText);
    if (!isIPv4(ip) || !Number.isInteger(bits) || bits < 0 || bits > 32) throw invalidRange(text);
    const size = 2 ** (32 - bits);
    const first = Math.floor(toInt(ip) / size) * size;
    return { text: t, first, last: first + size - 1 };
  }
  if (t.includes('-')) {
    const [a, b] = t.split('-').map((x) => x.trim());
    if (!isIPv4(a) || !isIPv4(b) || toInt(a) > toInt(b)) throw invalidRange(text);
    return { text: t, first: toInt(a), last: toInt(b) };
  }
  if (!isIPv4(t)) throw invalidRange(text);
  return { text: t, first: toInt(t), last: toInt(t) };
}

/** An IPv4 address (or IPv4-mapped IPv6) as the number ranges compare; NaN for anything else. */
export function ipv4Number(ip: string): number {
  return isIPv4(ip) ? toInt(ip) : ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? toInt(ip.slice(7)) : NaN;
}

/** Number of addresses the range covers when it contains ip (text, or as ipv4Number gives it), else undefined: smaller is more specific. */
export function rangeSizeIfContains(range: IpRange, ip: string | number): number | undefined {
  const v = typeof ip === 'number' ? ip : ipv4Number(ip);
  return v >= range.first && v <= range.last ? range.last - range.first + 1 : undefined;
}

export const ANY_IPV4 = '0.0.0.0-255.255.255.255';
