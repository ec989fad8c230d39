// Steps that set organizations up: partners, trusted roots, edge certificates, secure lists, connectors and peer quirks.
import { Given, When } from '@cucumber/cucumber';
import type { FaultKind } from '../../src/ca/index.js';
import type { EdgeQuirks } from '../../src/sim/index.js';
import { connectorPatch } from '../support/connector-parameters.js';
import type { DomsecWorld } from '../support/world.js';

Given('partner organizations {string} and {string} set up for Domain Security', async function (this: DomsecWorld, a: string, b: string) {
  await this.partners(a, b);
});

Given('{string} is also a Domain Security partner of {string}', async function (this: DomsecWorld, domain: string, of: string) {
  await this.addPartnerOf(domain, of);
});

Given('{string} has not imported the root of {string}', function (this: DomsecWorld, self: string, other: string) {
  this.org(self).distrust(this.org(other));
});

Given('{string} trusts the root of {string}', function (this: DomsecWorld, self: string, other: string) {
  this.org(self).trust(this.org(other));
});

When('{string} imports the root of {string}', function (this: DomsecWorld, self: string, other: string) {
  this.org(self).trust(this.org(other));
});

When('{string} imports the edge certificate of {string} as a trusted root', function (this: DomsecWorld, self: string, other: string) {
  this.org(self).model.trustedRoots.add(this.org(other).edgeCertificate()!.certificate);
});

Given('the edge certificate of {string} names {string}', async function (this: DomsecWorld, org: string, names: string) {
  const list = names.split(/\s*,\s*/);
  await this.org(org).presentCertificate({ commonName: list[0], dnsNames: list });
});

Given('the edge certificate of {string} has common name {string} and alternate names {string}', async function (this: DomsecWorld, org: string, cn: string, sans: string) {
  await this.org(org).presentCertificate({ commonName: cn, dnsNames: sans ? sans.split(/\s*,\s*/) : [] });
});

Given('the edge certificate of {string} is {word}', async function (this: DomsecWorld, org: string, fault: string) {
  await this.org(org).presentCertificate({ fault: fault as FaultKind });
});

Given('the edge certificate of {string} is revoked by its CA', function (this: DomsecWorld, org: string) {
  const o = this.org(org);
  o.pki.issuing.revoke(o.edgeCertificate()!.certificate.serialNumber, this.sim!.clock.now());
});

Given('the edge of {string} has no certificate', function (this: DomsecWorld, org: string) {
  this.org(org).replaceEdgeCertificate(undefined, undefined);
});

Given('{string} checks certificate revocation in {word} mode', function (this: DomsecWorld, org: string, mode: string) {
  this.org(org).model.transport.setSettings({ revocationMode: mode as 'strict' | 'lenient' });
});

Given('{string} adds {string} to {word}', function (this: DomsecWorld, org: string, domain: string, list: string) {
  this.org(org).model.transport.edit({ [list === 'TLSSendDomainSecureList' ? 'send' : 'receive']: { kind: 'edit', add: [domain] } });
});

Given('{string} removes {string} from {word}', function (this: DomsecWorld, org: string, domain: string, list: string) {
  this.org(org).model.transport.edit({ [list === 'TLSSendDomainSecureList' ? 'send' : 'receive']: { kind: 'edit', remove: [domain] } });
});

Given('{string} sets {word} to {string} on send connector {string}', function (this: DomsecWorld, org: string, param: string, value: string, name: string) {
  this.org(org).model.setSendConnector(name, connectorPatch(param, value));
});

Given('{string} sets {word} to {string} on receive connector {string}', function (this: DomsecWorld, org: string, param: string, value: string, name: string) {
  this.org(org).edge().model.setReceiveConnector(name, connectorPatch(param, value));
});

Given('the edge of {string} has the peer quirk {word}', function (this: DomsecWorld, org: string, quirk: string) {
  this.org(org).setEdgeQuirks(undefined, { [quirk as keyof EdgeQuirks]: true });
});

Given('{string} lists {string} on {word}: {word}', function (this: DomsecWorld, org: string, domain: string, list: string, yes: string) {
  if (yes === 'yes') this.org(org).model.transport.edit({ [list === 'TLSSendDomainSecureList' ? 'send' : 'receive']: { kind: 'edit', add: [domain] } });
});

Given('{string} uses the LastError wording of Exchange {word}', function (this: DomsecWorld, org: string, version: string) {
  this.org(org).model.transport.setSettings({ exchangeVersion: version as '2010' | '2016' });
});

Given('{string} waits {duration} before refusing a listed sender that skipped STARTTLS', function (this: DomsecWorld, org: string, ms: number) {
  this.org(org).model.transport.setSettings({ authTarpit: ms });
});
