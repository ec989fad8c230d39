// Checks -GenerateRequest style PKCS#10 requests: names, key sizes, reading and tamper detection.
import { describe, it, expect } from 'vitest';
import { isDomsecError } from '../errors.js';
import { createRequest, openRequest, readRequest } from './request.js';
import { HAS_OPENSSL, runOpenssl } from './openssl-cli.js';

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try { await (typeof p === 'function' ? p() : p); } catch (e) { return isDomsecError(e) ? e.code : 'not-a-DomsecError'; }
  return undefined;
}

describe('createRequest (New-ExchangeCertificate -GenerateRequest)', () => {
  it('adds the CN to the names and keeps the Exchange subject', async () => {
    const r = await createRequest({ subjectName: 'DC=com,DC=Contoso,CN=mail1.contoso.com', domainNames: ['mail.contoso.com', 'MAIL1.contoso.com'] });
    expect(r.names).toEqual(['mail1.contoso.com', 'mail.contoso.com']);
    expect(r.csrBase64).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(r.csrPem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);
    expect(r.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(readRequest(r.csrBase64)).toEqual({ subject: 'CN=mail1.contoso.com, DC=Contoso, DC=com', names: ['mail1.contoso.com', 'mail.contoso.com'], publicKeySize: 256 });
  });

  it('makes RSA keys for -KeySize and refuses other sizes', async () => {
    // 1024 keeps the suite fast; 2048 and 4096 take the same code path with a bigger modulus.
    const r = await createRequest({ subjectName: 'CN=mail.contoso.com', keySize: 1024 });
    expect(readRequest(r.csrPem).publicKeySize).toBe(1024);
    expect(await codeOf(createRequest({ subjectName: 'CN=mail.contoso.com', keySize: 512 as never }))).toBe('ERR_KEY_SIZE');
    expect(await codeOf(createRequest({ subjectName: 'CN=mail.contoso.com', keySize: 1024, algorithm: 'ECDSA-P256' }))).toBe('ERR_KEY_SIZE');
  });

  it('refuses bad subjects and domain names with ERR_SUBJECT_NAME', async () => {
    expect(await codeOf(createRequest({ subjectName: 'mail.contoso.com' }))).toBe('ERR_SUBJECT_NAME');
    expect(await codeOf(createRequest({ subjectName: 'CN=mail.contoso.com', domainNames: ['not a name'] }))).toBe('ERR_SUBJECT_NAME');
  });

  it('leaves a non-DNS CN out of the names', async () => {
    const r = await createRequest({ subjectName: 'O=Contoso, CN=Contoso Mail', domainNames: ['mail.contoso.com'] });
    expect(r.names).toEqual(['mail.contoso.com']);
  });

  it.skipIf(!HAS_OPENSSL)('is a PKCS#10 request OpenSSL verifies', async () => {
    const r = await createRequest({ subjectName: 'DC=com,DC=Contoso,CN=mail1.contoso.com', domainNames: ['mail.contoso.com'] });
    const out = runOpenssl(['req', '-in', 'r.csr', '-noout', '-verify', '-subject', '-nameopt', 'RFC2253'], { 'r.csr': r.csrPem });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout + out.stderr).toContain('verify OK');
    expect(out.stdout).toContain('CN=mail1.contoso.com,DC=Contoso,DC=com');
  });
});

describe('readRequest / openRequest', () => {
  it('reads PEM with the NEW CERTIFICATE REQUEST header that certreq writes', async () => {
    const r = await createRequest({ subjectName: 'CN=mail.contoso.com' });
    const pem = r.csrPem.replace(/CERTIFICATE REQUEST/g, 'NEW CERTIFICATE REQUEST');
    expect(readRequest(pem).subject).toBe('CN=mail.contoso.com');
  });

  it('refuses non-requests with ERR_CSR_FORMAT', async () => {
    for (const bad of ['', 'hello world', 'AAAA', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----']) {
      expect(await codeOf(() => readRequest(bad)), bad).toBe('ERR_CSR_FORMAT');
    }
  });

  it('refuses a tampered request with ERR_CSR_SIGNATURE', async () => {
    const r = await createRequest({ subjectName: 'CN=mail.contoso.com' });
    const der = Buffer.from(r.csrBase64, 'base64');
    der[der.length - 3] ^= 0x01;
    expect(await codeOf(openRequest(der.toString('base64')))).toBe('ERR_CSR_SIGNATURE');
    expect((await openRequest(r.csrBase64)).dnsNames).toEqual(['mail.contoso.com']);
  });
});
