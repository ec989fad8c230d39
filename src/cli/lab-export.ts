// What `lab up` writes for outside tools: CA roots, each edge's certificate and key (PEM and PFX), endpoints.json, evidence.json.
import { type ExternalEndpoint, exportExternal } from './external-option.js';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { exportPfx } from '../ca/index.js';
import type { Lab, QueueSnapshot, SimOrganization } from '../sim/index.js';
import { externalEdgeOf, insideDir } from '../sim/index.js';

export interface EdgeEndpoint {
  org: string;
  domain: string;
  edge: string;
  fqdn: string;
  address: string;
  port: number;
  certificate?: string;
  chain?: string;
  key?: string;
  pfx?: string;
  thumbprint?: string;
  logDir: string;
  /** The edge is played by an outside MTA at host:port (edges[].external): `address` is where its sessions come from. */
  external?: { host: string; port: number };
  receiveConnectors: { identity: string; remoteIpRanges: string[]; domainSecureEnabled: boolean; authMechanism: string[] }[];
}

export interface Endpoints {
  lab: string;
  seed: string;
  pid: number;
  /** `token` is required as `Authorization: Bearer <token>` on every control request (the file is mode 600). */
  control: { host: string; port: number; token: string };
  pfxPassword: string;
  roots: string;
  outside?: string;
  /** `crl`: the issuing CA's CRL at the address and port it really listens on (certificates name pki.<domain>, which only the lab resolves). */
  /** `external`: the organization is played by an outside MTA (docs/external-mta.md), with the certificate issued for it. */
  organizations: { name: string; domains: string[]; root: string; issuing: string; crl: string; edges: EdgeEndpoint[]; external?: ExternalEndpoint }[];
}

/** Files this module owns in D; a new `lab up` removes them first so no stale key or log survives. */
export const OWNED = ['ca', 'logs', 'endpoints.json', 'evidence.json'];

export function clearLabDir(dir: string, domains: string[]): void {
  mkdirSync(dir, { recursive: true });
  for (const name of [...OWNED, ...domains]) rmSync(insideDir(dir, name), { recursive: true, force: true });
}

function labelOf(org: SimOrganization): string {
  return org.model.primaryDomain;
}

async function exportEdge(dir: string, org: SimOrganization, edgeName: string, password: string): Promise<EdgeEndpoint> {
  const edge = org.edge(edgeName);
  const m = edge.model;
  const outside = externalEdgeOf(org, m.name);
  const base: EdgeEndpoint = {
    org: org.name, domain: org.model.primaryDomain, edge: m.name, fqdn: m.fqdn, address: edge.address, port: edge.port,
    logDir: relative(dir, edge.logDir), ...(outside ? { external: { host: outside.host, port: outside.port } } : {}),
    receiveConnectors: m.receiveConnectors.map((c) => ({
      identity: m.identityOf(c), remoteIpRanges: c.remoteIpRanges.map((r) => r.text), domainSecureEnabled: c.domainSecureEnabled, authMechanism: [...c.authMechanism],
    })),
  };
  const picked = m.certificates.selectForFqdn(m.fqdn);
  if (!picked.ok || !picked.stored.privateKeyPem) return base;
  const s = picked.stored;
  const key = picked.stored.privateKeyPem;
  const folder = insideDir(dir, labelOf(org));
  mkdirSync(folder, { recursive: true });
  const name = (ext: string) => join(labelOf(org), `${m.name}.${ext}`);
  writeFileSync(insideDir(dir, name('crt.pem')), s.certificate.pem);
  writeFileSync(insideDir(dir, name('chain.pem')), [s.certificate, ...s.chain].map((c) => c.pem.trim()).join('\n') + '\n');
  writeFileSync(insideDir(dir, name('key.pem')), key, { mode: 0o600 });
  writeFileSync(insideDir(dir, name('pfx')), await exportPfx({ certificate: s.certificate, privateKeyPem: key, chain: s.chain }, password), { mode: 0o600 });
  return { ...base, certificate: name('crt.pem'), chain: name('chain.pem'), key: name('key.pem'), pfx: name('pfx'), thumbprint: s.certificate.thumbprint };
}

export async function exportLab(dir: string, lab: Lab, o: { password: string; control: { host: string; port: number; token: string }; seed: string; outside?: string }): Promise<Endpoints> {
  mkdirSync(insideDir(dir, 'ca'), { recursive: true });
  const organizations: Endpoints['organizations'] = [];
  for (const org of lab.sim.orgs) {
    const root = join('ca', `${labelOf(org)}-root.pem`);
    const issuing = join('ca', `${labelOf(org)}-issuing.pem`);
    writeFileSync(insideDir(dir, root), org.pki.root.certificate.pem);
    writeFileSync(insideDir(dir, issuing), org.pki.issuing.certificate.pem);
    const edges: EdgeEndpoint[] = [];
    for (const e of org.model.edges) edges.push(await exportEdge(dir, org, e.name, o.password));
    const crl = new URL(org.pki.crlUrl);
    const external = await exportExternal(dir, org, o.password);
    organizations.push({ name: org.name, domains: [...org.model.domains], root, issuing, crl: `http://${org.crlEndpoint.address}:${org.crlEndpoint.port}${crl.pathname}`, edges, ...(external ? { external } : {}) });
  }
  // One bundle of every root, for `openssl s_client -CAfile` and `swaks --tls-ca-path`.
  const roots = join('ca', 'roots.pem');
  writeFileSync(insideDir(dir, roots), lab.sim.orgs.map((org) => org.pki.root.certificate.pem.trim()).join('\n') + '\n');
  const endpoints: Endpoints = { lab: lab.name, seed: o.seed, pid: process.pid, control: o.control, pfxPassword: o.password, roots, ...(o.outside ? { outside: o.outside } : {}), organizations };
  // The control token and the PFX password are in here: readable by the user who started the lab only.
  writeFileSync(insideDir(dir, 'endpoints.json'), `${JSON.stringify(endpoints, null, 2)}\n`, { mode: 0o600 });
  chmodSync(insideDir(dir, 'endpoints.json'), 0o600);
  return endpoints;
}

export function snapshotQueues(lab: Lab): QueueSnapshot[] {
  return lab.sim.orgs.flatMap((o) => o.queues());
}
