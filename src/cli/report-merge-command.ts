// `domsec report merge DIR… [--out D]`: the report folders of a run's shards (`domsec run --shard i/n`) as one report.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DomsecError, isDomsecError } from '../errors.js';
import { type MergeInput, mergeRuns } from '../report/merge-runs.js';
import { checkRunId, makeRunId } from '../report/run-id.js';
import { type RunResult, runSucceeded } from '../report/run-result.js';
import { checkKeep, latestRunDir, writeReport } from '../report/write-report.js';
import { type CliIo, println, shownPath } from './cli-io.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { ensureWritableDir, outputDirError } from './output-dir.js';
import { parseOptions } from './parse-options.js';
import { summaryLines } from './run-progress.js';
import { USAGE } from './usage.js';

const OPTIONS = {
  out: { type: 'string' },
  'run-id': { type: 'string' },
  keep: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

/** A run folder (holding results.json), or a report root whose latest/ is one (what a CI artefact often holds). */
function readRun(cwd: string, dir: string): MergeInput & { dir: string } {
  const abs = resolve(cwd, dir);
  const runDir = existsSync(join(abs, 'results.json')) ? abs : latestRunDir(abs);
  const file = runDir !== undefined ? join(runDir, 'results.json') : undefined;
  if (file === undefined || !existsSync(file)) {
    throw new DomsecError('ERR_MERGE_INPUT', `domsec report merge: ${dir} holds no results.json (nor latest/results.json): give each shard's report folder, reports/<run-id>, as "domsec run --shard i/n" wrote it.`);
  }
  try {
    return { from: dir, dir: runDir!, run: JSON.parse(readFileSync(file, 'utf8')) as RunResult };
  } catch (e) {
    throw new DomsecError('ERR_MERGE_INPUT', `domsec report merge: ${shownPath(cwd, file)} is not readable JSON (${(e as Error).message}): copy the shard's report folder again.`);
  }
}

export async function reportMergeCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseOptions('report merge', args, OPTIONS, Number.MAX_SAFE_INTEGER);
  if (values.help) {
    println(io.stdout, USAGE['report merge']);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new DomsecError('ERR_USAGE', 'domsec report merge: give the report folders to merge, one per shard, e.g. "domsec report merge shard-1 shard-2 shard-3".');
  const keep = checkKeep(values.keep);
  const outDir = resolve(io.cwd, values.out ?? 'reports');
  const inputs = positionals.map((d) => readRun(io.cwd, d));
  const seed = inputs[0].run.seed;
  const run = mergeRuns(inputs, values['run-id'] !== undefined ? checkRunId(values['run-id']) : makeRunId(seed, io.now()));
  ensureWritableDir('report merge', outDir, shownPath(io.cwd, outDir), '--out');
  // Each shard's raw cucumber stream goes along under its run id: they are separate cucumber runs, not one stream.
  const extra: Record<string, Uint8Array> = {};
  for (const i of inputs) {
    const raw = join(i.dir, 'cucumber.ndjson.gz');
    if (existsSync(raw)) extra[`cucumber-${i.run.runId}.ndjson.gz`] = readFileSync(raw);
  }
  let written;
  try {
    written = writeReport(run, outDir, extra, { keep });
  } catch (e) {
    if (isDomsecError(e)) throw e;
    throw outputDirError('report merge', shownPath(io.cwd, outDir), '--out', e);
  }
  const rel = (p: string) => shownPath(io.cwd, p);
  if (!values.quiet) println(io.stdout, `domsec report merge: ${inputs.length} run(s) (${run.mergedFrom?.join(', ')}) into ${written.runId}`);
  for (const line of summaryLines({ ...run, runId: written.runId }, rel(written.runDir), rel(written.latestDir))) println(io.stdout, line);
  return runSucceeded(run) ? EXIT.ok : EXIT.failures;
}

/** `domsec report <subcommand>`: merge is the one there is. */
export async function reportCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const [sub, ...rest] = args;
  if (sub === 'merge') return reportMergeCommand(rest, io);
  if (sub === undefined || sub === '--help' || sub === '-h') {
    println(sub === undefined ? io.stderr : io.stdout, USAGE['report merge']);
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  throw new DomsecError('ERR_USAGE', `domsec report: "${sub}" is not a report command; the one there is: "domsec report merge DIR…".`);
}
