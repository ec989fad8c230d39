import { describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../ca/index.js';
import { adatumOrg, ok, shellFor } from './shell-fixture.js';

describe('Import-Certificate -CertStoreLocation Cert:\\LocalMachine\\Root (DS-CERT-01)', () => {
  it('adds the partner root to the organization\'s trusted roots, and only that store is accepted', async () => {
    const ca = await CertificateAuthority.createRoot({ name: 'Trey Root CA', serialSeed: 'trust' });
    const org = adatumOrg();
    const sh = shellFor(org);
    sh.files.writeFile('c:\\certificates\\trey-root.cer', new TextEncoder().encode(ca.certificate.pem));
    await ok(sh, 'Import-Certificate -FilePath c:\\certificates\\trey-root.cer -CertStoreLocation Cert:\\LocalMachine\\Root');
    expect(org.trustedRoots.has(ca.certificate.thumbprint)).toBe(true);
    const r = await sh.run('Import-Certificate c:\\certificates\\trey-root.cer -CertStoreLocation Cert:\\CurrentUser\\My');
    expect(r.error?.code).toBe('ERR_PARAMETER_VALUE');
    expect(r.error?.message).toContain('Use -CertStoreLocation Cert:\\LocalMachine\\Root');
  });
});
