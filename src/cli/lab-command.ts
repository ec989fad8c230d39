// `domsec lab [lab-file]`: starts a lab, sends its messages, waits for them to settle, prints each outcome and stops.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { insideDir } from '../sim/index.js';
import { type CliIo, println, shownPath } from './cli-io.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { type LabMessage, resolveLab, startLabSpec } from './lab-file.js';
import { formatOutcome, isDelivered, messageOutcome } from './lab-outcome.js';
import { isAlive } from './lab-lock.js';
import { ensureWritableDir } from './output-dir.js';
import { parseOptions } from './parse-options.js';
import { USAGE } from './usage.js';

/** How many finished one-shot runs of a lab keep their logs in reports/lab-<name>/. */
export const KEEP_LAB_RUNS = 5;

/** `20260302T090000-12345`: sorts by time, names its process (a running one is never pruned); `-2`… within one process. */
function runFolderName(root: string, now: Date): string {
  const base = `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '')}-${process.pid}`;
  let name = base;
  for (let n = 2; existsSync(path.join(root, name)); n++) name = `${base}-${n}`;
  return name;
}

/** Older finished runs beyond KEEP_LAB_RUNS go; folders of processes that still run stay, whatever their age. */
function pruneLabRuns(root: string, own: string): void {
  const runs = readdirSync(root).filter((n) => /^\d{8}T\d{6}-\d+(-\d+)?$/.test(n)).sort().reverse();
  for (const name of runs.slice(KEEP_LAB_RUNS)) {
    const pid = Number(name.split('-')[1]);
    if (name !== own && !isAlive({ pid })) rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

export async function labCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseOptions('lab', args, { seed: { type: 'string' }, json: { type: 'boolean' } }, 1);
  if (values.help) {
    println(io.stdout, USAGE.lab);
    return EXIT.ok;
  }
  const spec = resolveLab(positionals[0], io.cwd);
  const seed = values.seed ?? spec.seed ?? spec.lab;
  // Protocol logs stay on disk after the run (reports/ is git-ignored) so they can be read afterwards, in a folder of
  // this run's own: two `domsec lab` at once in one checkout must not delete each other's logs.
  const labRoot = insideDir(path.join(io.cwd, 'reports'), `lab-${spec.lab}`);
  const own = runFolderName(labRoot, io.now());
  const logRoot = path.join(labRoot, own, 'logs');
  ensureWritableDir('lab', logRoot, shownPath(io.cwd, logRoot), 'a writable working folder (reports/ below it)');
  pruneLabRuns(labRoot, own);
  const lab = await startLabSpec(spec, { seed, logRoot });
  try {
    const messages: LabMessage[] = spec.messages ?? lab.probes.map((p) => ({ from: p.from, to: [p.to], subject: `Domain Security test from ${p.from}` }));
    const sent: { messageId: string; from: string; to: string[] }[] = [];
    for (const m of messages) {
      const sender = lab.sim.org(m.from.slice(m.from.indexOf('@') + 1));
      sent.push({ messageId: await sender.send({ from: m.from, to: m.to, subject: m.subject ?? 'Domain Security test', body: m.body ?? 'Sent by domsec lab.' }), from: m.from, to: m.to });
    }
    await lab.sim.settle();
    const outcomes = sent.map((m) => messageOutcome(lab.sim, m));
    if (values.json) {
      println(io.stdout, JSON.stringify({ lab: spec.lab, seed, outcomes, counters: Object.fromEntries(Object.entries(lab.orgs).map(([d, o]) => [d, o.counters()])) }, null, 2));
    } else {
      println(io.stdout, `lab ${spec.lab} (seed ${seed}): ${Object.keys(lab.orgs).join(' ↔ ')}`);
      for (const o of outcomes) for (const line of formatOutcome(o)) println(io.stdout, line);
      println(io.stdout, `protocol logs: ${path.relative(io.cwd, logRoot) || logRoot}/<domain>/<edge>/ProtocolLog/{SmtpSend,SmtpReceive}/`);
      const ok = outcomes.filter(isDelivered).length;
      println(io.stdout, `${ok} of ${outcomes.length} messages delivered${ok < outcomes.length ? '; "domsec lab up" keeps the lab running and "domsec doctor --lab DIR" explains a failure' : ''}`);
    }
    return outcomes.every(isDelivered) ? EXIT.ok : EXIT.failures;
  } finally {
    await lab.sim.stop();
  }
}
