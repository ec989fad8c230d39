// `lab up --external DOMAIN=image:NAME`: a container image is the external organization's MTA. lab up starts it on the
// host's network with the certificate the lab issued for it and the routes to the simulated edges, and removes it at stop.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { canonicalDomain } from '../ca/index.js';
import { DomsecError } from '../errors.js';
import { assertEngine, isListening, pollUntil, type RunningContainer, testcontainersEngine } from '../peers/index.js';
import { externalPeerOf, insideDir, type Lab } from '../sim/index.js';
import { type CliIo, println } from './cli-io.js';
import type { ExternalOption } from './external-option.js';
import type { LabSpec } from './lab-file.js';
import type { Endpoints } from './lab-export.js';

/** How long an image may take to listen on its address and port (an MTA's first start, with key checks, is seconds). */
export const EXTERNAL_IMAGE_START_MS = 60_000;

export interface ExternalContainers {
  stop(): Promise<void>;
}

/**
 * What the image gets (docs/external-mta.md "A container image as the external MTA"): files under /domsec and DOMSEC_*
 * variables. Routes name every simulated organization's domains with its first edge's address and port.
 */
export function externalImageInput(dir: string, endpoints: Endpoints, domain: string, listen: { address: string; port: number; from: string; fqdn: string }) {
  const label = canonicalDomain(domain);
  const read = (name: string) => readFileSync(insideDir(dir, name), 'utf8');
  const routes = endpoints.organizations.filter((o) => o.edges.length > 0)
    .flatMap((o) => o.domains.map((d) => `${d}=${o.edges[0].address}:${o.edges[0].port}`));
  return {
    files: {
      '/domsec/external.key.pem': read(join(label, 'external.key.pem')),
      '/domsec/external.chain.pem': read(join(label, 'external.chain.pem')),
      '/domsec/roots.pem': read(endpoints.roots),
    },
    env: {
      DOMSEC_DOMAIN: label, DOMSEC_FQDN: listen.fqdn, DOMSEC_ADDRESS: listen.address, DOMSEC_PORT: String(listen.port), DOMSEC_FROM: listen.from,
      DOMSEC_ROUTES: routes.join(' '),
      DOMSEC_KEY: '/domsec/external.key.pem', DOMSEC_CHAIN: '/domsec/external.chain.pem', DOMSEC_ROOTS: '/domsec/roots.pem',
    },
  };
}

/**
 * The images a lab file names (`external: { image: NAME, port?, from?, adapter? }` on an organization), as the options
 * `--external DOMAIN=image:NAME` gives, and the spec without them (the simulation routes to host and port only). An
 * organization the command line also names is the command line's.
 */
export function labFileImages(spec: LabSpec, cli: ExternalOption[]): { spec: LabSpec; images: ExternalOption[] } {
  const organizations = spec.definition?.organizations;
  if (!organizations?.some((o) => o.external?.image !== undefined)) return { spec, images: [] };
  const named = new Set(cli.map((o) => canonicalDomain(o.domain)));
  const definition = structuredClone(spec.definition!);
  const images: ExternalOption[] = [];
  for (const o of definition.organizations) {
    if (o.external?.image === undefined) continue;
    const { image, ...external } = o.external;
    o.external = external;
    if (!named.has(canonicalDomain(o.domain))) images.push({ domain: o.domain, external, image });
  }
  return { spec: { ...spec, definition }, images };
}

/** An image given no port=N listens on a port free now on its address (the lab routes the domain's mail there). */
export async function withImagePorts(options: ExternalOption[]): Promise<ExternalOption[]> {
  return Promise.all(options.map(async (o) => (o.image === undefined || o.external.port !== 0 ? o : { ...o, external: { ...o.external, port: await freePort(o.external.host) } })));
}

function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', (e: NodeJS.ErrnoException) => reject(new DomsecError('ERR_USAGE', `domsec lab up: no free port on ${address} for the external image (${e.code ?? e.message}).`)));
    s.listen(0, address, () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startExternalImages(io: CliIo, lab: Lab, dir: string, endpoints: Endpoints, options: ExternalOption[]): Promise<ExternalContainers> {
  const started: RunningContainer[] = [];
  const stop = async () => {
    for (const c of started.splice(0)) await c.stop().catch(() => undefined);
  };
  const wanted = options.filter((o) => o.image !== undefined);
  if (wanted.length === 0) return { stop };
  await assertEngine();
  const engine = await testcontainersEngine();
  try {
    for (const o of wanted) {
      const org = lab.sim.orgs.find((x) => x.model.domains.some((d) => canonicalDomain(d) === canonicalDomain(o.domain)));
      const peer = org && externalPeerOf(org);
      if (!org || !peer) throw new DomsecError('ERR_USAGE', `domsec lab up: --external ${o.domain}=image:${o.image}: no external organization ${o.domain} in the lab.`);
      const input = externalImageInput(dir, endpoints, org.model.primaryDomain, { address: peer.address, port: peer.port, from: peer.from, fqdn: peer.fqdn });
      const c = await engine.start({ image: o.image!, files: input.files, env: input.env, role: `external ${org.model.primaryDomain}`, startTimeoutMs: EXTERNAL_IMAGE_START_MS });
      started.push(c);
      // The image says nothing when it is ready: it is when something listens where the lab routes the domain's mail.
      let exited = false;
      await pollUntil(async () => {
        if (await isListening(peer.address, peer.port)) return true;
        exited = !(await c.running());
        return exited ? true : undefined;
      }, EXTERNAL_IMAGE_START_MS, `${o.image} to listen on ${peer.address}:${peer.port}`).catch(() => undefined);
      if (exited || !(await isListening(peer.address, peer.port))) {
        const logs = (await c.logs().catch(() => '')).trim().split('\n').slice(-10).join('\n');
        const what = exited ? 'exited before it listened' : `did not listen within ${EXTERNAL_IMAGE_START_MS / 1000} s`;
        throw new DomsecError('ERR_CONTAINER_ENGINE', `The image ${o.image} playing ${org.model.primaryDomain} ${what} on ${peer.address}:${peer.port} (it must bind DOMSEC_ADDRESS:DOMSEC_PORT; docs/external-mta.md). Its output:\n${logs || '(none)'}`, { image: o.image });
      }
      println(io.stdout, `  ${org.model.primaryDomain} is played by the container ${c.id.slice(0, 12)} of image ${o.image}, on ${peer.address}:${peer.port} (removed when the lab stops).`);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { stop };
}
