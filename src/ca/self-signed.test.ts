// Checks self-signed leaf certificates.
import { describe, it, expect } from 'vitest';
import { createSelfSigned } from './self-signed.js';
import { NOW } from './test-fixtures.js';

describe('createSelfSigned', () => {
  it('makes a self-signed leaf with the asked names and EKUs', async () => {
    const k = await createSelfSigned({ commonName: 'edge.fabrikam.com', dnsNames: ['edge.fabrikam.com', 'fabrikam.com'], now: NOW });
    const c = k.certificate;
    expect(c.subject).toBe('CN=edge.fabrikam.com');
    expect(c.issuer).toBe(c.subject);
    expect(c.isSelfSigned).toBe(true);
    expect(c.isCa).toBe(false);
    expect(c.ekus).toEqual(['serverAuth', 'clientAuth']);
    expect(c.names).toEqual(['edge.fabrikam.com', 'fabrikam.com']);
    expect(c.notBefore.getTime()).toBe(NOW.getTime() - 86_400_000);
    expect(k.chain).toEqual([]);
    expect(k.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('is deterministic in its serial for a seed', async () => {
    const a = await createSelfSigned({ commonName: 'a.fabrikam.com', now: NOW, serialSeed: 's' });
    const b = await createSelfSigned({ commonName: 'a.fabrikam.com', now: NOW, serialSeed: 's' });
    expect(a.certificate.serialNumber).toBe(b.certificate.serialNumber);
  });
});
