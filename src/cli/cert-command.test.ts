// `domsec cert issue`: every kind checked with openssl as an outside MTA would, and revocations on the CRL the lab serves.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUp, repo, stop } from './lab-up-fixture.js';

/** Every folder this file makes, removed at the end. */
const TMP = mkdtempSync(join(tmpdir(), 'domsec-t-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const missing = spawnSync('sh', ['-c', 'command -v openssl']).status !== 0;
if (missing && process.env.CI === 'true') throw new Error('openssl missing on CI: .ci/apt-packages.txt must install it.');
if (missing) console.log('skipping the cert issue tests: openssl not installed (apt-get install openssl)');

const AT = '2026-12-04T10:00:00Z';
const atSeconds = String(Date.parse(AT) / 1000);

function domsec(args: string[]) {
  return spawnSync(process.execPath, ['bin/domsec.mjs', ...args], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
}
const openssl = (args: string[], input?: Buffer) => {
  const r = spawnSync('openssl', args, { encoding: 'utf8', ...(input ? { input } : {}) });
  return `${r.stdout}${r.stderr}`;
};

describe.skipIf(missing)('domsec cert issue from a stable lab', () => {
  const dir = mkdtempSync(join(TMP, 'domsec-cert-'));
  const root = join(dir, 'ca', 'adatum.com-root.pem');
  const issuing = join(dir, 'ca', 'adatum.com-issuing.pem');
  const issue = (kind: string, ...extra: string[]) => {
    const out = join(dir, 'out', kind);
    const r = domsec(['cert', 'issue', '--dir', dir, '--org', 'adatum.com', '--name', 'mail.adatum.com', '--kind', kind, '--out', out, '--at', AT, ...extra]);
    expect(r.status, r.stderr).toBe(0);
    return { out, stdout: r.stdout, cert: `${out}.crt.pem` };
  };
  const verify = (cert: string, ...extra: string[]) => openssl(['verify', '-CAfile', root, '-untrusted', issuing, '-attime', atSeconds, ...extra, cert]);

  beforeAll(async () => {
    const lab = await labUp(['--dir', dir, '--seed', 'cert', '--clock', AT]);
    await stop(lab.child);
  }, 90_000);

  it('good: PEM, chain and PFX; verifies for client and server use', () => {
    const { out, cert } = issue('good');
    expect(verify(cert, '-purpose', 'sslclient')).toContain(': OK');
    expect(verify(cert, '-purpose', 'sslserver')).toContain(': OK');
    expect(openssl(['verify', '-CAfile', root, '-untrusted', `${out}.chain.pem`, '-attime', atSeconds, cert])).toContain(': OK');
    expect(statSync(`${out}.key.pem`).mode & 0o777).toBe(0o600);
    expect(openssl(['pkcs12', '-in', `${out}.pfx`, '-nokeys', '-passin', 'pass:domsec'])).toContain('subject=CN = mail.adatum.com');
    expect(openssl(['x509', '-in', cert, '-noout', '-text'])).toContain('rsaEncryption');
  }, 120_000);

  it('each faulty kind fails openssl verify for its own reason', () => {
    expect(verify(issue('expired').cert)).toContain('certificate has expired');
    expect(verify(issue('not-yet-valid').cert)).toContain('certificate is not yet valid');
    const noClient = issue('no-clientauth').cert;
    expect(verify(noClient, '-purpose', 'sslclient')).toMatch(/(unsupported|unsuitable) certificate purpose/);
    expect(verify(noClient, '-purpose', 'sslserver')).toContain(': OK');
    const noServer = issue('no-serverauth').cert;
    expect(verify(noServer, '-purpose', 'sslserver')).toMatch(/(unsupported|unsuitable) certificate purpose/);
    expect(verify(noServer, '-purpose', 'sslclient')).toContain(': OK');
    expect(verify(issue('self-signed').cert)).toMatch(/self[- ]signed certificate/);
    expect(verify(issue('untrusted-ca').cert)).toMatch(/unable to get (local )?issuer certificate|self[- ]signed certificate in certificate chain/);
    const wrong = issue('wrong-name').cert;
    expect(verify(wrong)).toContain(': OK');
    expect(verify(wrong, '-verify_hostname', 'mail.adatum.com')).toContain('hostname mismatch');
  }, 240_000);

  it('--key ecdsa gives a P-256 key; a bad kind, key or organization is a usage error', () => {
    expect(openssl(['x509', '-in', issue('good', '--key', 'ecdsa').cert, '-noout', '-text'])).toContain('prime256v1');
    const bad = domsec(['cert', 'issue', '--dir', dir, '--org', 'adatum.com', '--kind', 'broken']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('[ERR_USAGE]');
    const other = domsec(['cert', 'issue', '--dir', dir, '--org', 'fabrikam.com']);
    expect(other.stderr).toMatch(/fabrikam\.com is not an organization.*adatum\.com.*\[ERR_USAGE\]/);
    const none = domsec(['cert', 'issue', '--dir', mkdtempSync(join(TMP, 'domsec-nopki-')), '--org', 'adatum.com']);
    expect(none.stderr).toContain('[ERR_LAB_PKI]');
  }, 120_000);

  describe('revoked', () => {
    let child: Awaited<ReturnType<typeof labUp>>['child'] | undefined;
    afterAll(async () => { if (child) await stop(child); });

    const crlOf = async (url: string) => openssl(['crl', '-inform', 'DER', '-noout', '-text'], Buffer.from(await (await fetch(url)).arrayBuffer()));
    const serialOf = (cert: string) => openssl(['x509', '-in', cert, '-noout', '-serial']).trim().replace(/^serial=/, '');

    it('is stored while the lab is stopped and served on the CRL after the next start; a running lab serves a new one at once', async () => {
      const offline = serialOf(issue('revoked').cert);
      expect(JSON.parse(readFileSync(join(dir, 'pki', 'revoked.json'), 'utf8'))).toHaveLength(1);
      const lab = await labUp(['--dir', dir, '--clock', AT]);
      child = lab.child;
      const crl = lab.endpoints.organizations.find((o) => o.domains.includes('adatum.com'))!.crl;
      expect(await crlOf(crl)).toContain(`Serial Number: ${offline}`);
      const online = issue('revoked');
      expect(online.stdout).toContain("on the running lab's CRL now");
      const served = await crlOf(crl);
      expect(served).toContain(`Serial Number: ${offline}`);
      expect(served).toContain(`Serial Number: ${serialOf(online.cert)}`);
      // The good certificate issued earlier stays off the CRL.
      expect(served).not.toContain(serialOf(join(dir, 'out', 'good.crt.pem')));
      // The running lab's shell reads a real file: treyresearch.net imports the untrusted CA's root from the chain file.
      const line = `Import-Certificate -FileName ${join(dir, 'out', 'untrusted-ca.chain.pem')} -CertStoreLocation Cert:\\LocalMachine\\Root`;
      const shell = await (await fetch(`http://${lab.endpoints.control.host}:${lab.endpoints.control.port}/shell`, {
        method: 'POST', headers: { authorization: `Bearer ${lab.endpoints.control.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ line, org: 'treyresearch.net' }),
      })).json() as { ok: boolean; output: string };
      expect(shell.output).toContain('Domsec Unknown Issuer CA');
      expect(shell.ok).toBe(true);
    }, 120_000);
  });
});
