// Steps that read protocol logs, counters, events and hop evidence.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Then } from '@cucumber/cucumber';
import { isWellFormedSession, sessionsOf } from '../../src/sim/index.js';
import type { CounterName } from '../../src/orgs/index.js';
import { expectContains, expectEqual, expectNotContains } from '../support/expect.js';
import type { DomsecWorld } from '../support/world.js';

Then('the {direction} protocol log of {string} edge {string} contains:', function (this: DomsecWorld, dir: 'Send' | 'Receive', org: string, edge: string, table: { raw(): string[][] }) {
  const text = this.org(org).edge(edge).protocolLog(dir);
  for (const [needle] of table.raw()) expectContains(text, needle, `${dir} protocol log of ${org} ${edge}`);
});

Then('the {direction} protocol log of {string} was written to a file starting with {string}', function (this: DomsecWorld, dir: 'Send' | 'Receive', org: string, prefix: string) {
  const files = this.org(org).edge().protocolLogFiles(dir);
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

Then('the {direction} protocol log of {string} contains:', function (this: DomsecWorld, dir: 'Send' | 'Receive', org: string, table: { raw(): string[][] }) {
  const text = this.org(org).edge().protocolLog(dir);
  for (const [needle] of table.raw()) expectContains(text, needle, `${dir} protocol log of ${org}`);
});

Then('the {direction} protocol log of {string} does not contain:', function (this: DomsecWorld, dir: 'Send' | 'Receive', org: string, table: { raw(): string[][] }) {
  const text = this.org(org).edge().protocolLog(dir);
  for (const [needle] of table.raw()) expectNotContains(text, needle, `${dir} protocol log of ${org}`);
});

Then('the {direction} protocol log of {string} is empty', function (this: DomsecWorld, dir: 'Send' | 'Receive', org: string) {
  expectEqual(this.org(org).edge().protocolLog(dir), '', `${dir} protocol log of ${org}`);
});

Then('the {direction} protocol log lines of {string} match {string}', function (this: DomsecWorld, dir: 'Send' | 'Receive', org: string, pattern: string) {
  const lines = this.org(org).edge().protocolLog(dir).split('\r\n').filter((l) => l && !l.startsWith('#'));
  expectEqual(lines.filter((l) => !new RegExp(pattern).test(l)), [], `${dir} protocol log lines of ${org} not matching ${pattern}`);
});

Then('the events of {string} are {string}', function (this: DomsecWorld, org: string, ids: string) {
  expectEqual(this.org(org).events().map((e) => e.id).join(', '), ids, `event ids in the application log of ${org}`);
});

Then('every event of {string} comes from source {string}', function (this: DomsecWorld, org: string, source: string) {
  expectEqual([...new Set(this.org(org).events().map((e) => e.source))], [source], `event sources of ${org}`);
});

Then('the tracking log of {string} shows {string}', function (this: DomsecWorld, org: string, events: string) {
  expectEqual(this.org(org).trackingLog().map((t) => t.eventId).join(', '), events, `message tracking events of ${org}`);
});

Then('the tracking log of {string} has a {word} entry with {word} {string}', function (this: DomsecWorld, org: string, eventId: string, field: string, value: string) {
  const entries = this.org(org).trackingLog().filter((t) => t.eventId === eventId);
  expectEqual(entries.some((t) => String(t[field as keyof typeof t] ?? '').includes(value)), true, `${eventId} entries of ${org}: ${JSON.stringify(entries.map((t) => t[field as keyof typeof t]))}`);
});

Then('the tracking log text of {string} starts with {string}', function (this: DomsecWorld, org: string, head: string) {
  expectContains(this.org(org).obs.trackingLogText().split('\r\n').slice(0, 3).join('\n'), head, `tracking log header of ${org}`);
});

Then('no MAIL FROM went to {string} in clear', function (this: DomsecWorld, domain: string) {
  const hops = this.sim!.evidence.filter((h) => h.nextHopDomain === domain);
  expectEqual(hops.flatMap((h) => h.clientTranscript.filter((l) => l.dir === '>' && /^MAIL FROM/i.test(l.text)).map((l) => `${h.id}: ${l.text}`)), [], `MAIL FROM commands sent to ${domain}`);
});

Then('the {direction} protocol log file of {string} is named like {string} and starts with:', function (this: DomsecWorld, dir: 'Send' | 'Receive', org: string, name: string, table: { raw(): string[][] }) {
  const files = this.org(org).edge().protocolLogFiles(dir);
  expectEqual(files.map((f) => path.basename(f)), [name], `${dir} protocol log files of ${org}`);
  const head = readFileSync(files[0], 'utf8').split('\r\n').slice(0, 5);
  expectEqual(table.raw().map(([l]) => l).filter((l) => !head.includes(l)), [], `header lines missing from ${files[0]} (its header: ${head.join(' | ')})`);
});

Then('every session in the {direction} protocol log of {string} numbers its lines from 0 and opens with {string} and closes with {string}', function (this: DomsecWorld, dir: 'Send' | 'Receive', org: string, open: string, close: string) {
  const sessions = sessionsOf(this.org(org).edge().protocolLog(dir));
  expectEqual(sessions.filter((s) => !isWellFormedSession(s, open, close)).map((s) => s.id), [], `sessions of the ${dir} protocol log of ${org} that are not numbered from 0 or not opened/closed`);
});

Then('the tracking log of {string} has no {word} entry with {word} {string}', function (this: DomsecWorld, org: string, eventId: string, field: string, value: string) {
  const hits = this.org(org).trackingLog().filter((t) => t.eventId === eventId && String(t[field as keyof typeof t] ?? '').includes(value));
  expectEqual(hits.length, 0, `${eventId} entries of ${org} with ${field} containing ${value}`);
});
