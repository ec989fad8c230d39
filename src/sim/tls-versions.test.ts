// TLS 1.3 is an edge switch (EdgeServer.tlsVersions, lab file `tlsVersions`); TLS 1.2 alone by default (issue 11 item 3).
// Real handshakes: the negotiated version, the log lines both sides write, and the key-exchange strength both agree on.
import { afterEach, describe, expect, it } from 'vitest';
import { startDefinedLab } from './defined-lab.js';
import { parseLabDefinition } from './lab-definition.js';
import { isDomainSecured } from './message.js';
import { addPartnerPair } from './partner-setup.js';
import { Simulation } from './simulation.js';
import type { SimOrganization } from './sim-organization.js';

let sim: Simulation | undefined;
afterEach(async () => { await sim?.stop(); sim = undefined; });

async function deliver(versions: { sender?: ('1.2' | '1.3')[]; receiver?: ('1.2' | '1.3')[] }): Promise<[SimOrganization, SimOrganization]> {
  sim = await Simulation.start({ seed: 'tls-versions' });
  const [a, b] = await addPartnerPair(sim, 'fabrikam.com', 'woodgrovebank.com');
  if (versions.sender) a.edge().model.tlsVersions = versions.sender;
  if (versions.receiver) b.edge().model.tlsVersions = versions.receiver;
  await a.send({ from: 'ann@fabrikam.com', to: ['bob@woodgrovebank.com'], subject: 'tls' });
  await sim.settle();
  expect(b.mailbox('bob@woodgrovebank.com').map(isDomainSecured)).toEqual([true]);
  return [a, b];
}

const tlsLine = (log: string) => /TLS protocol SP_PROT_[^"]*/.exec(log)?.[0];

describe('TLS versions per edge', () => {
  it('speaks TLS 1.2 by default, and both sides log the same key-exchange strength', async () => {
    const [a, b] = await deliver({});
    expect(sim!.evidence[0].tls?.version).toBe('TLSv1.2');
    expect(tlsLine(a.edge().protocolLog('Send'))).toMatch(/^TLS protocol SP_PROT_TLS1_2_CLIENT .* key exchange algorithm CALG_ECDH_EPHEM with strength 253 bits$/);
    expect(tlsLine(b.edge().protocolLog('Receive'))).toMatch(/^TLS protocol SP_PROT_TLS1_2_SERVER .* key exchange algorithm CALG_ECDH_EPHEM with strength 253 bits$/);
  });

  it('negotiates a real TLS 1.3 handshake, mutual certificates included, when both edges allow it', async () => {
    const [a, b] = await deliver({ sender: ['1.2', '1.3'], receiver: ['1.2', '1.3'] });
    expect(sim!.evidence[0].tls?.version).toBe('TLSv1.3');
    expect(tlsLine(a.edge().protocolLog('Send'))).toBe('TLS protocol SP_PROT_TLS1_3_CLIENT negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 253 bits');
    expect(tlsLine(b.edge().protocolLog('Receive'))).toBe('TLS protocol SP_PROT_TLS1_3_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 253 bits');
    expect(b.edge().protocolLog('Receive')).toContain('*,,Validated received certificate');
  });

  it('falls back to TLS 1.2 when only one side allows 1.3', async () => {
    await deliver({ sender: ['1.2', '1.3'] });
    expect(sim!.evidence[0].tls?.version).toBe('TLSv1.2');
  });
});

describe('the lab file switch', () => {
  const lab = (tlsVersions: unknown[]) => ({
    name: 'tls13', organizations: ['fabrikam.com', 'woodgrovebank.com'].map((domain, i, all) => ({
      domain, edges: [{ name: 'EX1', fqdn: `mail.${domain}`, tlsVersions }], trusts: [all[1 - i]],
      tlsSendDomainSecureList: [all[1 - i]], tlsReceiveDomainSecureList: [all[1 - i]],
      sendConnectors: [{ name: 'Internet', domainSecureEnabled: true, protocolLoggingLevel: 'Verbose' }], receiveConnectors: [{ name: 'Default EX1', domainSecureEnabled: true, protocolLoggingLevel: 'Verbose' }],
    })),
  });

  it('turns TLS 1.3 on for an edge (YAML numbers accepted)', async () => {
    const l = await startDefinedLab(parseLabDefinition(lab([1.2, 1.3]), 'tls13.yaml'));
    sim = l.sim;
    for (const p of l.probes) await l.sim.org(p.from.split('@')[1]).send({ from: p.from, to: [p.to], subject: 'probe' });
    await l.sim.settle();
    expect(l.sim.evidence.map((h) => [h.result, h.tls?.version])).toEqual([['delivered', 'TLSv1.3'], ['delivered', 'TLSv1.3']]);
    expect(l.orgs['woodgrovebank.com'].edge().protocolLog('Receive')).toContain('TLS protocol SP_PROT_TLS1_3_SERVER negotiation succeeded');
  });

  it('refuses an unknown version with ERR_LAB_FILE and the place in the file', () => {
    expect(() => parseLabDefinition(lab(['1.1']), 'tls13.yaml')).toThrow(expect.objectContaining({
      code: 'ERR_LAB_FILE', message: expect.stringContaining('organizations[0].edges[0].tlsVersions: list one or more of 1.2, 1.3.'),
    }));
  });
});
