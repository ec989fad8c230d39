// The declarative lab file (docs/lab-file.md): N organizations, their edges, certificates, trust, lists and connectors.
import { DomsecError } from '../errors.js';
import { type ExchangeVersion, TLS_VERSIONS, type TlsVersion } from '../orgs/index.js';

export interface EdgeDefinition {
  name: string;
  fqdn: string;
  /** TLS versions the edge speaks, both directions; default ['1.2'] (docs/model-choices.md). */
  tlsVersions?: TlsVersion[];
}

const EXCHANGE_VERSIONS: readonly ExchangeVersion[] = ['2007', '2010', '2013', '2016'];

export interface CertificateDefinition {
  edge?: string;
  /** CN; default the edge FQDN. */
  commonName?: string;
  /** DNS SANs; default [commonName]. */
  dnsNames?: string[];
  /** 'issue' (the CA issues it), 'request' (a CSR from an Exchange subject string, signed, imported from PFX). */
  via?: 'issue' | 'request';
  /** For via: request, e.g. "DC=com,DC=Contoso,CN=mail1.contoso.com". */
  subjectName?: string;
}

export interface OrganizationDefinition {
  domain: string;
  domains?: string[];
  edges: EdgeDefinition[];
  /** The modelled Exchange version: SMTP dialogue, certificate-line names, LastError wording (default 2010). */
  exchangeVersion?: ExchangeVersion;
  /** No default Internet send connector / Default receive connector. */
  bare?: boolean;
  certificates?: CertificateDefinition[];
  /** Domains of organizations whose root this one imports (DS-CERT-01). */
  trusts?: string[];
  tlsSendDomainSecureList?: string[];
  tlsReceiveDomainSecureList?: string[];
  /** Passed to the send connector builder; `remove: true` deletes a default connector of that name. */
  sendConnectors?: (Record<string, unknown> & { name: string; remove?: boolean })[];
  /** `edge` picks the server (default: every edge); `remoteIpRanges` may name `<domain>` or `<domain>/<edge>` for partner edge addresses. */
  receiveConnectors?: (Record<string, unknown> & { name: string; edge?: string; remove?: boolean })[];
  /** Cmdlet lines run in this organization's shell after the declarative part. */
  commands?: string[];
}

export interface LabDefinition {
  name: string;
  seed?: string;
  organizations: OrganizationDefinition[];
  messages?: { from: string; to: string[] | string; subject?: string; body?: string }[];
}

const ORG_KEYS = ['domain', 'domains', 'edges', 'exchangeVersion', 'bare', 'certificates', 'trusts', 'tlsSendDomainSecureList', 'tlsReceiveDomainSecureList', 'sendConnectors', 'receiveConnectors', 'commands'];

function fail(source: string, where: string, sentence: string): DomsecError {
  return new DomsecError('ERR_LAB_FILE', `${source}: ${where}: ${sentence} See docs/lab-file.md for the schema.`, { source, where });
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Checks the shape of a parsed lab file; the org model then checks the values with Exchange's own messages. */
export function parseLabDefinition(value: unknown, source: string): LabDefinition {
  if (!isObj(value)) throw fail(source, 'top level', 'the file must hold a mapping.');
  if (!Array.isArray(value.organizations) || value.organizations.length === 0) throw fail(source, 'organizations', 'give at least one organization.');
  const orgs = value.organizations.map((o, i) => {
    const where = `organizations[${i}]`;
    if (!isObj(o)) throw fail(source, where, 'each organization is a mapping.');
    const unknown = Object.keys(o).filter((k) => !ORG_KEYS.includes(k));
    if (unknown.length) throw fail(source, where, `unknown key(s) ${unknown.join(', ')}.`);
    if (typeof o.domain !== 'string') throw fail(source, where, '"domain" is required.');
    if (!Array.isArray(o.edges) || o.edges.length === 0 || !o.edges.every((e) => isObj(e) && typeof e.name === 'string' && typeof e.fqdn === 'string')) {
      throw fail(source, `${where}.edges`, 'give at least one edge as {name, fqdn}.');
    }
    if (o.exchangeVersion !== undefined && !EXCHANGE_VERSIONS.includes(String(o.exchangeVersion) as ExchangeVersion)) {
      throw fail(source, `${where}.exchangeVersion`, `use one of ${EXCHANGE_VERSIONS.join(', ')}.`);
    }
    if (o.exchangeVersion !== undefined) o.exchangeVersion = String(o.exchangeVersion);
    for (const [j, e] of (o.edges as Record<string, unknown>[]).entries()) {
      const v = e.tlsVersions;
      if (v !== undefined && !(Array.isArray(v) && v.length > 0 && v.every((x) => TLS_VERSIONS.includes(String(x) as TlsVersion)))) {
        throw fail(source, `${where}.edges[${j}].tlsVersions`, `list one or more of ${TLS_VERSIONS.join(', ')}.`);
      }
      if (Array.isArray(v)) e.tlsVersions = v.map((x) => (String(x) === '1.3' ? '1.3' : '1.2'));
    }
    for (const k of ['domains', 'trusts', 'tlsSendDomainSecureList', 'tlsReceiveDomainSecureList', 'commands']) {
      if (o[k] !== undefined && !isStrList(o[k])) throw fail(source, `${where}.${k}`, 'must be a list of strings.');
    }
    for (const k of ['certificates', 'sendConnectors', 'receiveConnectors']) {
      if (o[k] !== undefined && !(Array.isArray(o[k]) && (o[k] as unknown[]).every(isObj))) throw fail(source, `${where}.${k}`, 'must be a list of mappings.');
    }
    for (const k of ['sendConnectors', 'receiveConnectors']) {
      if ((o[k] as Record<string, unknown>[] | undefined)?.some((c) => typeof c.name !== 'string')) throw fail(source, `${where}.${k}`, 'every connector needs a "name".');
    }
    return o as unknown as OrganizationDefinition;
  });
  const domains = orgs.map((o) => o.domain.toLowerCase());
  const dup = domains.find((d, i) => domains.indexOf(d) !== i);
  if (dup) throw fail(source, 'organizations', `${dup} is defined twice.`);
  for (const o of orgs) {
    for (const t of o.trusts ?? []) if (!domains.includes(t.toLowerCase())) throw fail(source, `${o.domain}.trusts`, `${t} is not an organization of this lab.`);
  }
  if (value.messages !== undefined && !(Array.isArray(value.messages) && value.messages.every((m) => isObj(m) && typeof m.from === 'string' && (typeof m.to === 'string' || isStrList(m.to))))) {
    throw fail(source, 'messages', 'each message needs "from" and "to".');
  }
  return {
    name: typeof value.name === 'string' ? value.name : source,
    ...(value.seed !== undefined ? { seed: String(value.seed) } : {}),
    organizations: orgs,
    ...(value.messages ? { messages: value.messages as LabDefinition['messages'] } : {}),
  };
}
