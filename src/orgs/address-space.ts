// Send connector address spaces (DS-CONF-02): `SMTP:treyresearch.net;1`, `*`, `*.contoso.com`, cost 1–100; most specific wins.
import { canonicalDomain } from '../ca/index.js';
import { DomsecError } from '../errors.js';
import { isSmtpDomain } from './smtp-domain.js';

export interface AddressSpace {
  type: 'SMTP';
  domain: string; // 'treyresearch.net', '*', or '*.contoso.com'
  cost: number;
}

export function parseAddressSpace(text: string): AddressSpace {
  const m = /^(?:(smtp):)?([^;]+)(?:;(\d+))?$/i.exec(text.trim());
  const raw = m?.[2]?.trim() ?? '';
  const domain = raw === '*' ? '*' : canonicalDomain(raw);
  const cost = m?.[3] === undefined ? 1 : Number(m[3]);
  const domainOk = domain === '*' || isSmtpDomain(domain.replace(/^\*\./, ''));
  if (!m || !domainOk || cost < 1 || cost > 100) {
    throw new DomsecError('ERR_SEND_CONNECTOR_INVALID', `"${text}" isn't a valid address space. Use SMTP:<domain>;<cost 1-100>.`, { value: text });
  }
  return { type: 'SMTP', domain, cost };
}

export function formatAddressSpace(a: AddressSpace): string {
  return `${a.type}:${a.domain};${a.cost}`;
}

/** How specifically an address space matches a domain: -1 no match, larger is more specific. */
export function matchSpecificity(space: AddressSpace, domain: string): number {
  const d = canonicalDomain(domain);
  if (space.domain === '*') return 0;
  if (space.domain.startsWith('*.')) {
    const suffix = space.domain.slice(1);
    return d.endsWith(suffix) || d === space.domain.slice(2) ? suffix.length : -1;
  }
  return space.domain === d ? 1000 + d.length : -1;
}
