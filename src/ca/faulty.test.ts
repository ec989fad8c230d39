// Checks that each named fault yields exactly the chain status it is meant to provoke.
import { describe, it, expect, beforeAll } from 'vitest';
import { isDomsecError } from '../errors.js';
import { CertificateAuthority } from './authority.js';
import type { ChainStatus } from './chain-status.js';
import { FAULT_KINDS, issueFaulty, UNKNOWN_ISSUER_NAME, WRONG_NAME, type FaultKind } from './faulty.js';
import { NOW } from './test-fixtures.js';
import { validateChain } from './validate-chain.js';

const EXPECTED: Record<FaultKind, ChainStatus> = {
  'expired': 'CertificateExpired',
  'not-yet-valid': 'CertificateExpired',
  'no-client-auth': 'WrongUsage',
  'wrong-names': 'SubjectMismatch',
  'self-signed': 'UntrustedRoot',
  'unknown-issuer': 'UntrustedRoot',
  'unknown-critical-extension': 'WrongUsage',
  // Legacy rather than faulty: accepted as Exchange accepts them on a private PKI (docs/model-choices.md).
  'sha1-signature': 'Valid',
  'rsa-1024': 'Valid',
};

describe('issueFaulty', () => {
  let ca: CertificateAuthority;
  beforeAll(async () => {
    ca = await CertificateAuthority.createRoot({ name: 'Contoso Root CA', now: NOW });
  });

  it.each(FAULT_KINDS.map((k) => [k, EXPECTED[k]] as const))('%s validates as %s', async (kind, status) => {
    const k = await issueFaulty(ca, kind, { commonName: 'mail.contoso.com', dnsNames: ['mail.contoso.com'], now: NOW });
    const r = await validateChain({ presented: [k.certificate, ...k.chain], trustedRoots: [ca.certificate], at: NOW, domain: 'contoso.com', revocation: 'off' });
    expect(r.status).toBe(status);
  });

  it('changes only the named fault', async () => {
    const base = { commonName: 'mail.contoso.com', dnsNames: ['mail.contoso.com'], now: NOW };
    const expired = await issueFaulty(ca, 'expired', base);
    expect(expired.certificate.notAfter.getTime()).toBeLessThan(NOW.getTime());
    expect(expired.certificate.names).toEqual(['mail.contoso.com']);
    const notYet = await issueFaulty(ca, 'not-yet-valid', base);
    expect(notYet.certificate.notBefore.getTime()).toBeGreaterThan(NOW.getTime());
    expect((await issueFaulty(ca, 'no-client-auth', base)).certificate.ekus).toEqual(['serverAuth']);
    expect((await issueFaulty(ca, 'wrong-names', { ...base, subject: 'O=Contoso, CN=mail.contoso.com' })).certificate.names).toEqual([WRONG_NAME]);
    const self = await issueFaulty(ca, 'self-signed', base);
    expect(self.certificate.isSelfSigned).toBe(true);
    expect(self.certificate.names).toEqual(['mail.contoso.com']);
    const unknown = await issueFaulty(ca, 'unknown-issuer', base);
    expect(unknown.certificate.issuer).toBe(`CN=${UNKNOWN_ISSUER_NAME}`);
    expect(unknown.chain.map((c) => c.subject)).toEqual([`CN=${UNKNOWN_ISSUER_NAME}`]);
  });

  it('refuses an unknown fault kind', async () => {
    try {
      await issueFaulty(ca, 'bogus' as FaultKind, { commonName: 'x', now: NOW });
      expect.unreachable();
    } catch (e) {
      expect(isDomsecError(e)).toBe(true);
    }
  });
});
