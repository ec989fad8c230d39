// Steps that send mail and read mailboxes, headers and queues.
import { Then, When } from '@cucumber/cucumber';
import { header, isDomainSecured } from '../../src/sim/index.js';
import { expectEqual } from '../support/expect.js';
import type { DomsecWorld } from '../support/world.js';

When('{string} sends a message to {string}', async function (this: DomsecWorld, from: string, to: string) {
  await this.send(from, to);
});

When('each side of the lab sends its test message', async function (this: DomsecWorld) {
  for (const p of this.lab!.probes) await this.orgOf(p.from).send({ from: p.from, to: [p.to], subject: `Test from ${p.from}`, body: 'Domain Security test message.' });
  await this.sim!.settle();
});

Then('{string} has {int} message(s) marked Domain Secured from partner {string}', function (this: DomsecWorld, to: string, n: number, partner: string) {
  const box = this.orgOf(to).mailbox(to).filter((m) => m.kind === 'mail');
  expectEqual(box.length, n, `messages in ${to}`);
  for (const m of box) {
    expectEqual(isDomainSecured(m), true, `${to}: message ${m.messageId} Domain Secured`);
    expectEqual(header(m, 'X-MS-Exchange-Organization-AuthDomain'), partner, 'AuthDomain header');
    expectEqual(header(m, 'X-MS-Exchange-Organization-AuthMechanism'), '02', 'AuthMechanism header');
  }
});

Then('every lab mailbox holds its test message marked Domain Secured', function (this: DomsecWorld) {
  for (const p of this.lab!.probes) {
    const box = this.orgOf(p.to).mailbox(p.to).filter((m) => m.kind === 'mail');
    expectEqual(box.map((m) => [isDomainSecured(m), header(m, 'X-MS-Exchange-Organization-AuthDomain')]), [[true, p.from.split('@')[1]]], `mailbox ${p.to}`);
  }
});

Then('{string} has {int} message(s) delivered as Anonymous', function (this: DomsecWorld, to: string, n: number) {
  const box = this.orgOf(to).mailbox(to).filter((m) => m.kind === 'mail');
  expectEqual(box.map((m) => [header(m, 'X-MS-Exchange-Organization-AuthAs'), header(m, 'X-MS-Exchange-Organization-AuthDomain') ?? null]), Array(n).fill(['Anonymous', null]), `headers of mail in ${to}`);
});

Then('the message header {string} in {string} is {string}', function (this: DomsecWorld, name: string, to: string, value: string) {
  const box = this.orgOf(to).mailbox(to).filter((m) => m.kind === 'mail');
  expectEqual(box.map((m) => header(m, name)), [value], `${name} in ${to}`);
});

/** Lines of the delivered header section (up to the first CRLF CRLF) that start an Auth* header after any line end. */
function authLines(raw: string): string[] {
  const end = raw.indexOf('\r\n\r\n');
  return (end < 0 ? raw : raw.slice(0, end)).split(/\r\n|\r|\n/).filter((l) => /^\s*X-MS-Exchange-Organization-Auth/i.test(l)).map((l) => l.trim());
}

// `\r` and `\n` in the text stand for a bare CR and a bare LF, so a scenario can hide a header behind one.
When('{string} sends a message to {string} carrying the header {string}', async function (this: DomsecWorld, from: string, to: string, h: string) {
  const i = h.indexOf(':');
  const unescape = (x: string) => x.replace(/\\r/g, '\r').replace(/\\n/g, '\n');
  await this.send(from, to, [[h.slice(0, i), unescape(h.slice(i + 1).trim())]]);
});

Then('the message in {string} carries no Auth headers', function (this: DomsecWorld, to: string) {
  const m = this.orgOf(to).mailbox(to).filter((x) => x.kind === 'mail').at(-1);
  expectEqual(m ? authLines(m.raw) : ['(no message)'], [], `X-MS-Exchange-Organization-Auth* lines in ${to}`);
});

Then('the Auth headers of the message in {string} are:', function (this: DomsecWorld, to: string, table: { raw(): string[][] }) {
  const m = this.orgOf(to).mailbox(to).filter((x) => x.kind === 'mail').at(-1);
  expectEqual(m?.headers.filter(([n]) => /^X-MS-Exchange-Organization-Auth/i.test(n)) ?? [], table.raw(), `X-MS-Exchange-Organization-Auth* headers in ${to}`);
  // What a mail reader sees: every line of the delivered text that starts an Auth* header, whatever line end precedes it.
  expectEqual(m ? authLines(m.raw) : [], table.raw().map(([n, v]) => `${n}: ${v}`), `X-MS-Exchange-Organization-Auth* lines of the delivered text in ${to}`);
});
