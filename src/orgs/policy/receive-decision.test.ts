import { describe, expect, it } from 'vitest';
import type { ChainResult, NameMatch } from '../../ca/index.js';
import { formatReply } from './decision.js';
import { decideAtMailFrom, type ReceiveFacts } from './receive-decision.js';

const okChain: ChainResult = { ok: true, status: 'Valid', detail: 'ok', rule: 'DS-CERT-06', info: [], chain: [] };
const badChain: ChainResult = { ok: false, status: 'UntrustedRoot', detail: 'root not trusted', rule: 'DS-CERT-01', info: [], chain: [] };
const covers: NameMatch = { ok: true, rule: 'one-label-below', name: 'mail.adatum.com', domain: 'adatum.com' };
const misses: NameMatch = { ok: false, domain: 'adatum.com', names: ['mail.fabrikam.com'], detail: 'no name covers' };

const base: ReceiveFacts = {
  senderDomain: 'adatum.com', receiveList: ['adatum.com'],
  connector: { domainSecureEnabled: true, requireTls: false, permissionGroups: ['AnonymousUsers', 'Partners'] },
  tls: true, starttlsAdvertised: true, clientCertificate: true, nameMatch: covers, chain: okChain,
};

const rows: [string, Partial<ReceiveFacts>, string, string][] = [
  ['DS-RECV-10', { connector: { ...base.connector, requireTls: true }, tls: false }, 'reject', '451 5.7.3 STARTTLS is required to send mail'],
  ['DS-RECV-01', { connector: { ...base.connector, domainSecureEnabled: false } }, 'reject', '451 4.7.3 The admin has temporarily disallowed this secure domain'],
  ['DS-RECV-02', { tls: false, clientCertificate: false }, 'reject', '530 5.7.1 Not authenticated'],
  ['DS-RECV-03', { tls: false, starttlsAdvertised: false, clientCertificate: false }, 'reject', '454 4.7.0 Temporary authentication failure'],
  ['DS-RECV-04', { clientCertificate: false, nameMatch: undefined, chain: undefined }, 'reject', '530 5.7.1 Not authenticated'],
  ['DS-RECV-05', { nameMatch: misses }, 'reject', '454 4.7.5 Certificate validation failure'],
  ['DS-RECV-06', { chain: badChain }, 'reject', '454 4.7.5 Certificate validation failure'],
  ['DS-RECV-09', { connector: { ...base.connector, permissionGroups: ['AnonymousUsers'] } }, 'reject', '550 5.7.1 Client does not have permissions to submit to this server'],
];

describe('decideAtMailFrom (BEHAVIOUR §3)', () => {
  it.each(rows)('%s', (rule, patch, outcome, reply) => {
    const d = decideAtMailFrom({ ...base, ...patch });
    expect(d.rule).toBe(rule);
    expect(d.outcome).toBe(outcome);
    expect(formatReply(d.reply!)).toBe(reply);
  });

  it('DS-RECV-07: all good makes the session Partner and counts it', () => {
    const d = decideAtMailFrom(base);
    expect(d).toMatchObject({ rule: 'DS-RECV-07', outcome: 'partner', authAs: 'Partner', authDomain: 'adatum.com', counter: 'Domain-Secured Messages Received' });
  });

  it('names are checked before the chain (DS-RECV-05 wins over DS-RECV-06)', () => {
    expect(decideAtMailFrom({ ...base, nameMatch: misses, chain: badChain }).rule).toBe('DS-RECV-05');
  });

  it('the chain failure names its status in the information line', () => {
    expect(decideAtMailFrom({ ...base, chain: badChain }).info).toEqual(["Client certificate chain validation status: 'UntrustedRoot'"]);
  });

  it('a sender on no list is accepted as anonymous without TLS or certificate', () => {
    const d = decideAtMailFrom({ ...base, senderDomain: 'litware.com', tls: false, clientCertificate: false });
    expect(d).toMatchObject({ rule: 'DS-RECV-07', outcome: 'accept', authAs: 'Anonymous' });
  });

  it('the null sender is never checked', () => {
    expect(decideAtMailFrom({ ...base, senderDomain: undefined, tls: false }).outcome).toBe('accept');
  });

  it('list membership is exact: a subdomain of a listed domain is not listed', () => {
    expect(decideAtMailFrom({ ...base, senderDomain: 'sub.adatum.com', tls: false }).outcome).toBe('accept');
  });

  it('list membership is case-insensitive', () => {
    expect(decideAtMailFrom({ ...base, senderDomain: 'ADATUM.com', tls: false }).rule).toBe('DS-RECV-02');
  });

  it('events follow DS-LOG-06', () => {
    const ev = (p: Partial<ReceiveFacts>) => decideAtMailFrom({ ...base, ...p }).event;
    expect(ev({ tls: false })).toBe(11012);
    expect(ev({ tls: false, starttlsAdvertised: false })).toBe(11018);
    expect(ev({ clientCertificate: false })).toBe(11017);
    expect(ev({ nameMatch: misses })).toBe(11015);
    expect(ev({ chain: badChain })).toBe(11011);
    expect(ev({ connector: { ...base.connector, domainSecureEnabled: false } })).toBe(11021);
  });
});
