// The declarative lab file (docs/lab-file.md): N organizations, their edges, certificates, trust, lists and connectors.
import { isIP } from 'node:net';
import { canonicalDomain, isDnsName, isKeyAlgorithm, type KeyAlgorithm } from '../ca/index.js';
import { DomsecError } from '../errors.js';
import { type ExchangeVersion, isSmtpDomain, TLS_VERSIONS, type TlsVersion } from '../orgs/index.js';
import { bool, checkSchema, int, list, obj, oneOf, type Schema, str } from './schema-check.js';

export interface EdgeDefinition {
  name: string;
  fqdn: string;
  /** TLS versions the edge speaks, both directions; default ['1.2'] (docs/model-choices.md). */
  tlsVersions?: TlsVersion[];
  /** The port `lab up` listens on for this edge (wins over --port-base); elsewhere any free port. */
  port?: number;
  /** An outside MTA plays this edge (docs/external-mta.md); the organization's other edges stay simulated. */
  external?: { host: string; port: number; from?: string; adapter?: string };
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
  /** Empty for an external organization. */
  edges: EdgeDefinition[];
  /**
   * A real MTA outside the harness plays this organization (docs/external-mta.md): no simulated edge. With `image`, a
   * container image that `lab up` starts on the host's network: `host` is then `from` (default 127.0.0.1) and `port` 0
   * until lab up picks a free one.
   */
  external?: { host: string; port: number; from?: string; adapter?: string; image?: string };
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
  /** Key algorithm of every CA and certificate of the lab; default RSA-2048 (as Exchange), ECDSA-P256 for speed. */
  keyAlgorithm?: KeyAlgorithm;
  /** Worker threads for the edges' sockets and TLS (edge-threads.ts); `lab up --edge-threads` wins. */
  edgeThreads?: number;
  organizations: OrganizationDefinition[];
  messages?: { from: string; to: string[] | string; subject?: string; body?: string }[];
}

/**
 * Caps that keep a small file from asking for a huge lab (aliases can multiply a 1.6 kB file into thousands of edges).
 * 199 organizations: the simulation's own limit (127.0.<org>.<edge> addresses); 256 connectors hold a full mesh of 199
 * with one connector per partner (mesh-lab.ts).
 */
export const LAB_LIMITS = { organizations: 199, edges: 16, certificates: 32, connectors: 256, listEntries: 256, commands: 500, messages: 200, recipients: 100 } as const;

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/** Lab and edge names end up in file names (reports/lab-<name>, <dir>/<domain>/<edge>.pfx): letters, digits, '.', '_', '-' only. */
export function identifierProblem(v: string): string | undefined {
  return IDENTIFIER.test(v) && !v.includes('..') ? undefined : `"${v}" is not a valid name: use letters, digits, '.', '_' and '-' (up to 63, starting with a letter or digit, no '..', no slashes).`;
}
const domainProblem = (v: string) => (isSmtpDomain(v) ? undefined : `"${v}" isn't a valid SMTP domain.`);
const dnsNameProblem = (v: string) => (isDnsName(v) ? undefined : `"${v}" is not a DNS name (e.g. mail.contoso.com or *.contoso.com).`);
const addressProblem = (v: string) => (/^[^@\s<>]{1,64}@[^@\s<>]+$/.test(v) && isSmtpDomain(v.slice(v.lastIndexOf('@') + 1)) ? undefined : `"${v}" is not an e-mail address.`);
const connectorNameProblem = (v: string) => (v.trim() !== '' && v.length <= 64 && !/[\u0000-\u001f\u007f\\/]/.test(v) ? undefined : `"${v}" is not a valid connector name (1-64 characters, no control characters, no '\\' or '/').`);

const USAGES = ['Custom', 'Internet', 'Internal', 'Partner'];
const LOGGING = oneOf('None', 'Verbose');
const strings = (max: number, check?: (v: string) => string | undefined) => list(str(check), max);

/** Fields of New-/Set-SendConnector in camelCase (docs/lab-file.md), plus `remove`. */
const SEND_CONNECTOR = obj({
  name: str(connectorNameProblem), remove: bool, usage: oneOf(...USAGES), addressSpaces: strings(LAB_LIMITS.listEntries),
  dnsRoutingEnabled: bool, smartHosts: strings(LAB_LIMITS.listEntries), fqdn: str(dnsNameProblem), domainSecureEnabled: bool, requireTls: bool,
  ignoreStartTls: bool, tlsAuthLevel: oneOf('EncryptionOnly', 'CertificateValidation', 'DomainValidation'), tlsDomain: str(dnsNameProblem),
  tlsCertificateName: str(), protocolLoggingLevel: LOGGING, maxMessageSize: int(1, 2 ** 31 - 1), sourceServers: strings(LAB_LIMITS.edges, identifierProblem),
  port: int(1, 65535), smtpMaxMessagesPerConnection: int(1, 2 ** 31 - 1),
}, ['name']);

/** Fields of New-/Set-ReceiveConnector in camelCase, plus `edge` and `remove`. */
const RECEIVE_CONNECTOR = obj({
  name: str(connectorNameProblem), edge: str(identifierProblem), remove: bool, usage: oneOf(...USAGES, 'Client'),
  bindings: strings(LAB_LIMITS.listEntries), remoteIpRanges: strings(LAB_LIMITS.listEntries),
  authMechanism: list(oneOf('None', 'Tls', 'Integrated', 'BasicAuth', 'BasicAuthRequireTLS', 'ExchangeServer', 'ExternalAuthoritative'), 8),
  permissionGroups: list(oneOf('None', 'AnonymousUsers', 'ExchangeUsers', 'ExchangeServers', 'ExchangeLegacyServers', 'Partners', 'Custom'), 8),
  domainSecureEnabled: bool, requireTls: bool, fqdn: str(dnsNameProblem), protocolLoggingLevel: LOGGING, maxMessageSize: int(1, 2 ** 31 - 1),
}, ['name']);

const CERTIFICATE = obj({
  edge: str(identifierProblem), commonName: str(dnsNameProblem), dnsNames: strings(LAB_LIMITS.listEntries, dnsNameProblem),
  via: oneOf('issue', 'request'), subjectName: str(undefined, 1024),
});

/**
 * An outside MTA: where it listens, where its sessions come from, and its adapter SPEC (checked by the CLI, which knows the
 * forms); or the container image that plays it (`lab up` runs it). host and port are required without an image (checked below).
 */
const EXTERNAL = obj({
  host: str(undefined, 253), port: int(1, 65535), from: str((v) => (isIP(v) === 4 ? undefined : `"${v}" is not an IPv4 address.`), 15), adapter: str(undefined, 2000),
  image: str((v) => (/^[\w./:@-]+$/.test(v) ? undefined : `"${v}" is not an image name (letters, digits and . / : @ _ -).`), 255),
});

type ExternalDefinition = NonNullable<OrganizationDefinition['external']>;

/** Without an image: host and port are required. With one: no host (it runs on this machine's network, at `from`). */
function checkExternal(source: string, where: string, x: ExternalDefinition, image: 'allowed' | 'edge'): void {
  if (x.image !== undefined) {
    if (image === 'edge') throw fail(source, `${where}.image`, 'a container image plays a whole organization (organizations[].external.image), not one edge of a simulated one.');
    if (x.host !== undefined) throw fail(source, `${where}.host`, `the image ${x.image} runs on this machine's network and listens at "from" (default 127.0.0.1): remove "host".`);
    x.host = x.from ?? '127.0.0.1';
    x.port ??= 0;
    return;
  }
  for (const key of ['host', 'port'] as const) {
    if (x[key] === undefined) throw fail(source, `${where}.${key}`, `is required (or "image" for a container image that lab up starts).`);
  }
}

const ORGANIZATION = obj({
  domain: str(domainProblem), domains: strings(LAB_LIMITS.listEntries, domainProblem),
  edges: list(obj({ name: str(identifierProblem), fqdn: str(dnsNameProblem), tlsVersions: list({ kind: 'scalar' }, 2, 1), port: int(1, 65535), external: EXTERNAL }, ['name', 'fqdn']), LAB_LIMITS.edges, 1),
  exchangeVersion: { kind: 'scalar' },
  bare: bool, certificates: list(CERTIFICATE, LAB_LIMITS.certificates), trusts: strings(LAB_LIMITS.organizations, domainProblem),
  tlsSendDomainSecureList: strings(LAB_LIMITS.listEntries), tlsReceiveDomainSecureList: strings(LAB_LIMITS.listEntries),
  sendConnectors: list(SEND_CONNECTOR, LAB_LIMITS.connectors), receiveConnectors: list(RECEIVE_CONNECTOR, LAB_LIMITS.connectors),
  commands: strings(LAB_LIMITS.commands),
  external: EXTERNAL,
}, ['domain']);

/** Keys that configure simulated edges; an external organization's MTA has its own configuration instead. */
const EDGE_KEYS = ['edges', 'certificates', 'sendConnectors', 'receiveConnectors', 'commands', 'exchangeVersion', 'bare', 'tlsSendDomainSecureList', 'tlsReceiveDomainSecureList'] as const;

export const MESSAGE_SCHEMA = obj({ from: str(addressProblem), to: { kind: 'listOrString', of: str(addressProblem), max: LAB_LIMITS.recipients }, subject: str(), body: str(undefined, 100_000) }, ['from', 'to']);

export const LAB_SCHEMA: Schema = obj({
  name: str(identifierProblem), seed: { kind: 'scalar' }, keyAlgorithm: str(), edgeThreads: int(0, 64), organizations: list(ORGANIZATION, LAB_LIMITS.organizations, 1), messages: list(MESSAGE_SCHEMA, LAB_LIMITS.messages),
}, ['organizations']);

function fail(source: string, where: string, sentence: string): DomsecError {
  return new DomsecError('ERR_LAB_FILE', `${source}: ${where}: ${sentence} See docs/lab-file.md for the schema.`, { source, where });
}

/** The default lab name: the file name without folder or extension, reduced to a valid name. */
export function defaultLabName(source: string): string {
  const base = source.split(/[\\/]/).pop()!.replace(/\.(ya?ml|json)$/i, '').replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/\.{2,}/g, '.').replace(/^[^A-Za-z0-9]+/, '').slice(0, 63);
  return base === '' ? 'lab' : base;
}

/** Checks every key and value of a parsed lab file against LAB_SCHEMA, then the references between its parts. */
export function parseLabDefinition(value: unknown, source: string): LabDefinition {
  checkSchema(value, LAB_SCHEMA, '', (where, sentence) => fail(source, where, sentence));
  const v = value as Record<string, unknown> & { organizations: OrganizationDefinition[] };
  const orgs = v.organizations;
  // Sets, not lists: a full mesh of n organizations has n² trusts, and a scan per trust made the check cubic.
  const domains = orgs.map((o) => canonicalDomain(o.domain));
  const known = new Set<string>();
  // Versions are read as text (YAML may give 2013 or 1.3 as numbers), then checked against what the model knows.
  orgs.forEach((o, i) => {
    const where = `organizations[${i}]`;
    if (o.external) {
      checkExternal(source, `${where}.external`, o.external, 'allowed');
      const extra = EDGE_KEYS.find((k) => o[k] !== undefined);
      if (extra) throw fail(source, `${where}.${extra}`, `${o.domain} is external: its MTA's own configuration decides this, so the lab file cannot (remove "${extra}" or "external").`);
      o.edges = [];
      return;
    }
    if (o.edges === undefined) throw fail(source, where, 'the key "edges" is required (or "external" for an organization played by an outside MTA).');
    if (o.exchangeVersion !== undefined) {
      if (!EXCHANGE_VERSIONS.includes(String(o.exchangeVersion) as ExchangeVersion)) throw fail(source, `${where}.exchangeVersion`, `use one of ${EXCHANGE_VERSIONS.join(', ')}.`);
      o.exchangeVersion = String(o.exchangeVersion) as ExchangeVersion;
    }
    o.edges.forEach((e, j) => {
      if (e.external) {
        checkExternal(source, `${where}.edges[${j}].external`, e.external, 'edge');
        // The simulation sends the organization's mail through its first edge; an outside MTA cannot be that edge.
        if (j === 0) throw fail(source, `${where}.edges[0].external`, `the first edge of ${o.domain} sends its mail in the simulation, so it cannot be external: list a simulated edge first (or make the whole organization external).`);
        const extra = (['tlsVersions', 'port'] as const).find((k) => e[k] !== undefined);
        if (extra) throw fail(source, `${where}.edges[${j}].${extra}`, `${e.name} is external: its MTA's own configuration decides this (remove "${extra}" or "external").`);
        return;
      }
      if (e.tlsVersions === undefined) return;
      const given = (e.tlsVersions as unknown[]).map(String);
      if (!given.every((x) => TLS_VERSIONS.includes(x as TlsVersion))) throw fail(source, `${where}.edges[${j}].tlsVersions`, `list one or more of ${TLS_VERSIONS.join(', ')}.`);
      e.tlsVersions = given as TlsVersion[];
    });
  });
  domains.forEach((d, i) => {
    if (known.has(d)) throw fail(source, `organizations[${i}].domain`, `${d} is defined twice.`);
    known.add(d);
  });
  orgs.forEach((o, i) => {
    const where = `organizations[${i}]`;
    const edges = new Set<string>();
    o.edges.forEach((e, j) => {
      if (edges.has(e.name.toLowerCase())) throw fail(source, `${where}.edges[${j}].name`, `the edge ${e.name} is defined twice.`);
      edges.add(e.name.toLowerCase());
    });
    const edgeRef = (name: string | undefined, at: string) => {
      if (name !== undefined && !edges.has(name.toLowerCase())) throw fail(source, at, `${name} is not an edge of ${o.domain} (${o.edges.map((e) => e.name).join(', ')}).`);
    };
    const external = o.edges.filter((e) => e.external).map((e) => e.name.toLowerCase());
    const simulatedRef = (name: string | undefined, at: string) => {
      edgeRef(name, at);
      if (name !== undefined && external.includes(name.toLowerCase())) throw fail(source, at, `${name} is external: its certificate and connectors are its MTA's own configuration.`);
    };
    o.certificates?.forEach((c, j) => simulatedRef(c.edge, `${where}.certificates[${j}].edge`));
    o.receiveConnectors?.forEach((c, j) => simulatedRef(c.edge as string | undefined, `${where}.receiveConnectors[${j}].edge`));
    o.trusts?.forEach((t, j) => {
      if (!known.has(canonicalDomain(t))) throw fail(source, `${where}.trusts[${j}]`, `${t} is not an organization of this lab.`);
    });
  });
  if (v.keyAlgorithm !== undefined && !isKeyAlgorithm(v.keyAlgorithm)) {
    throw fail(source, 'keyAlgorithm', `"${String(v.keyAlgorithm)}" is not a key algorithm. Use RSA-2048 (the default, as Exchange), RSA-1024, RSA-4096 or ECDSA-P256.`);
  }
  const external = new Set(orgs.filter((o) => o.external).flatMap((o) => [o.domain, ...(o.domains ?? [])].map(canonicalDomain)));
  (v.messages as { from: string }[] | undefined)?.forEach((m, i) => {
    if (external.has(canonicalDomain(m.from.slice(m.from.lastIndexOf('@') + 1)))) throw fail(source, `messages[${i}].from`, `${m.from} is a user of an external organization: the harness cannot send its mail; submit it to that organization's own MTA.`);
  });
  return {
    name: typeof v.name === 'string' ? v.name : defaultLabName(source),
    ...(v.seed !== undefined ? { seed: String(v.seed) } : {}),
    ...(v.keyAlgorithm !== undefined ? { keyAlgorithm: v.keyAlgorithm as KeyAlgorithm } : {}),
    ...(v.edgeThreads ? { edgeThreads: v.edgeThreads as number } : {}),
    organizations: orgs,
    ...(v.messages ? { messages: v.messages as LabDefinition['messages'] } : {}),
  };
}
