// planPeer: partner routes and modes, STARTTLS and client-certificate requests, loopback only.
import { beforeAll, describe, expect, it } from 'vitest';
import { Organization } from '../orgs/index.js';
import { planPeer } from './peer-plan.js';
import { addOutboundFaults, buildInteropLab, type InteropLab, OUTBOUND_FAULTS } from './testing/interop-lab.js';

let lab: InteropLab;
beforeAll(async () => {
  lab = await buildInteropLab();
  addOutboundFaults(lab);
});

const hop = { address: '127.0.1.1', port: 2526 };

describe('planPeer', () => {
  it('derives each partner route\'s mode from the lists and connectors (DS-SEND-01, DS-SEND-06, DS-CONF-01)', () => {
    const plan = planPeer(lab.trey.org, { workDir: '.tmp', port: 2525, relayHost: hop });
    const mode = (d: string) => plan.routes.find((r) => r.domain === d)?.mode;
    expect(mode('adatum.com')).toBe('domain-secure');
    expect(mode(OUTBOUND_FAULTS.disallowed.domain)).toBe('disallowed');
    expect(plan.routes.find((r) => r.domain === OUTBOUND_FAULTS.disallowed.domain)?.rule).toBe('DS-SEND-01');
    expect(plan.defaultRoute).toMatchObject({ domain: '*', mode: 'opportunistic' });
    expect(plan).toMatchObject({ fqdn: 'mail.treyresearch.net', address: '127.0.2.1', starttlsAdvertised: true, askClientCertificate: true });
  });

  it('without a certificate for the FQDN STARTTLS is not advertised and no client certificate is asked', () => {
    const bare = new Organization({ name: 'fabrikam.com', domains: ['fabrikam.com'] });
    bare.addEdge('EDGE1', 'mail.fabrikam.com', '127.0.3.1');
    expect(planPeer(bare, { workDir: '.tmp', port: 2525 })).toMatchObject({ starttlsAdvertised: false, askClientCertificate: false, certificate: undefined });
  });

  it('refuses a non-loopback address', () => {
    expect(() => planPeer(lab.trey.org, { workDir: '.tmp', port: 25, address: '10.0.0.1' })).toThrow(expect.objectContaining({ code: 'ERR_ORG_INVALID' }));
  });
});
