// `lab up --external DOMAIN=HOST:PORT[,from=IP][,adapter=SPEC]` (docs/external-mta.md): an organization of the lab played by an outside
// MTA; its certificate from the lab's CA exported for that MTA; a warning when nothing answers at HOST:PORT yet.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { canonicalDomain, exportPfx } from '../ca/index.js';
import { DomsecError } from '../errors.js';
import { adapterSpecProblem } from '../peers/adapter-spec.js';
import { documentedLabFile, EXTERNAL_CONNECT_TIMEOUT_MS, externalPeerOf, externalPeers, type ExternalPeer, type ExternalSpec, insideDir, type Lab, type LabName, type SimOrganization } from '../sim/index.js';
import { type CliIo, println, shownPath } from './cli-io.js';
import { type LabSpec, parseLabText } from './lab-file.js';

export interface ExternalOption {
  domain: string;
  external: ExternalSpec;
  /** `image:NAME`: lab up runs this container image as the organization's MTA (external-image.ts); port 0 = a free one. */
  image?: string;
}

const FORM = 'DOMAIN=HOST:PORT[,from=IP][,adapter=SPEC] (e.g. treyresearch.net=127.0.0.1:2525,from=127.0.0.1,adapter=cmd:./shim.py) or DOMAIN=image:NAME[,port=N][,from=IP][,adapter=SPEC]';

/** `image:NAME[,port=N][,from=IP]`: the container listens and sends from `from` (default 127.0.0.1) on the host's network. */
function parseImageTarget(domain: string, target: string, bad: (why: string) => DomsecError): ExternalOption {
  const [name, ...keys] = target.slice('image:'.length).split(',');
  if (!/^[\w./:@-]+$/.test(name)) throw bad(`names no image after image:`);
  const kv = Object.fromEntries(keys.map((k) => k.split('=', 2)));
  const unknown = Object.keys(kv).filter((k) => k !== 'port' && k !== 'from');
  if (unknown.length > 0) throw bad(`has ${unknown.join(', ')}, which image: does not take (port=N, from=IP)`);
  const port = kv.port === undefined ? 0 : Number(kv.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || (kv.port !== undefined && port === 0)) throw bad(`names port ${kv.port}, outside 1-65535`);
  if (kv.from !== undefined && net.isIP(kv.from) !== 4) throw bad(`has from=${kv.from}, which is not an IPv4 address`);
  return { domain, external: { host: kv.from ?? '127.0.0.1', port, ...(kv.from !== undefined ? { from: kv.from } : {}) }, image: name };
}

export function parseExternalOption(text: string): ExternalOption {
  const bad = (why: string) => new DomsecError('ERR_USAGE', `domsec lab up: --external "${text}" ${why}; give ${FORM}.`);
  // adapter= is the last key: its SPEC may hold commas and blanks (cmd:PATH ARGS), so it ends the option.
  const at = text.indexOf(',adapter=');
  const adapter = at < 0 ? undefined : text.slice(at + ',adapter='.length).trim();
  const problem = adapter === undefined ? undefined : adapterSpecProblem(adapter);
  if (problem) throw bad(`has an adapter that is not one (${problem}): give manual, cmd:PATH [ARGS] or http://HOST:PORT/BASE`);
  const head = (at < 0 ? text : text.slice(0, at)).trim();
  const image = /^([^=\s]+)=(image:\S*)$/.exec(head);
  if (image) {
    const o = parseImageTarget(image[1], image[2], bad);
    return adapter === undefined ? o : { ...o, external: { ...o.external, adapter } };
  }
  const m = /^([^=\s]+)=([^:,\s]+):(\d{1,5})(?:,from=([^,\s]+))?$/.exec(head);
  if (!m) throw bad('is not in the form');
  const port = Number(m[3]);
  if (port < 1 || port > 65535) throw bad(`names port ${port}, outside 1-65535`);
  if (m[4] !== undefined && net.isIP(m[4]) !== 4) throw bad(`has from=${m[4]}, which is not an IPv4 address`);
  return { domain: m[1], external: { host: m[2], port, ...(m[4] !== undefined ? { from: m[4] } : {}), ...(adapter !== undefined ? { adapter } : {}) } };
}

/**
 * The spec with each named organization turned external: it keeps its domains, loses its edges and everything that
 * configured them (the outside MTA's own configuration replaces them). A documented lab is read from labs/<name>.yaml.
 */
export function applyExternalOptions(spec: LabSpec, options: ExternalOption[]): LabSpec {
  if (options.length === 0) return spec;
  const base = spec.definition ?? parseLabText(readFileSync(documentedLabFile(spec.lab as LabName), 'utf8'), `labs/${spec.lab}.yaml`).definition!;
  const definition = structuredClone(base);
  for (const o of options) {
    const i = definition.organizations.findIndex((x) => [x.domain, ...(x.domains ?? [])].some((d) => canonicalDomain(d) === canonicalDomain(o.domain)));
    if (i < 0) throw new DomsecError('ERR_USAGE', `domsec lab up: --external ${o.domain}: the lab ${definition.name} has no such organization (${definition.organizations.map((x) => x.domain).join(', ')}).`);
    const { domain, domains } = definition.organizations[i];
    definition.organizations[i] = { domain, ...(domains ? { domains } : {}), edges: [], external: o.external };
  }
  return { ...spec, definition };
}

export interface ExternalEndpoint {
  host: string;
  port: number;
  from: string;
  /** The MX name the lab's DNS gives, on the certificate with the domain. */
  fqdn: string;
  certificate: string;
  chain: string;
  key: string;
  pfx: string;
  /** The adapter SPEC the lab asks the MTA through (docs/adapter-contract.md); absent: manual, SMTP only. */
  adapter?: string;
}

/** Writes `<domain>/external.{crt.pem,chain.pem,key.pem,pfx}`: what the outside MTA installs (key and PFX mode 600). */
export async function exportExternal(dir: string, org: SimOrganization, password: string): Promise<ExternalEndpoint | undefined> {
  const peer = externalPeerOf(org);
  if (!peer) return undefined;
  const k = peer.certificate;
  const label = org.model.primaryDomain;
  mkdirSync(insideDir(dir, label), { recursive: true });
  const name = (ext: string) => join(label, `external.${ext}`);
  writeFileSync(insideDir(dir, name('crt.pem')), k.certificate.pem);
  writeFileSync(insideDir(dir, name('chain.pem')), [k.certificate, ...k.chain].map((c) => c.pem.trim()).join('\n') + '\n');
  writeFileSync(insideDir(dir, name('key.pem')), k.privateKeyPem, { mode: 0o600 });
  writeFileSync(insideDir(dir, name('pfx')), await exportPfx(k, password), { mode: 0o600 });
  return {
    host: peer.host, port: peer.port, from: peer.from, fqdn: peer.fqdn, certificate: name('crt.pem'), chain: name('chain.pem'), key: name('key.pem'), pfx: name('pfx'),
    ...(peer.adapter !== undefined ? { adapter: peer.adapter } : {}),
  };
}

/** Whether something answers at the outside MTA's address: the reason it does not (naming HOST:PORT), else undefined. */
export function probeExternal(peer: Pick<ExternalPeer, 'host' | 'address' | 'port'>, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = net.connect({ host: peer.address, port: peer.port });
    const done = (why?: string) => { clearTimeout(timer); s.destroy(); resolve(why); };
    const timer = setTimeout(() => done(`nothing answered at ${peer.host}:${peer.port} within ${timeoutMs / 1000} s`), timeoutMs);
    s.once('connect', () => done());
    s.once('error', (e: NodeJS.ErrnoException) => done(`${peer.host}:${peer.port} does not answer (${e.code ?? e.message})`));
  });
}

/**
 * For each external organization: where the lab routes its mail, the files its MTA installs, and a warning (not an
 * error: the MTA is usually configured after the lab wrote its certificate) when nothing answers there yet.
 */
export async function reportExternals(io: CliIo, lab: Lab, dir: string): Promise<void> {
  for (const peer of externalPeers(lab.sim.ctx)) {
    const org = peer.org;
    // A whole external organization, or one external edge of a simulated one (edges[].external).
    const who = peer.edge ? `${org.name}/${peer.edge}` : org.name;
    const files = join(shownPath(io.cwd, dir), org.model.primaryDomain, `${peer.edge ?? 'external'}.{crt.pem,chain.pem,key.pem,pfx}`);
    println(io.stdout, `  ${who} is external: ${peer.edge ? `${peer.fqdn} (first in the MX)` : `its MX ${peer.fqdn}`} routes to ${peer.host}:${peer.port}; sessions from ${peer.from} are its MTA's. Its certificate: ${files}`);
    const why = await probeExternal(peer, EXTERNAL_CONNECT_TIMEOUT_MS);
    if (why) println(io.stderr, `domsec lab up: warning: the external MTA of ${who}: ${why}. Mail to ${org.name} queues (LastError names ${peer.host}:${peer.port}) until it answers.`);
  }
}
