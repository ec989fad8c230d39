// `domsec run`: runs the cucumber catalogue in-process through @cucumber/cucumber/api, prints progress, writes the reports.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { DomsecError, isDomsecError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { CucumberRunCollector } from '../report/collect-cucumber-messages.js';
import type { Envelope } from '../report/cucumber-envelope.js';
import { applicableExpectations, loadExpectations } from '../report/expectations.js';
import { checkRunId, makeRunId } from '../report/run-id.js';
import { type RunResult, runSucceeded } from '../report/run-result.js';
import { checkKeep, writeReport } from '../report/write-report.js';
import { type CliIo, println, shownPath } from './cli-io.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { ensureWritableDir, outputDirError } from './output-dir.js';
import { parseOptions } from './parse-options.js';
import { type ProfileRun, mergeProfileRuns } from './run-profiles.js';
import { newProgress, progressLine, summaryLines } from './run-progress.js';
import { configError } from './cucumber-error.js';
import { type Part, planCommand } from './run-plan.js';
import { checkSelection } from './run-selection.js';
import { RunStop, listenForSignals, signalExit } from './run-stop.js';
import { StopFile, parseParallel, withWorkerSetup, workersFor } from './run-parallel.js';
import { loadRunSupport } from './run-support.js';
import { configMayLoadTypeScript } from './config-typescript.js';
import { claimTypeScript, ensureTypeScriptLoader } from './typescript-loader.js';
import { runWorkerZeroInProcess } from './in-process-worker.js';
import { parseShard, shardScenarios } from './run-shard.js';
import { WORKER_V8_FLAGS_ENV, givenWorkerV8Flags, workerV8Flags } from './worker-v8-flags.js';
import { USAGE } from './usage.js';

export const DEFAULT_SEED = 'domsec';

const NATIVE_MATCH_INDICES = fileURLToPath(new URL('./native-match-indices.cjs', import.meta.url));

/** The workers' NODE_OPTIONS: the user's, and native-match-indices.cjs required first. */
function withNativeMatchIndices(given: string | undefined): string {
  return `${given ?? ''} --require ${JSON.stringify(NATIVE_MATCH_INDICES)}`.trim();
}

type Api = typeof import('@cucumber/cucumber/api');
type RunConfiguration = Awaited<ReturnType<Api['loadConfiguration']>>['runConfiguration'];

/** cucumber's own stdout formatter would interleave with our progress lines; its output goes nowhere. */
function sink(): Writable {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}

const OPTIONS = {
  tags: { type: 'string', short: 't' },
  profile: { type: 'string', short: 'p', multiple: true },
  seed: { type: 'string' },
  'run-id': { type: 'string' },
  out: { type: 'string' },
  expectations: { type: 'string' },
  config: { type: 'string', short: 'c' },
  name: { type: 'string', multiple: true },
  list: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'fail-fast': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  keep: { type: 'string' },
  parallel: { type: 'string', short: 'j' },
  shard: { type: 'string' },
} as const;


export async function runCommand(args: string[], io: CliIo): Promise<ExitCode> {
  // The catalogue against an outside MTA is not cucumber's: its own options (docs/external-mta.md).
  if (args.some((a) => a === '--external' || a.startsWith('--external='))) {
    await ensureTypeScriptLoader();
    const { runExternalCommand } = await import('./run-external-command.js');
    const { version } = await import('./main.js');
    return runExternalCommand(args, io, { name: 'domsec', version: version() });
  }
  const { values, positionals } = parseOptions('run', args, OPTIONS, Number.MAX_SAFE_INTEGER);
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
  const planOnly = values.list === true || values['dry-run'] === true;
  const parallel = parseParallel(values.parallel);
  const givenWorkerFlags = givenWorkerV8Flags(io.env);
  const shard = parseShard(values.shard);

  // Before cucumber loads, in this process and (NODE_OPTIONS) in its workers: native-match-indices.cjs.
  createRequire(import.meta.url)(NATIVE_MATCH_INDICES);
  // tsx only for a configuration that can import TypeScript (config-typescript.ts); the support code decides later.
  if (configMayLoadTypeScript(configFile, io.cwd)) await ensureTypeScriptLoader();
  else claimTypeScript();
  const api = await import('@cucumber/cucumber/api');
  const environment = { cwd: io.cwd, stdout: sink(), stderr: io.stderr, env: io.env };
  // Several profiles run one after the other, each alone: cucumber would merge them into one (the last one's paths
  // and World parameters with every profile's expectations), which is neither run.
  const parts: Part[] = [];
  for (const unit of profiles.length > 1 ? profiles.map((p) => [p]) : [profiles]) {
    let configuration: RunConfiguration;
    try {
      ({ runConfiguration: configuration } = await api.loadConfiguration({
        // cucumber joins the file to cwd itself, so it must be relative.
        file: configFile !== undefined ? relative(io.cwd, configFile) : undefined,
        profiles: unit,
        provided: {
          worldParameters: { seed, runId },
          ...(values.tags !== undefined ? { tags: values.tags } : {}),
          ...(values.name !== undefined ? { name: values.name } : {}),
        },
      }, environment));
    } catch (e) {
      const error = configError('the cucumber configuration could not be loaded', e);
      const asked = /Requested profile "([^"]+)" doesn't exist/.exec(error.message)?.[1];
      const hint = asked ? didYouMean(asked, await profileNames(resolve(io.cwd, configFile ?? 'cucumber.mjs'))) : '';
      if (hint) error.message += `.${hint}`;
      throw error;
    }
    // Paths from the command line replace the configured ones (cucumber would add them).
    if (positionals.length > 0) configuration.sources.paths = positionals;
    let planned: number;
    try {
      planned = await checkSelection(api, configuration.sources, environment, {
        cwd: io.cwd, configGiven: configFile !== undefined, paths: positionals, ...(values.tags !== undefined ? { tags: values.tags } : {}),
        ...(values.name !== undefined ? { names: values.name } : {}), ...(unit.length === 1 && profiles.length > 1 ? { profile: unit[0] } : {}),
      });
    } catch (e) {
      if (isDomsecError(e)) throw e;
      throw configError('the scenarios could not be loaded', e); // a tag expression that does not parse
    }
    if (shard) {
      // This shard's scenarios by file and line; the tag and name filters still apply and select the same ones.
      const mine = shardScenarios((await api.loadSources(configuration.sources, environment)).plan, shard);
      configuration.sources.paths = mine.map((p) => `${p.uri}:${p.location.line}`);
      planned = mine.length;
    }
    parts.push({ ...(unit.length === 1 ? { profile: unit[0] } : {}), profiles: unit, configuration, planned });
  }
  // A real MTA listens on the lab's loopback addresses: two of its scenarios at once would take the same ones.
  const partWorkers = parts.map((p) => (planOnly || usesRealMta(p.configuration) ? 0 : workersFor(parallel, p.planned)));
  const mostWorkers = Math.max(...partWorkers);
  const workerFlags = workerV8Flags(mostWorkers, availableParallelism(), givenWorkerFlags);
  // With workers this process is worker 0 (in-process-worker.ts), as busy as they are: it takes their V8 flags, before
  // the support code loads. Measured on 2 cores, 4 alternated rounds: --parallel 2 5.06 → 4.65 s, CPU 8.7 → 7.9 s.
  if (mostWorkers > 0 && workerFlags !== '') setFlagsFromString(workerFlags);
  // Support code is ES modules: imported once per process, so a second runCucumber would find no step definitions.
  // It is loaded once and the library handed to every profile's run (they must load the same files).
  const { library: support, bundle } = await loadSharedSupport(api, parts, environment);
  // Workers import the support code themselves, after domsec's worker setup: the same bundle, or the files through tsx.
  const workerSupport = withWorkerSetup(support, bundle);
  parts.forEach((part, i) => {
    const workers = partWorkers[i];
    part.configuration = {
      ...part.configuration, support: workers > 0 ? workerSupport : support, runtime: { ...part.configuration.runtime, parallel: workers },
    } as RunConfiguration;
  });
  // A shard can hold none of a profile's scenarios: that part runs nothing (empty paths would mean cucumber's defaults).
  if (planOnly) return planCommand(api, parts.filter((p) => p.planned > 0), environment, io, values.list === true, expectations);
  // Before the first scenario: a folder that cannot take the report must not cost a whole run.
  ensureWritableDir('run', outDir, shownPath(io.cwd, outDir), '--out');

  const started = Date.now();
  const stop = new RunStop();
  const stopFile = mostWorkers > 0 ? new StopFile() : undefined;
  if (stopFile) stop.onStop = (r) => stopFile.write(r.kind);
  const runEnvironment = stopFile
    ? { ...environment, env: { ...io.env, DOMSEC_STOP_FILE: stopFile.path, [WORKER_V8_FLAGS_ENV]: workerFlags, NODE_OPTIONS: withNativeMatchIndices(io.env.NODE_OPTIONS) } }
    : environment;
  const dispose = listenForSignals(stop, (signal) => {
    println(io.stderr, `\n${signal}: stopping after the running scenario, then writing the report of the finished ones (${signal === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'} again stops at once).`);
  });
  const results: ProfileRun[] = [];
  const messages: string[] = [];
  let planned = 0;
  try {
    if (!values.quiet) println(io.stdout, `domsec run ${runId}${values.tags ? ` --tags "${values.tags}"` : ''}${profiles.length ? ` --profile ${profiles.join(',')}` : ''}${shard ? ` --shard ${shard.index}/${shard.total}` : ''}`);
    for (const part of parts) {
      planned += part.planned;
      if (stop.reason) continue; // planned but never started: the report says how many
      const meta = { runId, seed, selection: { ...(values.tags ? { tags: values.tags } : {}), profiles } };
      if (part.planned === 0) { // this shard has none of this part's scenarios
        // With the expectations, so an entry is "unused" here as in any shard that did not meet its scenario.
        const none = new CucumberRunCollector({ expectations: applicableExpectations(expectations, part.profiles) }).finish(meta);
        results.push({ ...(part.profile !== undefined && parts.length > 1 ? { profile: part.profile } : {}), run: { ...none, startedAt: new Date().toISOString(), finishedAt: new Date().toISOString() } });
        continue;
      }
      if (!values.quiet && parts.length > 1) println(io.stdout, `profile ${part.profile}:`);
      const state = newProgress();
      let runStarted = false;
      const collector = new CucumberRunCollector({
        // Entries scoped to another profile (a real MTA's divergences) do not concern this run.
        expectations: applicableExpectations(expectations, part.profiles),
        onScenario: (s, p) => {
          if (!values.quiet) println(io.stdout, progressLine(s, p.done, p.total, state, Date.now() - started));
          if (values['fail-fast'] && s.expectation.changed) stop.request({ kind: 'fail-fast', scenario: `${s.id} ${s.name}` });
        },
      });
      const workers = part.configuration.runtime.parallel;
      const onMessage = (m: Envelope) => {
        if (!stop.pass(m)) return;
        messages.push(JSON.stringify(m));
        if (m.testRunStarted) runStarted = true;
        // A terminal's Ctrl-C also ends a worker still starting (before it can listen): cucumber then says "failed"
        // though no scenario was lost. Whether a worker was that slow must not change the report. The raw stream keeps
        // cucumber's verdict; all workers have exited when it comes, so their marks are final.
        const t = m.testRunFinished;
        if (t && !t.success && !t.exception && !t.message && stop.signal && stopFile && workers > 0 && (stopFile.diedStarting(workers) ?? 0) > 0) {
          collector.accept({ testRunFinished: { ...t, success: true } });
          return;
        }
        collector.accept(m);
      };
      stop.attach(part.configuration.runtime);
      // With workers, this process is worker 0: it has the support code loaded already (in-process-worker.ts).
      const restoreFork = workers > 0 ? runWorkerZeroInProcess(io.cwd, part.configuration.support as object) : undefined;
      const running = api.runCucumber(part.configuration, runEnvironment, onMessage as Parameters<Api['runCucumber']>[2]);
      running.finally(restoreFork).catch(() => undefined);
      try {
        // A second signal does not wait for the running scenario: what finished is reported, the rest is left to exit.
        await Promise.race([running, stop.hard]);
      } catch (e) {
        // Before the run starts, a throw is the configuration's fault (bad tag expression, missing support code): exit 2.
        if (!runStarted) throw configError('the scenarios could not be loaded', e);
        collector.accept({ testRunFinished: { success: false, timestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 }, message: (e as Error).message } });
      }
      running.catch(() => undefined);
      const finished = collector.scenarios.length;
      if (finished < part.planned || stop.signal) collector.accept({ testRunFinished: { success: true, timestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 } } });
      results.push({ ...(part.profile !== undefined && parts.length > 1 ? { profile: part.profile } : {}), run: collector.finish(meta) });
    }
  } finally {
    dispose();
    stopFile?.remove();
  }
  const merged = mergeProfileRuns(results, expectations);
  const run: RunResult = {
    ...merged,
    selection: { ...(values.tags ? { tags: values.tags } : {}), profiles },
    ...(shard ? { shard } : {}),
    // Entries of scenarios that never started are not stale: a stopped run does not judge them.
    ...(stop.reason ? { unusedExpectations: [] } : {}),
    ...(stop.signal ? { interrupted: { signal: stop.signal, finished: merged.scenarios.length, planned } } : {}),
    ...(stop.reason?.kind === 'fail-fast' ? { failFast: { after: stop.reason.scenario, finished: merged.scenarios.length, planned } } : {}),
  };
  if (stop.signal && run.scenarios.length === 0) {
    // Nothing finished: an empty report would replace reports/latest with a run that says nothing.
    println(io.stdout, `\nINTERRUPTED by ${stop.signal} before any scenario finished: no report was written; ${shownPath(io.cwd, outDir)}/latest is unchanged.`);
    return signalExit(stop.signal);
  }
  let written;
  try {
    // The raw stream repeats every evidence attachment: gzip makes it a tenth of its size (docs/report.md).
    written = writeReport(run, outDir, { 'cucumber.ndjson.gz': gzipSync(`${messages.join('\n')}\n`) }, { keep });
  } catch (e) {
    if (isDomsecError(e)) throw e;
    throw outputDirError('run', shownPath(io.cwd, outDir), '--out', e);
  }
  const rel = (p: string) => shownPath(io.cwd, p);
  for (const line of summaryLines({ ...run, runId: written.runId }, rel(written.runDir), rel(written.latestDir))) println(io.stdout, line);
  if (written.pruned.length > 0) println(io.stdout, `Removed ${written.pruned.length} older run folder(s) (--keep ${keep}): ${written.pruned.join(', ')}`);
  if (stop.signal) return signalExit(stop.signal);
  return runSucceeded(run) ? EXIT.ok : EXIT.failures;
}

/** worldParameters.implementations (cucumber.mjs interop profiles) names a real MTA for some organization. */
function usesRealMta(configuration: RunConfiguration): boolean {
  const implementations = (configuration.runtime.worldParameters as { implementations?: Record<string, string> } | undefined)?.implementations ?? {};
  return Object.values(implementations).some((i) => i !== 'simulated');
}

/** The profiles a cucumber.mjs defines (named exports and the default function's keys), for "Did you mean …?". */
async function profileNames(file: string): Promise<string[]> {
  try {
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const fromDefault = typeof mod.default === 'function' ? Object.keys(await (mod.default as () => unknown)() as object) : [];
    return [...Object.keys(mod).filter((k) => k !== 'default'), ...fromDefault];
  } catch {
    return []; // a .json/.yaml configuration or one that does not load: no suggestion
  }
}

async function loadSharedSupport(api: Api, parts: Part[], environment: Parameters<Api['loadSupport']>[1]) {
  const key = (p: Part) => JSON.stringify(p.configuration.support);
  const other = parts.find((p) => key(p) !== key(parts[0]));
  if (other) {
    throw new DomsecError('ERR_USAGE', `domsec run: the profiles ${parts[0].profile} and ${other.profile} load different support code (import/require); run them separately.`);
  }
  return loadRunSupport(api, { sources: parts[0].configuration.sources, support: parts[0].configuration.support }, environment);
}
