import { describe, expect, it } from 'vitest';
import { EdgeServer } from './edge-server.js';
import { buildReceiveConnector, chooseReceiveConnector, receiveConnectorIdentity } from './receive-connector.js';

describe('receive connectors (DS-CONF-04/05)', () => {
  it('-Usage Partner means Partners, Tls and DomainSecureEnabled; identity is SERVER\\Name', () => {
    const c = buildReceiveConnector({ name: 'From adatum', server: 'EX1', usage: 'Partner' });
    expect([c.permissionGroups, c.authMechanism, c.domainSecureEnabled, receiveConnectorIdentity(c)]).toEqual([['Partners'], ['Tls'], true, 'EX1\\From adatum']);
  });

  it('DomainSecureEnabled needs Tls in AuthMechanism', () => {
    expect(() => buildReceiveConnector({ name: 'X', server: 'EX1', authMechanism: ['None'], domainSecureEnabled: true })).toThrow("The DomainSecureEnabled parameter can't be set to $True unless Transport Layer Security (TLS) is set on the AuthMechanism parameter.");
  });

  it('RequireTLS needs Tls in AuthMechanism', () => {
    expect(() => buildReceiveConnector({ name: 'X', server: 'EX1', authMechanism: ['None'], requireTls: true })).toThrow('If RequireTLS is set, TLS must also be set as an authentication mechanism.');
  });

  it('the most specific RemoteIPRanges match wins', () => {
    const any = buildReceiveConnector({ name: 'Default', server: 'EX1' });
    const cidr = buildReceiveConnector({ name: 'Net', server: 'EX1', remoteIpRanges: ['127.0.2.0/24'] });
    const one = buildReceiveConnector({ name: 'Partner', server: 'EX1', remoteIpRanges: ['127.0.2.1'] });
    const range = buildReceiveConnector({ name: 'Range', server: 'EX1', remoteIpRanges: ['127.0.3.1-127.0.3.9'] });
    const all = [any, cidr, one, range];
    expect(chooseReceiveConnector(all, '127.0.2.1', 25)?.name).toBe('Partner');
    expect(chooseReceiveConnector(all, '127.0.2.7', 25)?.name).toBe('Net');
    expect(chooseReceiveConnector(all, '127.0.3.5', 25)?.name).toBe('Range');
    expect(chooseReceiveConnector(all, '10.1.1.1', 25)?.name).toBe('Default');
  });

  it('the choice follows its connectors as they change (the choice is remembered per connector list)', () => {
    const edge = new EdgeServer('EX1', 'mail.example', '127.0.2.1');
    edge.newReceiveConnector({ name: 'Partner', usage: 'Partner', remoteIpRanges: ['127.0.2.9'] });
    edge.newReceiveConnector({ name: 'Default', usage: 'Internet', remoteIpRanges: ['0.0.0.0-255.255.255.255'] });
    expect(chooseReceiveConnector(edge.receiveConnectors, '127.0.2.9', 25)?.name).toBe('Partner');
    expect(chooseReceiveConnector(edge.receiveConnectors, '127.0.2.9', 25)?.name).toBe('Partner');
    edge.setReceiveConnector('Partner', { remoteIpRanges: ['127.0.2.8'] });
    expect(chooseReceiveConnector(edge.receiveConnectors, '127.0.2.9', 25)?.name).toBe('Default');
    expect(chooseReceiveConnector(edge.receiveConnectors, '127.0.2.8', 25)?.name).toBe('Partner');
    edge.removeReceiveConnector('Default');
    expect(chooseReceiveConnector(edge.receiveConnectors, '127.0.2.9', 25)).toBeUndefined();
    expect(chooseReceiveConnector(edge.receiveConnectors, '127.0.2.8', 587)).toBeUndefined();
  });

  it('refuses malformed ranges and bindings with an actionable message', () => {
    expect(() => buildReceiveConnector({ name: 'X', server: 'EX1', remoteIpRanges: ['300.1.1.1'] })).toThrow(/valid IP address/);
    expect(() => buildReceiveConnector({ name: 'X', server: 'EX1', bindings: ['0.0.0.0'] })).toThrow(/IP:port/);
  });
});
