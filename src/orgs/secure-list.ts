// The secure domain lists' edit semantics (DS-CONF-01): a plain value replaces, @{Add;Remove} edits, $null clears.
import { canonicalDomain } from '../ca/index.js';
import { DomsecError } from '../errors.js';
import { normalizeSmtpDomain } from './smtp-domain.js';

export const SECURE_LIST_MAX = 256;

export type ListEdit =
  | { kind: 'replace'; values: string[] }
  | { kind: 'edit'; add?: string[]; remove?: string[] }
  | { kind: 'clear' };

export function applyListEdit(current: readonly string[], edit: ListEdit): string[] {
  let next: string[];
  switch (edit.kind) {
    case 'clear':
      return [];
    case 'replace':
      next = dedupe(edit.values.map(normalizeSmtpDomain));
      break;
    case 'edit': {
      const remove = new Set((edit.remove ?? []).map(normalizeSmtpDomain));
      next = dedupe([...current, ...(edit.add ?? []).map(normalizeSmtpDomain)]).filter((d) => !remove.has(d));
      break;
    }
  }
  if (next.length > SECURE_LIST_MAX) {
    throw new DomsecError('ERR_SECURE_LIST_TOO_LONG', `The list has ${next.length} entries; at most ${SECURE_LIST_MAX} are allowed.`);
  }
  return next;
}

/** Exact membership in canonical form (IDNA, case, trailing dot): Domain Security does no subdomain matching (§3, §4). */
export function listContains(list: readonly string[], domain: string | undefined): boolean {
  if (!domain) return false;
  const d = canonicalDomain(domain);
  return list.some((x) => canonicalDomain(x) === d);
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}
