// The declarative lab file (docs/lab-file.md): N organizations, their edges, certificates, trust, lists and connectors.
import { isKeyAlgorithm, type KeyAlgorithm } from '../ca/index.js';
import { DomsecError } from '../errors.js';

export interface EdgeDefinition { name: string; fqdn: string }

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
  /** Key algorithm of every CA and certificate of the lab; default RSA-2048 (as Exchange), ECDSA-P256 for speed. */
  keyAlgorithm?: KeyAlgorithm;
  organizations: OrganizationDefinition[];
  messages?: { from: string; to: string[] | string; subject?: string; body?: string }[];
}

const ORG_KEYS = ['domain', 'domains', 'edges', 'bare', 'certificates', 'trusts', 'tlsSendDomainSecureList', 'tlsReceiveDomainSecureList', 'sendConnectors', 'receiveConnectors', 'commands'];

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
  if (value.keyAlgorithm !== undefined && !isKeyAlgorithm(value.keyAlgorithm)) {
    throw fail(source, 'keyAlgorithm', `"${String(value.keyAlgorithm)}" is not a key algorithm. Use RSA-2048 (the default, as Exchange), RSA-1024, RSA-4096 or ECDSA-P256.`);
  }
  if (value.messages !== undefined && !(Array.isArray(value.messages) && value.messages.every((m) => isObj(m) && typeof m.from === 'string' && (typeof m.to === 'string' || isStrList(m.to))))) {
    throw fail(source, 'messages', 'each message needs "from" and "to".');
  }
  return {
    name: typeof value.name === 'string' ? value.name : source,
    ...(value.seed !== undefined ? { seed: String(value.seed) } : {}),
    ...(value.keyAlgorithm !== undefined ? { keyAlgorithm: value.keyAlgorithm as KeyAlgorithm } : {}),
    organizations: orgs,
    ...(value.messages ? { messages: value.messages as LabDefinition['messages'] } : {}),
  };
}
