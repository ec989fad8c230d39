// Steps that flip the simulated network's named fault switches (network-faults.ts), DNS records and edges going down.
import { Given, When } from '@cucumber/cucumber';
import type { FaultKind } from '../../src/sim/index.js';
import type { DomsecWorld } from '../support/world.js';

const FIREWALL: Record<string, FaultKind> = { drops: 'drop', rejects: 'reject', resets: 'reset' };

Given('a firewall {word} connections to {string} on port {int}', function (this: DomsecWorld, action: string, to: string, port: number) {
  this.sim!.network.add({ kind: FIREWALL[action], to: this.org(to).edge().address, port });
});

Given('a firewall {word} connections from {string} to {string} on port {int}', function (this: DomsecWorld, action: string, from: string, to: string, port: number) {
  this.sim!.network.add({ kind: FIREWALL[action], from: this.org(from).edge().address, to: this.org(to).edge().address, port });
});

Given('a man in the middle strips STARTTLS from connections to {string}', function (this: DomsecWorld, to: string) {
  this.sim!.network.add({ kind: 'strip-starttls', to: this.org(to).edge().address, port: 25 });
});

Given('the network adds {duration} of latency to connections to {string}', function (this: DomsecWorld, ms: number, to: string) {
  this.sim!.network.add({ kind: 'delay', ms, to: this.org(to).edge().address, port: 25 });
});

Given('the CRL distribution point of {string} is unreachable', function (this: DomsecWorld, org: string) {
  this.sim!.network.add({ kind: 'drop', to: this.org(org).pkiAddress, port: 80 });
});

When('the firewall is opened again', function (this: DomsecWorld) {
  this.sim!.network.clear();
});

Given('DNS has no MX and no A record for {string}', function (this: DomsecWorld, domain: string) {
  this.sim!.dns.setMx(domain, null);
  this.sim!.dns.setA(domain, null);
});

Given('DNS answers NXDOMAIN for {string}', function (this: DomsecWorld, domain: string) {
  this.sim!.dns.setNxdomain(domain, true);
});

Given('the MX record of {string} points at {string}, which has no address', function (this: DomsecWorld, domain: string, host: string) {
  this.sim!.dns.setMx(domain, [host]);
  this.sim!.dns.setA(host, null);
});

Given('the edge of {string} is down', async function (this: DomsecWorld, org: string) {
  await this.org(org).stopEdge();
});

When('the edge of {string} comes back up', async function (this: DomsecWorld, org: string) {
  await this.org(org).startEdge();
});
