// `domsec shell`: the Exchange Management Shell against a lab organization, in-process or attached to `lab up --dir D`.
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { ALL_COMMANDS, completeLine } from '../orgs/shell/index.js';
import { type CliIo, println } from './cli-io.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { callLab, readEndpoints } from './lab-client.js';
import { resolveLab, startLabSpec } from './lab-file.js';
import { formatOutcome, isDelivered } from './lab-outcome-format.js';
import { type LabShellResult, LabShells } from './lab-shell.js';
import { parseOptions } from './parse-options.js';
import { USAGE } from './usage.js';

type Runner = { run(line: string): Promise<LabShellResult & { prompt?: string }>; prompt: string; close(): Promise<void>; doctorHint?: string };

async function localRunner(arg: string | undefined, seed: string | undefined, org: string | undefined, server: string | undefined, cwd: string): Promise<Runner> {
  const spec = resolveLab(arg, cwd);
  const lab = await startLabSpec(spec, { seed: seed ?? spec.seed ?? spec.lab });
  try {
    const shells = new LabShells(lab);
    shells.org(org); // an unknown organization is a usage error before any prompt
    return { run: (line) => shells.run(line, org, server), prompt: shells.prompt(org, server), close: () => lab.sim.stop() };
  } catch (e) {
    await lab.sim.stop();
    throw e;
  }
}

async function remoteRunner(dir: string, dirArg: string, org: string | undefined, server: string | undefined): Promise<Runner> {
  const endpoints = readEndpoints(dir);
  const call = (line: string) => callLab<LabShellResult & { prompt: string }>(endpoints.control, 'POST', '/shell', { line, ...(org ? { org } : {}), ...(server ? { server } : {}) })
    .then((r) => ({ ...r, deliveries: r.deliveries ?? [] }));
  const first = await call(''); // an empty line does nothing: it checks the organization and fetches the prompt
  return { run: call, prompt: first.prompt, close: async () => undefined, doctorHint: dirArg };
}

export async function shellCommand(args: string[], io: CliIo & { stdin?: NodeJS.ReadableStream }): Promise<ExitCode> {
  const { values, positionals } = parseOptions('shell', args, {
    dir: { type: 'string', short: 'd' }, org: { type: 'string', short: 'o' }, server: { type: 'string' }, seed: { type: 'string' },
    command: { type: 'string', short: 'c', multiple: true },
  }, 1);
  if (values.help) {
    println(io.stdout, USAGE.shell);
    return EXIT.ok;
  }
  const runner = values.dir !== undefined
    ? await remoteRunner(resolve(io.cwd, values.dir), values.dir, values.org, values.server)
    : await localRunner(positionals[0], values.seed, values.org, values.server, io.cwd);
  let failed = false;
  const exec = async (line: string) => {
    const r = await runner.run(line);
    if (r.output) println(r.ok ? io.stdout : io.stderr, r.output);
    failed ||= !r.ok;
    // A line that caused delivery attempts (Retry-Queue, Send-MailMessage) shows what became of them, as lab send does.
    for (const d of r.deliveries) {
      for (const l of formatOutcome(d)) println(io.stdout, l);
      if (!isDelivered(d) && runner.doctorHint !== undefined) println(io.stdout, `Run "domsec doctor --lab ${runner.doctorHint}" for the cause and the fix.`);
    }
  };
  try {
    if (values.command) {
      for (const line of values.command) await exec(line);
      return failed ? EXIT.failures : EXIT.ok;
    }
    const input = io.stdin ?? process.stdin;
    const interactive = (input as { isTTY?: boolean }).isTTY === true;
    // Tab completes cmdlet names, parameters and enum values; the command list is the same in-process and for --dir.
    const rl = createInterface({ input, output: interactive ? io.stdout : undefined, terminal: interactive, ...(interactive ? { completer: (line: string) => completeLine(line, ALL_COMMANDS) } : {}) });
    if (interactive) {
      println(io.stdout, 'Exchange Management Shell (simulated). Type a cmdlet, or "exit".');
      rl.setPrompt(runner.prompt);
      rl.prompt();
    }
    for await (const raw of rl) {
      const line = raw.trim();
      if (/^(exit|quit)$/i.test(line)) break;
      if (line !== '' && !line.startsWith('#')) await exec(line);
      if (interactive) rl.prompt();
    }
    rl.close();
    return failed ? EXIT.failures : EXIT.ok;
  } finally {
    await runner.close();
  }
}
