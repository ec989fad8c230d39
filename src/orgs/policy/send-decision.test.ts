import { describe, expect, it } from 'vitest';
import type { ChainResult, NameMatch } from '../../ca/index.js';
import { formatReply } from './decision.js';
import { decideAfterEhlo, decideAfterHandshake, decideBeforeConnect, decideRemoteCertificate, type SendContext } from './send-decision.js';

const ctx: SendContext = {
  nextHopDomain: 'treyresearch.net', sendList: ['treyresearch.net'],
  connector: { name: 'To treyresearch.net', domainSecureEnabled: true, requireTls: false, ignoreStartTls: false },
};
const open: SendContext = { ...ctx, sendList: [] };
const okChain: ChainResult = { ok: true, status: 'Valid', detail: 'ok', rule: 'DS-CERT-06', info: [], chain: [] };
const expired: ChainResult = { ok: false, status: 'CertificateExpired', detail: 'expired', rule: 'DS-CERT-03', info: [], chain: [] };
const covers: NameMatch = { ok: true, rule: 'one-label-below', name: 'mail.treyresearch.net', domain: 'treyresearch.net' };
const misses: NameMatch = { ok: false, domain: 'treyresearch.net', names: ['mail.fabrikam.com'], detail: 'no' };

describe('sender decisions (BEHAVIOUR §4)', () => {
  it('DS-SEND-01: a listed domain through a connector without DomainSecureEnabled is deferred with 451 4.7.3', () => {
    const d = decideBeforeConnect({ ...ctx, connector: { ...ctx.connector, domainSecureEnabled: false } });
    expect(d.rule).toBe('DS-SEND-01');
    expect(d.outcome).toBe('defer');
    expect(formatReply(d.reply!)).toBe('451 4.7.3 The admin has temporarily disallowed this secure domain');
    expect(d.info).toEqual(["Message to secure domain 'treyresearch.net' on send connector 'To treyresearch.net' failed because DomainSecureEnabled was set to false ."]);
    expect(d.counter).toBe('Domain-Secured Outbound Session Failures');
    expect(d.event).toBe(11021);
  });

  it('DS-SEND-02: STARTTLS not offered to a listed domain defers with 451 5.7.3 and the information line', () => {
    const d = decideAfterEhlo(ctx, 'not-offered');
    expect([d.rule, d.outcome, formatReply(d.reply!), d.event]).toEqual(['DS-SEND-02', 'defer', '451 5.7.3 STARTTLS is required to send mail', 11014]);
    expect(d.info![0]).toContain('failed because TLS was not offered .');
  });

  it('DS-SEND-02: STARTTLS refused is the same failure', () => {
    expect(decideAfterEhlo(ctx, 'refused').rule).toBe('DS-SEND-02');
  });

  it('DS-SEND-03: a failed handshake defers with 421 4.4.1 and the negotiation line', () => {
    const d = decideAfterHandshake(ctx, { ok: false, error: 'certificate unknown' });
    expect([d.rule, formatReply(d.reply!), d.info, d.event]).toEqual(['DS-SEND-03', '421 4.4.1 Connection timed out', ['TLS negotiation failed with error certificate unknown'], 11013]);
  });

  it('DS-SEND-04: remote names that do not cover the next hop defer with 454 4.7.5', () => {
    const d = decideRemoteCertificate(ctx, misses, okChain);
    expect([d.rule, formatReply(d.reply!), d.event]).toEqual(['DS-SEND-04', '454 4.7.5 Certificate validation failure', 11016]);
  });

  it('DS-SEND-05: a remote chain failure defers with 454 4.7.5', () => {
    const d = decideRemoteCertificate(ctx, covers, expired);
    expect([d.rule, formatReply(d.reply!), d.event]).toEqual(['DS-SEND-05', '454 4.7.5 Certificate validation failure', 11020]);
  });

  it('DS-SEND-06: all good is sent and counted', () => {
    expect(decideRemoteCertificate(ctx, covers, okChain)).toMatchObject({ rule: 'DS-SEND-06', outcome: 'sent', counter: 'Domain-Secured Messages Sent' });
  });

  it('a domain on no list uses opportunistic TLS: plain text when not offered, any certificate accepted', () => {
    expect(decideBeforeConnect(open)).toMatchObject({ outcome: 'proceed', tlsMode: 'opportunistic' });
    expect(decideAfterEhlo(open, 'not-offered')).toMatchObject({ outcome: 'proceed', tlsMode: 'none' });
    expect(decideRemoteCertificate(open, misses, expired).outcome).toBe('proceed');
  });

  it('RequireTLS on a connector defers when STARTTLS is missing even for unlisted domains', () => {
    const d = decideAfterEhlo({ ...open, connector: { ...open.connector, requireTls: true } }, 'not-offered');
    expect([d.rule, d.outcome, formatReply(d.reply!)]).toEqual(['DS-CONF-02', 'defer', '451 5.7.3 STARTTLS is required to send mail']);
  });

  it('every DS-SEND-01…05 failure counts one outbound session failure', () => {
    const failures = [
      decideBeforeConnect({ ...ctx, connector: { ...ctx.connector, domainSecureEnabled: false } }),
      decideAfterEhlo(ctx, 'not-offered'),
      decideAfterHandshake(ctx, { ok: false, error: 'x' }),
      decideRemoteCertificate(ctx, misses, okChain),
      decideRemoteCertificate(ctx, covers, expired),
    ];
    expect(failures.map((d) => d.counter)).toEqual(Array(5).fill('Domain-Secured Outbound Session Failures'));
  });
});
