// The direct DER walk reads every certificate the harness makes exactly as the general ASN.1 parser does.
import { describe, expect, it } from 'vitest';
import { CertificateAuthority } from './authority.js';
import { fastCertificateFacts, generalCertificateFacts } from './certificate.js';
import { FAULT_KINDS, issueFaulty } from './faulty.js';
import { fromBase64 } from './pem.js';
import { createRequest } from './request.js';
import { createSelfSigned } from './self-signed.js';
import { NOW, OPENSSL_CERT_PEM } from './test-fixtures.js';

describe('certificate facts', () => {
  it('are the same from the direct walk and the general parser, for every kind of certificate the harness makes or reads', async () => {
    const ders: [string, Uint8Array][] = [];
    for (const algorithm of ['ECDSA-P256', 'RSA-2048'] as const) {
      const root = await CertificateAuthority.createRoot({ name: `Contoso Root ${algorithm}`, algorithm, now: NOW, keySeed: `facts/${algorithm}/root`, crlUrl: 'http://pki.contoso.com/root.crl' });
      const issuing = await root.createSubordinate({ name: 'Contoso Issuing CA', now: NOW, crlUrl: 'http://pki.contoso.com/issuing.crl' });
      ders.push([`${algorithm} root`, root.certificate.der], [`${algorithm} issuing`, issuing.certificate.der]);
      const base = { commonName: 'mail.contoso.com', dnsNames: ['mail.contoso.com', '*.contoso.com', 'xn--bcher-kva.de'], now: NOW };
      ders.push([`${algorithm} leaf`, (await issuing.issue(base)).certificate.der]);
      ders.push([`${algorithm} CN only, no EKU`, (await issuing.issue({ commonName: 'mail.contoso.com', ekus: 'none' })).certificate.der]);
      ders.push([`${algorithm} DC subject`, (await issuing.issue({ ...base, subject: 'DC=com,DC=Contoso,CN=mail1.contoso.com' })).certificate.der]);
      for (const kind of FAULT_KINDS) ders.push([`${algorithm} ${kind}`, (await issueFaulty(issuing, kind, base)).certificate.der]);
      const req = await createRequest({ subjectName: 'DC=com,DC=Contoso,CN=mail2.contoso.com', domainNames: ['mail.contoso.com'], algorithm });
      ders.push([`${algorithm} signed request`, (await issuing.signRequest(req.csrPem, { now: NOW })).der]);
      ders.push([`${algorithm} self-signed`, (await createSelfSigned({ ...base, algorithm })).certificate.der]);
    }
    ders.push(['openssl', fromBase64(OPENSSL_CERT_PEM.replace(/-----[^-]+-----|\s/g, ''))!]);
    for (const [what, der] of ders) {
      const fast = fastCertificateFacts(der);
      expect(fast, `${what}: read by the direct walk`).toBeDefined();
      expect(fast, what).toEqual(generalCertificateFacts(der));
    }
  }, 120_000);

  it('leaves what it cannot read to the general parser', () => {
    expect(fastCertificateFacts(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]))).toBeUndefined();
  });
});
