// `domsec doctor`: reads evidence (a scenario result, a lab session or an evidence file) and prints doctor's findings.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DomsecError } from '../errors.js';
import { CHECKLIST, type Finding } from '../report/doctor-checklist.js';
import { currentHops, diagnose } from '../report/doctor.js';
import { findRule, ruleWithStatement } from '../rules/catalogue.js';
import { RESULTS_SCHEMA_VERSION, type RunResult, type ScenarioResult } from '../report/run-result.js';
import { latestRunDir } from '../report/write-report.js';
import type { HopEvidence, QueueSnapshot } from '../sim/index.js';
import { type CliIo, println } from './cli-io.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { parseOptions } from './parse-options.js';
import { USAGE } from './usage.js';

interface Case {
  title: string;
  hops: HopEvidence[];
  queues: QueueSnapshot[][];
  /** A scenario that ended in a harness error: its cause, which is no delivery problem for doctor to explain. */
  harnessError?: string;
}

function readJson(file: string, what: string): unknown {
  if (!existsSync(file)) throw new DomsecError('ERR_USAGE', `domsec doctor: ${what} ${file} does not exist.`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DomsecError('ERR_USAGE', `domsec doctor: ${file} is not JSON (${(e as Error).message}).`);
  }
}

function evidenceCase(value: unknown, title: string): Case {
  const v = value as { hops?: HopEvidence[]; queues?: QueueSnapshot[][] } | HopEvidence[];
  const hops = Array.isArray(v) ? v : v?.hops;
  if (!Array.isArray(hops)) throw new DomsecError('ERR_USAGE', `domsec doctor: ${title} holds no "hops" list of HopEvidence.`);
  return { title, hops, queues: Array.isArray(v) ? [] : (v.queues ?? []) };
}

function scenarioCases(run: RunResult, which: string | undefined): Case[] {
  if (run.schemaVersion !== RESULTS_SCHEMA_VERSION) throw new DomsecError('ERR_USAGE', `domsec doctor: results.json has schema version ${String(run.schemaVersion)}; this domsec reads ${RESULTS_SCHEMA_VERSION}.`);
  const pick = (s: ScenarioResult) => which === undefined ? s.status === 'fail' || s.expectation.changed : s.name === which || s.id === which || s.dsIds.includes(which);
  const chosen = run.scenarios.filter(pick);
  if (which !== undefined && chosen.length === 0) throw new DomsecError('ERR_USAGE', `domsec doctor: no scenario in run ${run.runId} is named "${which}" or has that id or DS ID.`);
  return chosen.map((s) => ({
    title: `${s.id} ${s.name} [${s.dsIds.join(' ')}] (${s.outcome})`, hops: s.evidence.hops, queues: s.evidence.queues,
    ...(s.status === 'harness-error' ? { harnessError: (s.error ?? 'the scenario could not be judged').split('\n')[0] } : {}),
  }));
}

export function formatFinding(f: Finding, n: number): string[] {
  const c = CHECKLIST[f.check];
  return [
    `  ${n}. [${f.dsRule}] ${c.title}: fix in ${f.org}${f.hop ? ` (${f.hop})` : ''}`,
    `     ${f.finding}`,
    ...(findRule(f.dsRule) ? [`     Rule: ${ruleWithStatement(f.dsRule)}`] : []),
    `     Checklist: ${c.text}`,
    ...f.fix.map((line, i) => `     ${i === 0 ? 'Fix:' : '    '} ${line}`),
  ];
}

/** A problem a later attempt no longer met: one line, so the student sees the fix worked. */
export function formatFixed(f: Finding): string {
  return `  fixed: [${f.dsRule}] ${CHECKLIST[f.check].title} in ${f.org}${f.hop ? ` (${f.hop})` : ''}: ${f.fixedBy} delivered the message(s) afterwards`;
}

export async function doctorCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseOptions('doctor', args, {
    results: { type: 'string', short: 'r' }, scenario: { type: 'string', short: 's' }, lab: { type: 'string', short: 'l' },
    evidence: { type: 'string', short: 'e' }, json: { type: 'boolean' },
  });
  if (values.help) {
    println(io.stdout, USAGE.doctor);
    return EXIT.ok;
  }
  const sources = [values.results, values.lab, values.evidence].filter((x) => x !== undefined).length;
  if (sources > 1) throw new DomsecError('ERR_USAGE', 'domsec doctor: give one of --results, --lab and --evidence.');
  let cases: Case[];
  if (values.lab !== undefined) {
    const file = join(resolve(io.cwd, values.lab), 'evidence.json');
    cases = [evidenceCase(readJson(file, 'the lab session evidence'), `lab session ${values.lab}`)];
  } else if (values.evidence !== undefined) {
    cases = [evidenceCase(readJson(resolve(io.cwd, values.evidence), 'the evidence file'), values.evidence)];
  } else {
    // reports/latest is a link to the newest run, or (without links) a folder naming it in run-id.txt.
    const file = values.results !== undefined ? resolve(io.cwd, values.results) : join(latestRunDir(resolve(io.cwd, 'reports')) ?? resolve(io.cwd, 'reports', 'latest'), 'results.json');
    cases = scenarioCases(readJson(file, 'the results file') as RunResult, values.scenario);
  }
  // Each message is judged by its latest attempt: a failure a later attempt delivered is shown as fixed, not as current.
  const results = cases.map((c) => {
    const all = diagnose(c);
    return { ...c, findings: all.filter((f) => !f.fixedBy), fixed: all.filter((f) => f.fixedBy), failedHops: currentHops(c.hops) };
  });
  if (values.json) {
    println(io.stdout, JSON.stringify(results.map(({ title, findings, fixed }) => ({ title, findings, fixed })), null, 2));
  } else {
    if (results.length === 0) println(io.stdout, 'No failed delivery to look at: every scenario in the results passed or was expected.');
    for (const r of results) {
      println(io.stdout, r.title);
      if (r.harnessError) println(io.stdout, `  Harness error: ${r.harnessError}. Not a delivery problem: fix the step definitions or support code (docs/report.md).`);
      if (r.findings.length > 0) r.findings.forEach((f, i) => formatFinding(f, i + 1).forEach((l) => println(io.stdout, l)));
      else if (r.failedHops.length > 0) {
        println(io.stdout, '  No checklist item explains this failure. The last replies were:');
        for (const h of r.failedHops) println(io.stdout, `    ${h.id} ${h.from.org} → ${h.to.org ?? h.to.host}: ${h.result} ${h.reply ?? ''}`);
      }
      for (const f of r.fixed) println(io.stdout, formatFixed(f));
      if (r.findings.length === 0 && r.failedHops.length === 0 && !r.harnessError) {
        println(io.stdout, r.fixed.length > 0
          ? '  No current problem: the latest attempt of every message was delivered.'
          : '  No problem found in the evidence (every hop delivered, both sides configured).');
      }
    }
  }
  return results.some((r) => r.findings.length > 0 || r.failedHops.length > 0) ? EXIT.failures : EXIT.ok;
}
