// `domsec run`: runs the cucumber catalogue in-process through @cucumber/cucumber/api, prints progress, writes the reports.
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Writable } from 'node:stream';
import { DomsecError } from '../errors.js';
import { CucumberRunCollector } from '../report/collect-cucumber-messages.js';
import type { Envelope } from '../report/cucumber-envelope.js';
import { applicableExpectations, loadExpectations } from '../report/expectations.js';
import { checkRunId, makeRunId } from '../report/run-id.js';
import { runSucceeded } from '../report/run-result.js';
import { checkKeep, writeReport } from '../report/write-report.js';
import { type CliIo, println, shownPath } from './cli-io.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { parseOptions } from './parse-options.js';
import { newProgress, progressLine, summaryLines } from './run-progress.js';
import { USAGE } from './usage.js';

export const DEFAULT_SEED = 'domsec';

/** cucumber's own stdout formatter would interleave with our progress lines; its output goes nowhere. */
function sink(): Writable {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}

/** cucumber wraps the real problem (a syntax error, a missing module) in its cause: show both. */
function configError(message: string, cause: unknown): DomsecError {
  const chain: string[] = [];
  for (let e = cause as { message?: string; cause?: unknown } | undefined; e && chain.length < 3; e = e.cause as typeof e) {
    if (e.message) chain.push(e.message.split('\n')[0].trim());
  }
  return new DomsecError('ERR_USAGE', `domsec run: ${message}: ${chain.join(': ') || String(cause)}`, undefined, { cause });
}

export async function runCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseOptions('run', args, {
    tags: { type: 'string', short: 't' },
    profile: { type: 'string', short: 'p', multiple: true },
    seed: { type: 'string' },
    'run-id': { type: 'string' },
    out: { type: 'string' },
    expectations: { type: 'string' },
    config: { type: 'string', short: 'c' },
    name: { type: 'string', multiple: true },
    quiet: { type: 'boolean', short: 'q' },
    keep: { type: 'string' },
  }, Number.MAX_SAFE_INTEGER);
  if (values.help) {
    println(io.stdout, USAGE.run);
    return EXIT.ok;
  }
  const seed = values.seed ?? DEFAULT_SEED;
  const runId = values['run-id'] !== undefined ? checkRunId(values['run-id']) : makeRunId(seed, io.now());
  const outDir = resolve(io.cwd, values.out ?? 'reports');
  const keep = checkKeep(values.keep);
  const expectationsFile = resolve(io.cwd, values.expectations ?? 'expectations.json');
  if (values.expectations !== undefined && !existsSync(expectationsFile)) {
    throw new DomsecError('ERR_USAGE', `domsec run: the expectations file ${values.expectations} does not exist.`);
  }
  const expectations = loadExpectations(expectationsFile);
  const configFile = values.config !== undefined ? resolve(io.cwd, values.config) : undefined;
  if (configFile !== undefined && !existsSync(configFile)) throw new DomsecError('ERR_USAGE', `domsec run: the configuration file ${values.config} does not exist.`);
  const profiles = values.profile ?? [];

  const api = await import('@cucumber/cucumber/api');
  const environment = { cwd: io.cwd, stdout: sink(), stderr: io.stderr, env: io.env };
  let runConfiguration;
  try {
    ({ runConfiguration } = await api.loadConfiguration({
      // cucumber joins the file to cwd itself, so it must be relative.
      file: configFile !== undefined ? relative(io.cwd, configFile) : undefined,
      profiles,
      provided: {
        worldParameters: { seed, runId },
        ...(values.tags !== undefined ? { tags: values.tags } : {}),
        ...(values.name !== undefined ? { name: values.name } : {}),
      },
    }, environment));
  } catch (e) {
    throw configError('the cucumber configuration could not be loaded', e);
  }
  // Paths from the command line replace the configured ones (cucumber would add them).
  if (positionals.length > 0) runConfiguration.sources.paths = positionals;

  const started = Date.now();
  const state = newProgress();
  const messages: string[] = [];
  let runStarted = false;
  const collector = new CucumberRunCollector({
    // Entries scoped to another profile (a real MTA's divergences) do not concern this run.
    expectations: applicableExpectations(expectations, profiles),
    onScenario: (s, p) => {
      if (!values.quiet) println(io.stdout, progressLine(s, p.done, p.total, state, Date.now() - started));
    },
  });
  const onMessage = (m: Envelope) => {
    messages.push(JSON.stringify(m));
    if (m.testRunStarted) runStarted = true;
    collector.accept(m);
  };
  if (!values.quiet) println(io.stdout, `domsec run ${runId}${values.tags ? ` --tags "${values.tags}"` : ''}${profiles.length ? ` --profile ${profiles.join(',')}` : ''}`);
  try {
    await api.runCucumber(runConfiguration, environment, onMessage as Parameters<typeof api.runCucumber>[2]);
  } catch (e) {
    // Before the run starts, a throw is the configuration's fault (bad tag expression, missing support code): exit 2.
    if (!runStarted) throw configError('the scenarios could not be loaded', e);
    collector.accept({ testRunFinished: { success: false, timestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 }, message: (e as Error).message } });
  }
  const run = collector.finish({ runId, seed, selection: { ...(values.tags ? { tags: values.tags } : {}), profiles } });
  // The raw stream repeats every evidence attachment: gzip makes it a tenth of its size (docs/report.md).
  const written = writeReport(run, outDir, { 'cucumber.ndjson.gz': gzipSync(`${messages.join('\n')}\n`) }, { keep });
  const rel = (p: string) => shownPath(io.cwd, p);
  for (const line of summaryLines({ ...run, runId: written.runId }, rel(written.runDir), rel(written.latestDir))) println(io.stdout, line);
  if (written.pruned.length > 0) println(io.stdout, `Removed ${written.pruned.length} older run folder(s) (--keep ${keep}): ${written.pruned.join(', ')}`);
  return runSucceeded(run) ? EXIT.ok : EXIT.failures;
}
