// Steps that drive the probe client (src/sim/probe-client.ts) against a simulated receiver and read its replies.
import { Then, When } from '@cucumber/cucumber';
import { expectEqual } from '../support/expect.js';
import { probeSpec, type DomsecWorld } from '../support/world.js';

When('a client at the edge address of {string} talks to {string} with:', async function (this: DomsecWorld, from: string, to: string, table: { rowsHash(): Record<string, string> }) {
  await this.runProbe(from, to, probeSpec(table.rowsHash()));
});

Then('the reply to {string} is {string}', function (this: DomsecWorld, command: string, reply: string) {
  expectEqual(this.probe!.replyTo(command)?.reply ?? '(not sent)', reply, `reply to ${command}`);
});

Then('the client was {word} STARTTLS', function (this: DomsecWorld, offered: string) {
  expectEqual(this.probe!.starttlsOffered, offered === 'offered', 'STARTTLS in the EHLO reply');
});

Then('the commands sent were {string}', function (this: DomsecWorld, commands: string) {
  expectEqual(this.probe!.replies.map((r) => r.command.split(/[ :]/)[0]).join(', '), commands, 'commands of the probe session');
});
