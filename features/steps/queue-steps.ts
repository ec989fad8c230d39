// Steps that move virtual time, force retries and read queues, delay notices, NDRs and what became of a message.
import { Then, When } from '@cucumber/cucumber';
import { expectContains, expectEqual, expectFields } from '../support/expect.js';
import type { DomsecWorld } from '../support/world.js';

When('{duration} pass(es)', async function (this: DomsecWorld, ms: number) {
  await this.sim!.advance(ms);
});

When('{string} runs Retry-Queue on its queue to {string}', async function (this: DomsecWorld, org: string, domain: string) {
  await this.org(org).retryQueue(domain);
});

Then('the clock reads {string}', function (this: DomsecWorld, iso: string) {
  expectEqual(this.sim!.clock.now().toISOString(), iso, 'virtual clock');
});

Then('the queue of {string} to {string} shows:', function (this: DomsecWorld, org: string, domain: string, table: { rowsHash(): Record<string, string> }) {
  expectFields(this.queue(org, domain), table.rowsHash(), `the queue of ${org} to ${domain}`);
});

Then('the message from {string} to {string} was {string}', function (this: DomsecWorld, from: string, to: string, fate: string) {
  expectEqual(this.fate(from, to), fate, `what became of the message from ${from} to ${to}`);
});

Then('{string} has {int} delay notice(s) and {int} NDR(s)', function (this: DomsecWorld, address: string, delays: number, ndrs: number) {
  const box = this.orgOf(address).mailbox(address);
  expectEqual([box.filter((m) => m.kind === 'delay').length, box.filter((m) => m.kind === 'ndr').length], [delays, ndrs], `[delay notices, NDRs] in ${address}`);
});

Then('the {word} to {string} says:', function (this: DomsecWorld, kind: string, address: string, table: { raw(): string[][] }) {
  const m = this.orgOf(address).mailbox(address).filter((x) => x.kind === (kind === 'NDR' ? 'ndr' : 'delay')).at(-1);
  const text = m ? `Subject: ${m.subject}\r\n${m.body}` : '(no such message)';
  for (const [needle] of table.raw()) expectContains(text, needle, `${kind} in ${address}`);
});

Then('{string} has no mail', function (this: DomsecWorld, address: string) {
  expectEqual(this.orgOf(address).mailbox(address).filter((m) => m.kind === 'mail').length, 0, `messages in ${address}`);
});
