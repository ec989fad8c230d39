// Steps that configure organizations the administrators' way: cmdlet lines in the management shell.
import { Given, Then } from '@cucumber/cucumber';
import { ManagementShell, MemoryFileSystem, type ShellResult } from '../../src/orgs/shell/index.js';
import { simShellRuntime, startCmdletLab } from '../../src/sim/index.js';
import { expectContains, expectEqual } from '../support/expect.js';
import type { DomsecWorld } from '../support/world.js';

interface Console { shell: ManagementShell; results: ShellResult[] }
const consoles = new WeakMap<DomsecWorld, Map<string, Console>>();

function consoleOf(world: DomsecWorld, domain: string): Console {
  const all = consoles.get(world) ?? new Map<string, Console>();
  consoles.set(world, all);
  let c = all.get(domain);
  if (!c) {
    const org = world.org(domain);
    c = { shell: new ManagementShell(org.model, { runtime: simShellRuntime(world.sim!, org, new MemoryFileSystem()) }), results: [] };
    all.set(domain, c);
  }
  return c;
}

function lastResults(world: DomsecWorld): ShellResult[] {
  return [...(consoles.get(world)?.values() ?? [])].flatMap((c) => c.results);
}

Given('the documented lab {string} is built purely by cmdlets', async function (this: DomsecWorld, name: string) {
  const lab = await startCmdletLab(name, { seed: this.seed(), ...this.keyOptions() });
  this.lab = lab;
  this.sim = lab.sim;
  const all = new Map<string, Console>(Object.entries(lab.shells).map(([d, shell]) => [d, { shell, results: lab.transcripts[d] }]));
  consoles.set(this, all);
});

Given('the {word} administrator runs:', async function (this: DomsecWorld, domain: string, script: string) {
  const c = consoleOf(this, domain);
  c.results = await c.shell.runScript(script);
});

Then('every command succeeded', function (this: DomsecWorld) {
  const failed = lastResults(this).filter((r) => !r.ok).map((r) => `${r.line} → ${r.error?.message}`);
  expectEqual(failed, [], 'failed shell commands');
});

Then('the command {string} failed with:', function (this: DomsecWorld, line: string, message: string) {
  const r = lastResults(this).filter((x) => x.line.trim() === line.trim()).pop(); // the latest run of that line
  expectEqual(r?.ok, false, `whether "${line}" failed`);
  expectContains(r!.output, message, `error of "${line}"`);
});

Then('the output of {string} contains:', function (this: DomsecWorld, line: string, text: string) {
  const r = lastResults(this).filter((x) => x.line.trim() === line.trim()).pop(); // the latest run of that line
  expectEqual(r?.ok, true, `whether "${line}" succeeded (${r?.error?.message ?? ''})`);
  for (const needle of text.split('\n').map((l) => l.trim()).filter(Boolean)) expectContains(r!.output, needle, `output of "${line}"`);
});
