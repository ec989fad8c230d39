import { describe, expect, it } from 'vitest';
import { buildSendConnector, chooseSendConnector, SEND_MESSAGES } from './send-connector.js';

describe('send connectors (DS-CONF-02/03)', () => {
  it('-Usage Partner turns domain security and DNS routing on', () => {
    const c = buildSendConnector({ name: 'P', usage: 'Partner', addressSpaces: ['SMTP:treyresearch.net;1'] });
    expect([c.domainSecureEnabled, c.dnsRoutingEnabled]).toEqual([true, true]);
  });

  it.each([
    [{ domainSecureEnabled: true, dnsRoutingEnabled: false, smartHosts: ['relay.example'] }, SEND_MESSAGES.dnsRouting],
    [{ domainSecureEnabled: true, ignoreStartTls: true }, SEND_MESSAGES.ignoreStartTls],
    [{ domainSecureEnabled: true, tlsAuthLevel: 'DomainValidation' as const }, SEND_MESSAGES.tlsAuthLevel],
    [{ dnsRoutingEnabled: false }, SEND_MESSAGES.smartHost],
  ])('refuses %o with Exchange\'s message', (patch, message) => {
    expect(() => buildSendConnector({ name: 'X', addressSpaces: ['SMTP:*;1'], ...patch })).toThrow(message);
  });

  it('refuses a connector without address space', () => {
    expect(() => buildSendConnector({ name: 'X' })).toThrow(SEND_MESSAGES.addressSpace);
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
