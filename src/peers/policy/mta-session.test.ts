// What each MTA can tell about a session → decideAtMailFrom, including the Postfix CN-only and Exim full-leaf differences.
import { beforeAll, describe, expect, it } from 'vitest';
import { planPeer } from '../peer-plan.js';
import { buildInteropLab, type InteropLab } from '../testing/interop-lab.js';
import { connectorFor, decideMailFrom, decideServerName, type PolicyEnvironment } from './mta-session.js';

let lab: InteropLab;
let env: PolicyEnvironment;
beforeAll(async () => {
  lab = await buildInteropLab();
  env = { plan: planPeer(lab.trey.org, { workDir: '.tmp', port: 2525 }), organization: lab.trey.org, now: () => new Date() };
});

const der = (k: { certificate: { der: Uint8Array } }) => k.certificate.der;

describe('MTA facts → decideAtMailFrom', () => {
  it('the partner edge address gets the Partner connector, anyone else the default one (most specific RemoteIPRanges)', () => {
    expect(connectorFor(env, '127.0.1.1').name).toBe('From adatum.com');
    expect(connectorFor(env, '127.0.9.9').name).toBe('Default internal receive connector');
  });

  it('Postfix view: a verified CN that covers the domain is Partner (DS-RECV-07)', async () => {
    const v = await decideMailFrom(env, { sender: 'kim@adatum.com', clientAddress: '127.0.1.1', tls: true, certificate: { kind: 'verified-by-mta', names: ['mail.adatum.com'], detail: 'ok' } });
    expect(v.decision).toMatchObject({ rule: 'DS-RECV-07', outcome: 'partner', authDomain: 'adatum.com' });
  });

  it('Postfix view: an unverified certificate is DS-RECV-06 even before names are known', async () => {
    const v = await decideMailFrom(env, { sender: 'kim@adatum.com', clientAddress: '127.0.1.1', tls: true, certificate: { kind: 'untrusted-by-mta', detail: 'untrusted' } });
    expect(v.decision).toMatchObject({ rule: 'DS-RECV-06', reply: { code: 454, enhanced: '4.7.5' } });
  });

  it('Exim view: the whole leaf is checked by src/ca, so a SAN-only certificate is accepted (Postfix would not see the SAN)', async () => {
    const sanOnly = await lab.adatum.issuing.issue({ commonName: 'Adatum Edge', dnsNames: ['mail.adatum.com'] });
    const v = await decideMailFrom(env, { sender: 'kim@adatum.com', clientAddress: '127.0.1.1', tls: true, certificate: { kind: 'leaf', der: der(sanOnly), mtaVerified: true } });
    expect(v.decision.rule).toBe('DS-RECV-07');
    const cnOnly = await decideMailFrom(env, { sender: 'kim@adatum.com', clientAddress: '127.0.1.1', tls: true, certificate: { kind: 'verified-by-mta', names: ['Adatum Edge'], detail: 'ok' } });
    expect(cnOnly.decision.rule).toBe('DS-RECV-05');
  });

  it('Exim view: the MTA path plus an expired leaf is CertificateExpired (DS-RECV-06), names first (DS-RECV-05)', async () => {
    const expired = await lab.adatum.issuing.issue({ commonName: 'mail.adatum.com', dnsNames: ['mail.adatum.com'], notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') });
    const v = await decideMailFrom(env, { sender: 'kim@adatum.com', clientAddress: '127.0.1.1', tls: true, certificate: { kind: 'leaf', der: der(expired), mtaVerified: true } });
    expect(v.decision.rule).toBe('DS-RECV-06');
    expect(v.decision.info).toEqual([`Client certificate chain validation status: 'CertificateExpired'`]);
    const wrong = await decideMailFrom(env, { sender: 'kim@adatum.com', clientAddress: '127.0.1.1', tls: true, certificate: { kind: 'leaf', der: der(lab.wrongName), mtaVerified: true } });
    expect(wrong.decision.rule).toBe('DS-RECV-05');
  });

  it('no TLS / no certificate / unlisted sender / null sender', async () => {
    const base = { clientAddress: '127.0.1.1', certificate: { kind: 'none' as const } };
    expect((await decideMailFrom(env, { ...base, sender: 'kim@adatum.com', tls: false })).decision.rule).toBe('DS-RECV-02');
    expect((await decideMailFrom(env, { ...base, sender: 'kim@adatum.com', tls: true })).decision.rule).toBe('DS-RECV-04');
    expect((await decideMailFrom(env, { ...base, sender: 'bob@fabrikam.com', tls: false })).decision).toMatchObject({ rule: 'DS-RECV-07', outcome: 'accept' });
    expect((await decideMailFrom(env, { ...base, sender: undefined, tls: false })).decision.outcome).toBe('accept');
  });

  it('server name rule for Exim transports: DS-SEND-04 when the remote leaf does not cover the next hop', () => {
    expect(decideServerName(env, 'adatum.com', der(lab.adatum.edgeCertificate)).rule).toBe('DS-SEND-06');
    expect(decideServerName(env, 'adatum.com', der(lab.wrongName))).toMatchObject({ rule: 'DS-SEND-04', outcome: 'defer' });
  });
});
