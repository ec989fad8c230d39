// The PKI `lab up --dir D` keeps in D/pki/: every CA's certificate and key, each edge's certificates (PFX) and the
// revocations `cert issue` asked for, so an outside MTA configured with the lab's roots, thumbprints and edge
// certificates stays valid across restarts. It never relies on keys being derivable from the seed.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Certificate, exportPfx, importPfx, type KeyedCertificate } from '../ca/index.js';
import { DomsecError } from '../errors.js';
import type { ExchangeService } from '../orgs/index.js';
import { insideDir, type Lab, type StoredPki } from '../sim/index.js';

export const PKI_DIR = 'pki';
const MANIFEST = 'manifest.json';
const REVOKED = 'revoked.json';
/** The stored edge PFX files are protected by the folder's mode (700), not by this password; it only satisfies PKCS#12. */
const STORE_PASSWORD = 'domsec-pki';

interface StoredEdgeCertificate { file: string; services: ExchangeService[]; friendlyName: string; defaultSmtp: boolean }
interface ManifestOrg { domain: string; edges: { name: string; certificates: StoredEdgeCertificate[] }[] }
export interface PkiManifest { version: 1; lab: string; createdAt: string; organizations: ManifestOrg[] }
export interface StoredRevocation { domain: string; ca: 'root' | 'issuing'; serialNumber: string; revokedAt: string }

export interface LoadedPki {
  manifest: PkiManifest;
  cas: Map<string, StoredPki>;
}

const pkiPath = (dir: string, ...parts: string[]) => insideDir(dir, PKI_DIR, ...parts);

function readKeyed(dir: string, domain: string, which: 'root' | 'issuing', chain: Certificate[]): KeyedCertificate {
  const certificate = Certificate.fromPem(readFileSync(pkiPath(dir, domain, `${which}.crt.pem`), 'utf8'));
  return { certificate, privateKeyPem: readFileSync(pkiPath(dir, domain, `${which}.key.pem`), 'utf8'), chain };
}

/** The PKI stored in D, or undefined when there is none (first start) or `fresh` asks for a new one (it is removed). */
export function loadPki(dir: string, fresh: boolean): LoadedPki | undefined {
  if (fresh) rmSync(pkiPath(dir), { recursive: true, force: true });
  const file = pkiPath(dir, MANIFEST);
  if (!existsSync(file)) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as PkiManifest;
    if (manifest.version !== 1 || !Array.isArray(manifest.organizations)) throw new Error(`unknown manifest version ${String(manifest.version)}`);
    const cas = new Map<string, StoredPki>();
    for (const o of manifest.organizations) {
      const root = readKeyed(dir, o.domain, 'root', []);
      cas.set(o.domain, { root, issuing: readKeyed(dir, o.domain, 'issuing', [root.certificate]) });
    }
    return { manifest, cas };
  } catch (e) {
    throw new DomsecError('ERR_LAB_PKI', `The PKI stored in ${pkiPath(dir)} cannot be read (${(e as Error).message}). Start with --fresh to issue a new one (outside MTAs must then import the new roots).`);
  }
}

/** What the lab is made of, as the manifest records it: organizations by primary domain and their edges. */
function shapeOf(lab: Lab): string[] {
  return lab.sim.orgs.map((o) => `${o.model.primaryDomain}[${o.model.edges.map((e) => e.name).join(',')}]`);
}

/** A stored PKI made for other organizations or edges is refused: reusing part of it would silently mix two labs. */
export function checkPkiMatches(dir: string, loaded: LoadedPki, lab: Lab): void {
  const want = shapeOf(lab).join(' ');
  const have = loaded.manifest.organizations.map((o) => `${o.domain}[${o.edges.map((e) => e.name).join(',')}]`).join(' ');
  if (want !== have) {
    throw new DomsecError('ERR_LAB_PKI_MISMATCH', `The PKI stored in ${pkiPath(dir)} was made for ${have} (lab ${loaded.manifest.lab}), but this lab has ${want}. Run "domsec lab up --fresh" to replace it (outside MTAs must then import the new roots), or use another --dir.`);
  }
}

/**
 * A reused PKI keeps the validity it was issued with; started at a clock (--clock) outside it, the lab would present
 * expired or not-yet-valid certificates as if nothing had changed, so that start is refused instead.
 */
export function checkPkiValidAt(dir: string, lab: Lab): void {
  const at = lab.sim.clock.now();
  for (const org of lab.sim.orgs) {
    const certs = [org.pki.root.certificate, org.pki.issuing.certificate, ...org.model.edges.flatMap((e) => e.certificates.list().map((c) => c.certificate))];
    const bad = certs.find((c) => !c.isTimeValid(at));
    if (bad) {
      throw new DomsecError('ERR_LAB_PKI_EXPIRED', `${bad.subject} in the PKI stored in ${pkiPath(dir)} is valid from ${bad.notBefore.toISOString()} to ${bad.notAfter.toISOString()}, not at the lab's clock ${at.toISOString()}. Start with another --clock, or with --fresh to issue a PKI for this clock.`);
    }
  }
}

/** Puts the stored edge certificates back in place of the ones the lab issued at start, with their services. */
export async function restoreEdgeCertificates(dir: string, loaded: LoadedPki, lab: Lab): Promise<void> {
  for (const o of loaded.manifest.organizations) {
    const org = lab.sim.org(o.domain);
    for (const e of o.edges) {
      const store = org.model.edge(e.name).certificates;
      for (const c of store.list()) store.remove(c.certificate.thumbprint);
      for (const c of e.certificates) {
        const k = await importPfx(readFileSync(pkiPath(dir, o.domain, c.file)), STORE_PASSWORD);
        store.add({ certificate: k.certificate, privateKeyPem: k.privateKeyPem, chain: k.chain, services: new Set(c.services), friendlyName: c.friendlyName, privateKeyExportable: false });
        if (c.defaultSmtp) store.defaultSmtpThumbprint = k.certificate.thumbprint;
      }
    }
  }
}

function writePrivate(file: string, data: string | Uint8Array): void {
  writeFileSync(file, data, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** Writes the lab's PKI to D/pki/ (CA keys and edge PFX files mode 600, the folders 700). */
export async function savePki(dir: string, lab: Lab): Promise<void> {
  rmSync(pkiPath(dir), { recursive: true, force: true });
  mkdirSync(pkiPath(dir), { recursive: true, mode: 0o700 });
  const organizations: ManifestOrg[] = [];
  for (const org of lab.sim.orgs) {
    const domain = org.model.primaryDomain;
    mkdirSync(pkiPath(dir, domain), { recursive: true, mode: 0o700 });
    for (const [which, ca] of [['root', org.pki.root], ['issuing', org.pki.issuing]] as const) {
      const k = await ca.exportKeyed();
      writeFileSync(pkiPath(dir, domain, `${which}.crt.pem`), k.certificate.pem);
      writePrivate(pkiPath(dir, domain, `${which}.key.pem`), k.privateKeyPem);
    }
    const edges: ManifestOrg['edges'] = [];
    for (const edge of org.model.edges) {
      const certificates: StoredEdgeCertificate[] = [];
      for (const [i, c] of edge.certificates.list().entries()) {
        if (!c.privateKeyPem) continue;
        const file = `${edge.name}.${i + 1}.pfx`;
        writePrivate(pkiPath(dir, domain, file), await exportPfx({ certificate: c.certificate, privateKeyPem: c.privateKeyPem, chain: c.chain }, STORE_PASSWORD));
        certificates.push({ file, services: [...c.services], friendlyName: c.friendlyName, defaultSmtp: edge.certificates.defaultSmtpThumbprint === c.certificate.thumbprint });
      }
      edges.push({ name: edge.name, certificates });
    }
    organizations.push({ domain, edges });
  }
  const manifest: PkiManifest = { version: 1, lab: lab.name, createdAt: lab.sim.clock.now().toISOString(), organizations };
  writePrivate(pkiPath(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Revocations `cert issue --kind revoked` stored for a lab that was not running; published at every start. */
export function storedRevocations(dir: string): StoredRevocation[] {
  const file = pkiPath(dir, REVOKED);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as StoredRevocation[]) : [];
}

export function storeRevocation(dir: string, r: StoredRevocation): void {
  writePrivate(pkiPath(dir, REVOKED), `${JSON.stringify([...storedRevocations(dir), r], null, 2)}\n`);
}

/** Puts every stored revocation on its CA's CRL, which the lab's CRL service then serves. */
export function applyRevocations(dir: string, lab: Lab): number {
  const all = storedRevocations(dir);
  for (const r of all) {
    const org = lab.sim.orgs.find((o) => o.model.primaryDomain === r.domain);
    org?.pki[r.ca].revoke(r.serialNumber, new Date(r.revokedAt));
  }
  return all.length;
}

export const pkiFolder = (dir: string): string => join(dir, PKI_DIR);
