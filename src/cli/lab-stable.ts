// What makes `lab up --dir D` stable for an outside MTA: the PKI kept in D, fixed edge ports and a chosen start instant.
import { DomsecError } from '../errors.js';
import { LAB_LIMITS, type Lab, type SimulationOptions } from '../sim/index.js';
import type { LabSpec } from './lab-file.js';
import { applyRevocations, checkPkiMatches, checkPkiValidAt, type LoadedPki, loadPki, restoreEdgeCertificates, savePki } from './lab-pki-store.js';

export interface StableOptions {
  fresh?: boolean;
  portBase?: string;
  clock?: string;
}

export interface StableLab {
  sim: Pick<SimulationOptions, 'pkiFor' | 'edgePort' | 'now'>;
  loaded?: LoadedPki;
}

/**
 * Edge k (1-based) of organization j (1-based) listens on base + (j-1)*16 + (k-1): 16 is the most edges an
 * organization may have (LAB_LIMITS.edges), so no two edges share a port even on one address.
 */
export function portFromBase(base: number, orgIndex: number, edgeIndex0: number): number {
  return base + (orgIndex - 1) * LAB_LIMITS.edges + edgeIndex0;
}

function parsePortBase(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  const top = 65535 - LAB_LIMITS.organizations * LAB_LIMITS.edges;
  if (!(n >= 1024 && n <= top)) throw new DomsecError('ERR_USAGE', `domsec lab up: --port-base ${text} is not a port from 1024 to ${top} (each organization takes ${LAB_LIMITS.edges} ports from it).`);
  return n;
}

/** `--clock real`: now (whole seconds); `--clock <ISO 8601 instant with Z or offset>`: that instant; absent: the default start. */
export function parseClock(text: string | undefined, realNow: () => Date = () => new Date()): Date | undefined {
  if (text === undefined) return undefined;
  if (text === 'real') return new Date(Math.floor(realNow().getTime() / 1000) * 1000);
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw new DomsecError('ERR_USAGE', `domsec lab up: --clock ${text} is neither "real" nor an instant such as 2026-12-04T10:00:00Z.`);
  return new Date(ms);
}

/** Reads D's PKI (unless --fresh) and turns the options into what the simulation needs, before anything starts. */
export function prepareStableLab(dir: string, spec: LabSpec, o: StableOptions): StableLab {
  const base = parsePortBase(o.portBase);
  const loaded = loadPki(dir, !!o.fresh);
  // A reused PKI starts, unless told otherwise, at the instant it was made: its certificates are valid there.
  const now = parseClock(o.clock) ?? (loaded ? new Date(loaded.manifest.createdAt) : undefined);
  const filePorts = new Map<string, number>();
  for (const org of spec.definition?.organizations ?? []) {
    for (const e of org.edges) if (e.port !== undefined) filePorts.set(`${org.domain.toLowerCase()}/${e.name.toLowerCase()}`, e.port);
  }
  const edgePort = (j: number, k: number, domain: string, edge: string) => filePorts.get(`${domain}/${edge.toLowerCase()}`) ?? (base === undefined ? undefined : portFromBase(base, j, k));
  return {
    sim: { edgePort, ...(now ? { now } : {}), ...(loaded ? { pkiFor: (domain: string) => loaded.cas.get(domain) } : {}) },
    ...(loaded ? { loaded } : {}),
  };
}

/** After the lab started: the stored edge certificates back in place (or the new PKI stored), and stored revocations published. */
export async function settleStablePki(dir: string, stable: StableLab, lab: Lab): Promise<'reused' | 'created'> {
  if (stable.loaded) {
    checkPkiMatches(dir, stable.loaded, lab);
    await restoreEdgeCertificates(dir, stable.loaded, lab);
    checkPkiValidAt(dir, lab);
  } else {
    await savePki(dir, lab);
  }
  applyRevocations(dir, lab);
  return stable.loaded ? 'reused' : 'created';
}
