// Checks PKCS#7 bundles against themselves and the openssl CLI.
import { describe, it, expect, beforeAll } from 'vitest';
import { isDomsecError } from '../errors.js';
import { CertificateAuthority } from './authority.js';
import type { Certificate } from './certificate.js';
import { HAS_OPENSSL, runOpenssl } from './openssl-cli.js';
import { toPem } from './pem.js';
import { exportPkcs7, importPkcs7 } from './pkcs7.js';
import { NOW } from './test-fixtures.js';

function code(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { return isDomsecError(e) ? e.code : 'not-a-DomsecError'; }
  return undefined;
}

describe('PKCS#7 (.p7b)', () => {
  let chain: Certificate[];
  beforeAll(async () => {
    const root = await CertificateAuthority.createRoot({ name: 'Contoso Root CA', now: NOW });
    const sub = await root.createSubordinate({ name: 'Contoso Issuing CA' });
    const leaf = await sub.issue({ commonName: 'mail.contoso.com' });
    chain = [leaf.certificate, sub.certificate, root.certificate];
  });

  it('round-trips a chain in order, as DER and as PEM', () => {
    const der = exportPkcs7(chain);
    expect(importPkcs7(der).map((c) => c.thumbprint)).toEqual(chain.map((c) => c.thumbprint));
    const pem = new Uint8Array(Buffer.from(toPem(der, 'PKCS7')));
    expect(importPkcs7(pem).map((c) => c.subject)).toEqual(['CN=mail.contoso.com', 'CN=Contoso Issuing CA', 'CN=Contoso Root CA']);
  });

  it('refuses what is not PKCS#7 with ERR_PKCS7_FORMAT', () => {
    expect(code(() => importPkcs7(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])))).toBe('ERR_PKCS7_FORMAT');
    expect(code(() => importPkcs7(new Uint8Array()))).toBe('ERR_PKCS7_FORMAT');
    expect(code(() => importPkcs7(new Uint8Array(Buffer.from('-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n'))))).toBe('ERR_PKCS7_FORMAT');
  });

  it.skipIf(!HAS_OPENSSL)('interoperates with openssl crl2pkcs7 / pkcs7', () => {
    const made = runOpenssl(['crl2pkcs7', '-nocrl', '-certfile', 'chain.pem', '-outform', 'DER', '-out', 'o.p7b'], { 'chain.pem': chain.map((c) => c.pem).join('') });
    expect(made.status, made.stderr).toBe(0);
    expect(importPkcs7(new Uint8Array(made.read('o.p7b'))).map((c) => c.thumbprint)).toEqual(chain.map((c) => c.thumbprint));
    const read = runOpenssl(['pkcs7', '-inform', 'DER', '-in', 'i.p7b', '-print_certs', '-noout'], { 'i.p7b': exportPkcs7(chain) });
    expect(read.status, read.stderr).toBe(0);
    expect(read.stdout.match(/subject=/g)).toHaveLength(3);
  });
});
