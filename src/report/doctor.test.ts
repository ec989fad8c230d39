// doctor on hand-written evidence: one fixture per seed 000 checklist item and the DS rule it must name.
import { describe, expect, it } from 'vitest';
import type { Decision } from '../orgs/policy/decision.js';
import type { CertificateSummary, HopEvidence } from '../sim/evidence.js';
import { currentHops, diagnose } from './doctor.js';

const cert = (cn: string, names = [cn], issuer = 'CN=Adatum Issuing CA'): CertificateSummary => ({
  subject: `CN=${cn}`, issuer, serialNumber: '01', thumbprint: 'AB'.repeat(20), names, notBefore: '2026-03-01T09:00:00.000Z', notAfter: '2027-03-01T09:00:00.000Z', pem: '',
});

/** A hand-written hop from adatum.com to treyresearch.net; each case overrides what broke. */
function hop(o: Partial<HopEvidence> & { decisions: Decision[] }): HopEvidence {
  return {
    id: 'hop-1', sessionId: '08DC000000000001', at: '2026-03-02T09:00:00.000Z',
    from: { org: 'adatum.com', edge: 'EX1', fqdn: 'mail.adatum.com', address: '127.0.1.1', connector: 'To treyresearch.net' },
    to: { org: 'treyresearch.net', edge: 'EX1', host: 'mail.treyresearch.net', address: '127.0.2.1', port: 25, connector: 'EX1\\From adatum.com' },
    nextHopDomain: 'treyresearch.net', messageIds: ['<m@adatum.com>'],
    clientTranscript: [
      { at: '2026-03-02T09:00:00.000Z', dir: '+', text: '' },
      { at: '2026-03-02T09:00:00.000Z', dir: '>', text: 'MAIL FROM:<kim@adatum.com>' },
    ],
    serverTranscript: [],
    certificates: { client: cert('mail.adatum.com'), server: cert('mail.treyresearch.net', undefined, 'CN=Trey Issuing CA') },
    result: 'deferred',
    ...o,
  };
}

const secure: Decision = { rule: 'DS-SEND-06', outcome: 'proceed', tlsMode: 'domain-secure', reason: 'treyresearch.net is a secure domain: mutual TLS required.' };
const reply = (code: number, enhanced: string, text: string) => ({ code, enhanced, text });

describe('doctor', () => {
  it('names a server certificate that does not cover the next hop (DS-SEND-04)', () => {
    const [f] = diagnose({ hops: [hop({
      certificates: { server: cert('edge.example.org') },
      decisions: [secure, { rule: 'DS-SEND-04', outcome: 'defer', reply: reply(454, '4.7.5', 'Certificate validation failure'), reason: 'The remote certificate names (edge.example.org) do not cover treyresearch.net (DS-CERT-02).' }],
    })] });
    expect(f).toMatchObject({ check: 'certificate-name', dsRule: 'DS-SEND-04', org: 'treyresearch.net', hop: 'hop-1' });
    expect(f.finding).toContain('edge.example.org');
    expect(f.fix[0]).toBe('New-ExchangeCertificate -GenerateRequest -SubjectName "CN=mail.treyresearch.net" -DomainName treyresearch.net,mail.treyresearch.net');
  });

  it('names a client certificate that does not cover the sender domain (DS-RECV-05)', () => {
    const [f] = diagnose({ hops: [hop({
      certificates: { client: cert('a.mail.adatum.com'), server: cert('mail.treyresearch.net') },
      decisions: [secure, { rule: 'DS-RECV-05', outcome: 'reject', reply: reply(454, '4.7.5', 'Certificate validation failure'), reason: 'names do not cover adatum.com' }],
    })] });
    expect(f).toMatchObject({ check: 'certificate-name', dsRule: 'DS-RECV-05', org: 'adatum.com' });
    expect(f.finding).toContain('a.mail.adatum.com');
    expect(f.finding).toContain('FQDN mail.adatum.com');
  });

  it('tells the validating side to import the partner root (DS-CERT-01)', () => {
    const [send] = diagnose({ hops: [hop({ decisions: [secure, { rule: 'DS-SEND-05', outcome: 'defer', reply: reply(454, '4.7.5', 'Certificate validation failure'),
      info: ["Message to secure domain 'treyresearch.net' failed because the remote certificate chain validation status was 'UntrustedRoot' ."], reason: 'The remote certificate for treyresearch.net failed validation: UntrustedRoot (no trusted root).' }] })] });
    expect(send).toMatchObject({ check: 'trust', dsRule: 'DS-CERT-01', org: 'adatum.com' });
    expect(send.fix).toEqual(['Import-Certificate -FilePath "C:\\certs\\treyresearch.net-root.cer" -CertStoreLocation Cert:\\LocalMachine\\Root']);
    const [recv] = diagnose({ hops: [hop({ decisions: [secure, { rule: 'DS-RECV-06', outcome: 'reject', reply: reply(454, '4.7.5', 'Certificate validation failure'),
      info: ["Client certificate chain validation status: 'UntrustedRoot'"], reason: 'failed' }] })] });
    expect(recv).toMatchObject({ check: 'trust', dsRule: 'DS-CERT-01', org: 'treyresearch.net' });
    expect(recv.fix[0]).toContain('adatum.com-root.cer');
  });

  it('sends an expired certificate back to its owner for renewal (DS-CERT-03)', () => {
    const [f] = diagnose({ hops: [hop({ decisions: [secure, { rule: 'DS-SEND-05', outcome: 'defer', reason: 'The remote certificate for treyresearch.net failed validation: CertificateExpired (x).' }] })] });
    expect(f).toMatchObject({ check: 'trust', dsRule: 'DS-CERT-03', org: 'treyresearch.net' });
    expect(f.fix[0]).toMatch(/^Get-ExchangeCertificate -Thumbprint A?B.* \| New-ExchangeCertificate -GenerateRequest/);
  });

  it.each([
    ['10060', 'timed out'],
    ['10061', 'was refused'],
  ])('blames the partner firewall for Winsock %s', (code, words) => {
    const [f] = diagnose({ hops: [hop({ clientTranscript: [], certificates: {}, decisions: [secure], reply: `Failed to connect. Winsock error code: ${code} (x)` })] });
    expect(f).toMatchObject({ check: 'firewall', dsRule: 'DS-QUEUE-06', org: 'treyresearch.net' });
    expect(f.finding).toContain(words);
    expect(f.fix[0]).toContain('-RemoteAddress 127.0.1.1');
  });

  it('finds a firewall from the queue LastError alone', () => {
    const [f] = diagnose({ hops: [], queues: [[{ at: '2026-03-02T09:05:00.000Z', identity: 'EX1\\2', nextHopDomain: 'treyresearch.net', status: 'Retry', messageCount: 1, retryCount: 2,
      lastError: '441 4.4.1 Error encountered while communicating with primary target IP address: "Failed to connect. Winsock error code: 10060, Win32 error code: 10060." Attempted failover to alternate host, but that did not succeed. The last endpoint attempted was 127.0.2.1:25' }]] });
    expect(f).toMatchObject({ check: 'firewall', dsRule: 'DS-QUEUE-06', hop: 'EX1\\2' });
  });

  it('points at STARTTLS when the receiver does not offer it (DS-SEND-02)', () => {
    const [f] = diagnose({ hops: [hop({ decisions: [secure, { rule: 'DS-SEND-02', outcome: 'defer', reply: reply(451, '5.7.3', 'STARTTLS is required to send mail'), reason: 'STARTTLS was not offered.' }] })] });
    expect(f).toMatchObject({ check: 'starttls-log', dsRule: 'DS-SEND-02', org: 'treyresearch.net' });
    expect(f.fix).toContain('Set-ReceiveConnector "EX1\\From adatum.com" -AuthMechanism Tls');
  });

  it('recognises STARTTLS stripped on the path', () => {
    const [f] = diagnose({ hops: [hop({ network: ['strip-starttls'], decisions: [secure, { rule: 'DS-SEND-02', outcome: 'defer', reason: 'x' }] })] });
    expect(f.finding).toContain('removed it');
  });

  it('names one-sided configuration with the cmdlet for each side (DS-RECV-01, DS-SEND-01)', () => {
    const [recv] = diagnose({ hops: [hop({ decisions: [secure, { rule: 'DS-RECV-01', outcome: 'reject', reply: reply(451, '4.7.3', 'The admin has temporarily disallowed this secure domain'), reason: 'x' }] })] });
    expect(recv).toMatchObject({ check: 'both-sides', dsRule: 'DS-RECV-01', org: 'treyresearch.net' });
    expect(recv.fix).toEqual(['Set-ReceiveConnector "EX1\\From adatum.com" -AuthMechanism Tls -DomainSecureEnabled:$true']);
    const [send] = diagnose({ hops: [hop({ clientTranscript: [], decisions: [{ rule: 'DS-SEND-01', outcome: 'defer', reply: reply(451, '4.7.3', 'The admin has temporarily disallowed this secure domain'), reason: 'x' }] })] });
    expect(send).toMatchObject({ check: 'both-sides', dsRule: 'DS-SEND-01', org: 'adatum.com' });
    expect(send.fix).toEqual(['Set-SendConnector "To treyresearch.net" -DomainSecureEnabled:$true']);
  });

  it('sees a sender that does not list the partner from a 530 without client certificate (DS-RECV-04)', () => {
    const [f] = diagnose({ hops: [hop({ certificates: { server: cert('mail.treyresearch.net') }, decisions: [
      { rule: 'DS-CONF-01', outcome: 'proceed', tlsMode: 'opportunistic', reason: 'not listed' },
      { rule: 'DS-RECV-04', outcome: 'reject', reply: reply(530, '5.7.1', 'Not authenticated'), reason: 'no client certificate' }] })] });
    expect(f).toMatchObject({ check: 'both-sides', dsRule: 'DS-RECV-04', org: 'adatum.com' });
    expect(f.fix[0]).toBe('Set-TransportConfig -TLSSendDomainSecureList @{Add="treyresearch.net"}');
  });

  it('notices a receive list that misses the partner although delivery worked', () => {
    const [f] = diagnose({ hops: [hop({ result: 'delivered', decisions: [secure,
      { rule: 'DS-SEND-06', outcome: 'sent', reason: 'verified' },
      { rule: 'DS-RECV-07', outcome: 'accept', authAs: 'Anonymous', reason: 'adatum.com is not on TLSReceiveDomainSecureList: accepted as anonymous.' }] })] });
    expect(f).toMatchObject({ check: 'both-sides', dsRule: 'DS-RECV-07', org: 'treyresearch.net' });
    expect(f.fix).toEqual(['Set-TransportConfig -TLSReceiveDomainSecureList @{Add="adatum.com"}']);
  });

  it('finds nothing in a healthy Partner delivery, and merges retries of one cause', () => {
    expect(diagnose({ hops: [hop({ result: 'delivered', decisions: [secure, { rule: 'DS-SEND-06', outcome: 'sent', reason: 'ok' }, { rule: 'DS-RECV-07', outcome: 'partner', authAs: 'Partner', reason: 'ok' }] })] })).toEqual([]);
    const d: Decision = { rule: 'DS-SEND-01', outcome: 'defer', reason: 'x' };
    const f = diagnose({ hops: [hop({ decisions: [d] }), hop({ id: 'hop-2', decisions: [d] })] });
    expect(f).toHaveLength(1);
    expect(f[0].hop).toBe('hop-1, hop-2');
  });

  describe('judges each message by its latest attempt', () => {
    const recv01: Decision = { rule: 'DS-RECV-01', outcome: 'reject', reply: reply(451, '4.7.3', 'The admin has temporarily disallowed this secure domain'), reason: 'x' };
    const partner: Decision = { rule: 'DS-RECV-07', outcome: 'partner', reason: 'Partner' };
    const failed = hop({ decisions: [secure, recv01] });
    const retried = hop({ id: 'hop-2', result: 'delivered', reply: '250 2.6.0 Queued mail for delivery', decisions: [secure, partner] });

    it('a failure that a later attempt delivered is fixed, not current', () => {
      const [f] = diagnose({ hops: [failed, retried] });
      expect(f).toMatchObject({ dsRule: 'DS-RECV-01', hop: 'hop-1', fixedBy: 'hop-2' });
      expect(currentHops([failed, retried])).toEqual([]);
    });

    it('a failure whose message is still queued stays current, even beside other delivered mail', () => {
      const other = hop({ id: 'hop-2', result: 'delivered', messageIds: ['<other@adatum.com>'], decisions: [secure, partner] });
      const [f] = diagnose({ hops: [failed, other] });
      expect(f.fixedBy).toBeUndefined();
      expect(currentHops([failed, other]).map((h) => h.id)).toEqual(['hop-1']);
    });

    it('fixed, then broken again for a new message: one current finding', () => {
      const again = hop({ id: 'hop-3', messageIds: ['<new@adatum.com>'], decisions: [secure, recv01] });
      const f = diagnose({ hops: [failed, retried, again] });
      expect(f).toHaveLength(1);
      expect(f[0]).toMatchObject({ dsRule: 'DS-RECV-01', hop: 'hop-3' });
      expect(f[0].fixedBy).toBeUndefined();
    });
  });
});
