import { describe, expect, it } from 'vitest';
import { buildSendConnector, chooseSendConnector } from './send-connector.js';

describe('send connectors (DS-CONF-02/03)', () => {
  it('-Usage Partner turns domain security and DNS routing on', () => {
    const c = buildSendConnector({ name: 'P', usage: 'Partner', addressSpaces: ['SMTP:treyresearch.net;1'] });
    expect([c.domainSecureEnabled, c.dnsRoutingEnabled]).toEqual([true, true]);
  });

  it.each([
    [{ domainSecureEnabled: true, dnsRoutingEnabled: false, smartHosts: ['relay.example'] }, "The DomainSecureEnabled parameter can't be set to $True unless the DNSRoutingEnabled parameter is also set to $True."],
    [{ domainSecureEnabled: true, ignoreStartTls: true }, "The DomainSecureEnabled parameter can't be set to $True if the IgnoreSTARTTLS parameter is set to $True."],
    [{ domainSecureEnabled: true, tlsAuthLevel: 'DomainValidation' as const }, "The TLSAuthLevel parameter can't be set if the DomainSecureEnabled parameter is set to $true."],
    [{ dnsRoutingEnabled: false }, 'You must specify a smart host if you are not using DNS to route mails.'],
  ])('refuses %o with Exchange\'s message', (patch, message) => {
    expect(() => buildSendConnector({ name: 'X', addressSpaces: ['SMTP:*;1'], ...patch })).toThrow(message);
  });

  it('refuses a connector without address space', () => {
    expect(() => buildSendConnector({ name: 'X' })).toThrow('The send connector must have at least one address space. Specify -AddressSpaces.');
  });

  it('refuses an address space cost outside 1–100', () => {
    expect(() => buildSendConnector({ name: 'X', addressSpaces: ['SMTP:a.com;101'] })).toThrow(/valid address space/);
  });

  it('the most specific address space wins, then the lowest cost', () => {
    const all = buildSendConnector({ name: 'Internet', addressSpaces: ['SMTP:*;1'] });
    const partner = buildSendConnector({ name: 'Partner', addressSpaces: ['SMTP:treyresearch.net;10'] });
    const cheap = buildSendConnector({ name: 'Cheap', addressSpaces: ['SMTP:treyresearch.net;5'] });
    expect(chooseSendConnector([all, partner], 'treyresearch.net')?.name).toBe('Partner');
    expect(chooseSendConnector([all, partner, cheap], 'treyresearch.net')?.name).toBe('Cheap');
    expect(chooseSendConnector([all, partner], 'other.org')?.name).toBe('Internet');
    expect(chooseSendConnector([partner], 'other.org')).toBeUndefined();
  });
});
