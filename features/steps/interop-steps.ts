// Steps that read an organization through World.party(), so they hold whether a simulated edge or a real MTA plays it (features/interop).
import { Then, When } from '@cucumber/cucumber';
import { awaitDecisions } from '../../src/peers/index.js';
import { expectEqual } from '../support/expect.js';
import type { DomsecWorld } from '../support/world.js';

const domainOf = (address: string) => address.split('@')[1];

Then('{string} receives {int} message(s) marked Domain Secured from partner {string}', async function (this: DomsecWorld, to: string, n: number, partner: string) {
  const mail = await this.party(domainOf(to)).mail(to, n);
  expectEqual(mail.map((m) => [m.domainSecured, m.authAs, m.authDomain]), Array(n).fill([true, 'Partner', partner]), `[Domain Secured, AuthAs, AuthDomain] of the mail in ${to} (${this.party(domainOf(to)).implementation})`);
});

Then('{string} receives no mail', async function (this: DomsecWorld, address: string) {
  expectEqual((await this.party(domainOf(address)).mail(address)).map((m) => m.subject), [], `mail in ${address}`);
});

Then('the message from {string} to {string} stays queued at the sender', async function (this: DomsecWorld, from: string, to: string) {
  const queued = await this.party(domainOf(from)).queued(domainOf(to));
  expectEqual(queued.some((q) => q.recipient.toLowerCase() === to.toLowerCase()), true, `${to} among the recipients queued at ${domainOf(from)}: ${JSON.stringify(queued)}`);
});

Then('{string} decided {string}', async function (this: DomsecWorld, org: string, rules: string) {
  const want = rules.split(/\s*,\s*/);
  const seen = await awaitDecisions(this.party(org), want);
  expectEqual(want.filter((r) => !seen.includes(r)), [], `DS rules missing from the decisions of ${org} (${this.party(org).implementation}; it decided ${seen.join(', ') || 'nothing'})`);
});

Then('the log of {string} shows the verified client certificate of {string}', async function (this: DomsecWorld, org: string, partner: string) {
  const p = this.org(partner).edge();
  const lines = await this.party(org).verifiedClientCertificate(p.model.fqdn, p.address);
  if (!lines.observable) return this.notObservable(lines.reason);
  expectEqual(lines.value.length > 0, true, `a line in the log of ${org} (${this.party(org).implementation}) showing the verified client certificate of ${p.model.fqdn}`);
  this.log(`verified client certificate, ${org}'s log:\n${lines.value.slice(0, 3).join('\n')}`);
});

Then('the reply to {string} has the code {string}', function (this: DomsecWorld, command: string, code: string) {
  const reply = this.probe!.replyTo(command)?.reply ?? '(not sent)';
  expectEqual(reply.slice(0, code.length), code, `code of the reply to ${command} (${reply})`);
});

Then('the Domain Secure counters of {string} are:', function (this: DomsecWorld, org: string, table: { rowsHash(): Record<string, string> }) {
  const c = this.party(org).counters();
  if (!c.observable) return this.notObservable(c.reason);
  for (const [name, value] of Object.entries(table.rowsHash())) expectEqual(c.value[name], Number(value), `counter ${name} of ${org}`);
});

Then('the wording is Exchange\'s: the reply to {string} is {string}', function (this: DomsecWorld, command: string, reply: string) {
  return this.expectExchangeWording(this.probe!.replyTo(command)?.reply ?? '(not sent)', reply, `reply to ${command}`, [this.probeTarget ?? '']);
});

Then('the wording is Exchange\'s: the last error of the message from {string} to {string} contains {string}', async function (this: DomsecWorld, from: string, to: string, text: string) {
  const q = (await this.party(domainOf(from)).queued(domainOf(to))).find((x) => x.recipient.toLowerCase() === to.toLowerCase());
  return this.expectExchangeWording(q?.lastError ?? '(not queued)', text, `last error of the message from ${from} to ${to}`, [domainOf(from), domainOf(to)], 'contains');
});

When('{string} forces a retry of its queue to {string}', async function (this: DomsecWorld, org: string, domain: string) {
  await this.party(org).retryQueue(domain);
});
