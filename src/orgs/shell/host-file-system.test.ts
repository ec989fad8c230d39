// A vendor's own root and PFX imported from real files on disk: the shell reads absolute host paths, capped and with ERR_ codes.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CertificateAuthority, exportPfx } from '../../ca/index.js';
import { HOST_FILE_MAX_BYTES, HostFileSystem } from './host-file-system.js';
import { adatumOrg, ok, shellFor } from './shell-fixture.js';

/** Every folder this file makes, removed at the end. */
const TMP = mkdtempSync(join(tmpdir(), 'domsec-t-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

function hostShell() {
  const org = adatumOrg();
  const files = new HostFileSystem();
  return { org, files, sh: shellFor(org, { runtime: { readFile: (p) => files.readFile(p), writeFile: (p, b) => files.writeFile(p, b) } }) };
}

describe('the shell reads absolute host paths from disk', () => {
  const dir = mkdtempSync(join(TMP, 'domsec-hostfiles-'));

  it('Import-Certificate -FileName imports the vendor root; Import-ExchangeCertificate -FileName imports its PFX with the password', async () => {
    const ca = await CertificateAuthority.createRoot({ name: 'Vendor Root CA', serialSeed: 'vendor' });
    const leaf = await ca.issue({ commonName: 'mail.adatum.com', dnsNames: ['mail.adatum.com'] });
    writeFileSync(join(dir, 'vendor-root.cer'), ca.certificate.der);
    writeFileSync(join(dir, 'edge.pfx'), await exportPfx(leaf, 'S3cret!'));
    const { org, sh } = hostShell();
    await ok(sh, `Import-Certificate -FileName ${join(dir, 'vendor-root.cer')} -CertStoreLocation Cert:\\LocalMachine\\Root`);
    expect(org.trustedRoots.has(ca.certificate.thumbprint)).toBe(true);
    await ok(sh, `Import-ExchangeCertificate -FileName ${join(dir, 'edge.pfx')} -Password (ConvertTo-SecureString -String 'S3cret!' -AsPlainText -Force)`);
    expect(org.edge('EX1').certificates.list().map((c) => c.certificate.thumbprint)).toContain(leaf.certificate.thumbprint);
    const wrong = await sh.run(`Import-ExchangeCertificate -FileName ${join(dir, 'edge.pfx')} -Password (ConvertTo-SecureString -String 'nope' -AsPlainText -Force)`);
    expect(wrong.error?.code).toBe('ERR_PFX_PASSWORD');
    // Exchange 2010's -FileData form reads the same bytes.
    const other = hostShell();
    await ok(other.sh, `Import-ExchangeCertificate -FileData (Get-Content -Path ${join(dir, 'edge.pfx')} -Encoding Byte -ReadCount 0) -Password (ConvertTo-SecureString -String 'S3cret!' -AsPlainText -Force)`);
    expect(other.org.edge('EX1').certificates.list().map((c) => c.certificate.thumbprint)).toContain(leaf.certificate.thumbprint);
    const text = await other.sh.run(`Import-ExchangeCertificate -FileData (Get-Content -Path ${join(dir, 'edge.pfx')})`);
    expect(text.error?.code).toBe('ERR_PARAMETER_VALUE');
    const absent = await other.sh.run(`Import-ExchangeCertificate -FileData (Get-Content -Path ${join(dir, 'absent.pfx')} -Encoding Byte -ReadCount 0)`);
    expect(absent.error?.code).toBe('ERR_SHELL_FILE');
  });

  it('names a missing, unreadable, oversized or non-file path with its ERR_ code', async () => {
    const { sh } = hostShell();
    const missing = await sh.run(`Import-Certificate -FilePath ${join(dir, 'nope.cer')} -CertStoreLocation Cert:\\LocalMachine\\Root`);
    expect(missing.error?.code).toBe('ERR_SHELL_FILE');
    expect(missing.error?.message).toContain(join(dir, 'nope.cer'));
    const folder = await sh.run(`Import-Certificate -FilePath ${dir} -CertStoreLocation Cert:\\LocalMachine\\Root`);
    expect(folder.error?.code).toBe('ERR_SHELL_FILE_UNREADABLE');
    writeFileSync(join(dir, 'huge.pfx'), Buffer.alloc(HOST_FILE_MAX_BYTES + 1));
    const huge = await sh.run(`Import-ExchangeCertificate -FileName ${join(dir, 'huge.pfx')}`);
    expect(huge.error?.code).toBe('ERR_SHELL_FILE_UNREADABLE');
    expect(huge.error?.message).toContain(`at most ${HOST_FILE_MAX_BYTES} bytes`);
    if (process.getuid?.() !== 0) {
      writeFileSync(join(dir, 'locked.cer'), 'x');
      chmodSync(join(dir, 'locked.cer'), 0o000);
      const locked = await sh.run(`Import-Certificate -FilePath ${join(dir, 'locked.cer')} -CertStoreLocation Cert:\\LocalMachine\\Root`);
      expect(locked.error?.code).toBe('ERR_SHELL_FILE_UNREADABLE');
      expect(locked.error?.message).toContain('EACCES');
    }
  });

  it('keeps Windows paths in the shell\'s own files', async () => {
    const { sh, files } = hostShell();
    files.writeFile('C:\\certs\\x.cer', new Uint8Array([1]));
    expect(files.readFile('c:\\certs\\X.cer')).toEqual(new Uint8Array([1]));
    expect((await sh.run('Import-Certificate -FilePath C:\\certs\\none.cer -CertStoreLocation Cert:\\LocalMachine\\Root')).error?.code).toBe('ERR_SHELL_FILE');
  });
});
