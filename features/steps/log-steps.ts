// Steps that read protocol logs, counters, events and hop evidence.
import { Then } from '@cucumber/cucumber';
import type { CounterName } from '../../src/orgs/index.js';
import { expectContains, expectEqual } from '../support/expect.js';
import type { DomsecWorld } from '../support/world.js';

Then('the {word} protocol log of {string} edge {string} contains:', function (this: DomsecWorld, dir: string, org: string, edge: string, table: { raw(): string[][] }) {
  const text = this.org(org).edge(edge).protocolLog(dir === 'send' ? 'Send' : 'Receive');
  for (const [needle] of table.raw()) expectContains(text, needle, `${dir} protocol log of ${org} ${edge}`);
});

Then('the {word} protocol log of {string} was written to a file starting with {string}', function (this: DomsecWorld, dir: string, org: string, prefix: string) {
  const files = this.org(org).edge().protocolLogFiles(dir === 'send' ? 'Send' : 'Receive');
  expectEqual(files.some((f) => f.split('/').pop()!.startsWith(prefix)), true, `${dir} log files ${files.join(', ')}`);
});

Then('the counters of {string} are:', function (this: DomsecWorld, org: string, table: { rowsHash(): Record<string, string> }) {
  const c = this.org(org).counters();
  for (const [name, value] of Object.entries(table.rowsHash())) expectEqual(c[name as CounterName], Number(value), `counter ${name} of ${org}`);
});

Then('every hop negotiated {string}', function (this: DomsecWorld, version: string) {
  expectEqual(this.sim!.evidence.filter((h) => h.result === 'delivered').map((h) => h.tls?.version), this.sim!.evidence.filter((h) => h.result === 'delivered').map(() => version), 'TLS versions of delivered hops');
});

Then('every hop was decided by {string} on both sides', function (this: DomsecWorld, pair: string) {
  const [send, recv] = pair.split(/\s*\+\s*/);
  for (const h of this.sim!.evidence) {
    const rules = h.decisions.filter((d) => d.outcome === 'sent' || d.outcome === 'partner').map((d) => d.rule);
    expectEqual(rules, [send, recv], `final decisions of ${h.id} (${h.from.org} → ${h.nextHopDomain})`);
  }
});
