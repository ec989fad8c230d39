// Owns certificate name matching: DS-CERT-02 domain coverage for Domain Security, and TLS host matching for DS-CONF-07.
import { canonicalDomain } from './domain-name.js';

export type NameRule = 'exact' | 'wildcard-of-domain' | 'one-label-below' | 'wildcard-suffix';
export type NameMatch = { ok: true; rule: NameRule; name: string; domain: string }
  | { ok: false; domain: string; names: string[]; detail: string };

const LABEL = '[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?';
const DNS_NAME = new RegExp(`^(\\*\\.)?${LABEL}(\\.${LABEL})*\\.?$`, 'i');

/** True for 'mail.contoso.com', 'localhost', '*.contoso.com'; false for 'Adatum Root CA'. Decides whether a CN counts as a name. */
export function isDnsName(value: string): boolean {
  return value.length > 0 && value.length <= 255 && DNS_NAME.test(value);
}

/** Names compare in one canonical form: IDNA A-labels, lower case, no trailing root dot ('Contoso.com.' = 'contoso.com'). */
function canonical(name: string): string {
  return canonicalDomain(name);
}

/**
 * A wildcard needs at least two labels after '*.' (model choice, docs/model-choices.md): Windows' certificate name
 * matching, which Exchange uses, refuses '*.com' (KB 258858), so a '*.com' certificate authenticates no '.com' partner.
 */
function wildcardSuffix(n: string): string | undefined {
  if (!n.startsWith('*.')) return undefined;
  const suffix = n.slice(2);
  return suffix.includes('.') && !suffix.startsWith('.') && !suffix.includes('*') ? suffix : '';
}

/**
 * Which DS-CERT-02 rule lets certificate name N cover partner domain D, if any. The rules are tried in order:
 *  - 'exact': N = D.
 *  - 'wildcard-of-domain': N = '*.D' ('*.contoso.com' covers 'contoso.com').
 *  - 'one-label-below': N is a plain name exactly one label below D ('mail.woodgrovebank.com' covers
 *    'woodgrovebank.com'; 'a.mail.woodgrovebank.com' does not). A wildcard N never qualifies here.
 *  - 'wildcard-suffix': N = '*.S' and D ends with '.S'. Read literally, the rule puts no limit on how many
 *    labels D has before S, so '*.contoso.com' covers 'mail.contoso.com' and also 'a.b.contoso.com'. This
 *    is deliberately wider than TLS host matching (see matchHost).
 */
export function nameCovers(name: string, domain: string): NameRule | undefined {
  const n = canonical(name);
  const d = canonical(domain);
  if (n === '' || d === '' || !isDnsName(d) || d.includes('*')) return undefined;
  if (n === d) return 'exact';
  const suffix = wildcardSuffix(n);
  if (suffix !== undefined) {
    if (suffix === '') return undefined;
    if (suffix === d) return 'wildcard-of-domain';
    return d.endsWith(`.${suffix}`) ? 'wildcard-suffix' : undefined;
  }
  if (n.endsWith(`.${d}`)) {
    const label = n.slice(0, -(d.length + 1));
    if (label !== '' && !label.includes('.')) return 'one-label-below';
  }
  return undefined;
}

const RULE_ORDER: NameRule[] = ['exact', 'wildcard-of-domain', 'one-label-below', 'wildcard-suffix'];

/** The strongest covering name (exact, then '*.D', then one label below, then wildcard suffix; ties in certificate order), or why none covers. */
export function matchDomain(names: string[], domain: string): NameMatch {
  let best: { rule: NameRule; name: string } | undefined;
  for (const name of names) {
    const rule = nameCovers(name, domain);
    if (rule && (!best || RULE_ORDER.indexOf(rule) < RULE_ORDER.indexOf(best.rule))) best = { rule, name };
  }
  if (best) return { ok: true, rule: best.rule, name: best.name, domain };
  const shown = names.length === 0 ? 'the certificate has no DNS names' : `the certificate names are ${names.map((x) => `'${x}'`).join(', ')}`;
  return {
    ok: false,
    domain,
    names: [...names],
    detail: `No certificate name covers the domain '${domain}' (DS-CERT-02): ${shown}. A name must equal the domain, be '*.${canonical(domain)}', be exactly one label below it, or be a wildcard whose suffix the domain ends with.`,
  };
}

/**
 * TLS-style host match (RFC 6125): exact, or a wildcard standing for exactly one left-most label
 * ('*.contoso.com' matches 'mail.contoso.com', not 'contoso.com' nor 'a.b.contoso.com'). Used for DS-CONF-07.
 */
export function matchHost(names: string[], host: string): boolean {
  const h = canonical(host);
  if (h === '' || !isDnsName(h) || h.includes('*')) return false;
  return names.some((raw) => {
    const n = canonical(raw);
    if (n === h) return true;
    const suffix = wildcardSuffix(n);
    if (!suffix) return false;
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot + 1) === suffix;
  });
}
