// What a user sees of seed-derived keys: a documented lab started twice with one seed shows the same RSA-2048
// certificates (thumbprints, as Get-ExchangeCertificate lists them), also when it starts again on the CAs it stored;
// another seed other ones; ECDSA is a lab switch.
import { describe, expect, it } from 'vitest';
import type { Certificate } from '../ca/index.js';
import { startCmdletLab } from './cmdlet-lab.js';
import { startDefinedLab } from './defined-lab.js';
import { type Lab, startLab } from './documented-labs.js';
import { parseLabDefinition } from './lab-definition.js';
import type { StoredPki } from './sim-organization.js';

/** Every organization's root, issuing CA and edge certificates, as Get-ExchangeCertificate and the CA files show them. */
function certificatesOf(lab: Lab): Certificate[] {
  return Object.values(lab.orgs).flatMap((o) => [o.pki.root.certificate, o.pki.issuing.certificate, ...o.model.edges.flatMap((e) => e.certificates.list().map((c) => c.certificate))]);
}

async function thumbprints(seed: string, byCmdlets = false): Promise<{ algorithm: string; prints: string[] }> {
  const lab = byCmdlets ? await startCmdletLab('contoso-woodgrove', { seed }) : await startLab('contoso-woodgrove', { seed });
  try {
    const certs = certificatesOf(lab);
    return { algorithm: [...new Set(certs.map((c) => c.keyAlgorithm))].join(), prints: certs.map((c) => c.thumbprint) };
  } finally {
    await lab.sim.stop();
  }
}

describe('documented lab certificates for a seed', () => {
  it('are RSA-2048 and identical for the same seed, different for another', async () => {
    const a = await thumbprints('seeded-certificates');
    const again = await thumbprints('seeded-certificates');
    const other = await thumbprints('seeded-certificates-2');
    expect(a.algorithm).toBe('RSA-2048');
    expect(a.prints.length).toBeGreaterThanOrEqual(6);
    expect(again.prints).toEqual(a.prints);
    expect(other.prints.filter((t) => a.prints.includes(t))).toEqual([]);
  }, 60_000);

  it('are the same for a seed when the lab scripts build the lab (New-ExchangeCertificate -GenerateRequest, Import-ExchangeCertificate)', async () => {
    const a = await thumbprints('seeded-cmdlets', true);
    const again = await thumbprints('seeded-cmdlets', true);
    expect(a.algorithm).toBe('RSA-2048');
    expect(again.prints).toEqual(a.prints);
  }, 60_000);

  it('are the same when the lab starts again on the CAs it stored, as a `lab up --dir` restart does', async () => {
    // The restart then puts the stored edge certificates back; what it issues first must not cost fresh RSA draws.
    const prints = (lab: Lab) => certificatesOf(lab).map((c) => c.thumbprint);
    const first = await startLab('contoso-woodgrove', { seed: 'seeded-restart' });
    const stored = new Map<string, StoredPki>();
    let before: string[];
    try {
      for (const o of Object.values(first.orgs)) stored.set(o.model.primaryDomain, { root: await o.pki.root.exportKeyed(), issuing: await o.pki.issuing.exportKeyed() });
      before = prints(first);
    } finally {
      await first.sim.stop();
    }
    const again = await startLab('contoso-woodgrove', { seed: 'seeded-restart', pkiFor: (domain) => stored.get(domain) });
    try {
      expect(before.length).toBeGreaterThanOrEqual(6);
      expect(prints(again)).toEqual(before);
    } finally {
      await again.sim.stop();
    }
  }, 60_000);

  it('uses ECDSA P-256 when the lab file asks for it', async () => {
    const def = parseLabDefinition({ name: 'fast', keyAlgorithm: 'ECDSA-P256', organizations: [{ domain: 'adatum.com', edges: [{ name: 'EX1', fqdn: 'mail.adatum.com' }] }] }, 'fast.yaml');
    const lab = await startDefinedLab(def);
    try {
      expect(lab.orgs['adatum.com'].pki.root.certificate.keyAlgorithm).toBe('ECDSA-P256');
      expect(lab.orgs['adatum.com'].model.edges[0].certificates.list()[0].certificate.keyAlgorithm).toBe('ECDSA-P256');
    } finally {
      await lab.sim.stop();
    }
    expect(() => parseLabDefinition({ keyAlgorithm: 'DSA', organizations: [{ domain: 'a.com', edges: [{ name: 'E', fqdn: 'e.a.com' }] }] }, 'bad.yaml')).toThrow(/keyAlgorithm.*RSA-2048/);
  });
});
