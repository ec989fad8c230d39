// `run --list` and `run --dry-run`: what a run would do, from cucumber's dry run; nothing runs and nothing is written.
import type { Envelope } from '../report/cucumber-envelope.js';
import { CucumberRunCollector } from '../report/collect-cucumber-messages.js';
import { type ExpectationEntry, applicableExpectations } from '../report/expectations.js';
import { type CliIo, println } from './cli-io.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { configError } from './cucumber-error.js';
import { listLines } from './run-progress.js';

type Api = typeof import('@cucumber/cucumber/api');
type RunConfiguration = Awaited<ReturnType<Api['loadConfiguration']>>['runConfiguration'];

/** One cucumber run of `domsec run`: one per --profile when there are several. */
export interface Part {
  /** The profile this part runs, undefined without --profile; with one --profile, that one. */
  profile?: string;
  profiles: string[];
  configuration: RunConfiguration;
  planned: number;
}

/** --list and --dry-run: cucumber's dry run (no step, no hook runs) through the collector; nothing is written. */
export async function planCommand(api: Api, parts: Part[], environment: Parameters<Api['runCucumber']>[1], io: CliIo, list: boolean, expectations: ExpectationEntry[]): Promise<ExitCode> {
  let total = 0;
  const problems: string[] = [];
  for (const part of parts) {
    const collector = new CucumberRunCollector({ expectations: applicableExpectations(expectations, part.profiles) });
    const configuration = { ...part.configuration, runtime: { ...part.configuration.runtime, dryRun: true }, formats: { ...part.configuration.formats, files: {} } };
    try {
      await api.runCucumber(configuration, environment, ((m: Envelope) => collector.accept(m)) as Parameters<Api['runCucumber']>[2]);
    } catch (e) {
      throw configError('the scenarios could not be loaded', e);
    }
    const scenarios = collector.scenarios;
    total += scenarios.length;
    if (list) {
      if (parts.length > 1) println(io.stdout, `profile ${part.profile}:`);
      for (const line of listLines(scenarios)) println(io.stdout, line);
    }
    for (const s of scenarios) {
      for (const st of s.steps.filter((x) => x.status === 'undefined' || x.status === 'ambiguous')) {
        problems.push(`${part.profile && parts.length > 1 ? `[${part.profile}] ` : ''}${s.id} ${s.name}: ${st.status} step "${st.keyword} ${st.text}"`);
      }
    }
    problems.push(...collector.finish({ runId: 'dry-run', seed: '' }).runErrors.filter((e) => !e.startsWith('cucumber reported the run as failed')));
  }
  const where = parts.length > 1 ? ` in ${parts.length} profiles` : '';
  if (problems.length > 0) {
    println(io.stdout, `${total} scenario${total === 1 ? '' : 's'} selected${where}; ${problems.length} problem(s) would fail the run:`);
    for (const p of problems) println(io.stdout, `  ${p}`);
    println(io.stdout, 'Nothing was run and no report was written.');
    return EXIT.failures;
  }
  println(io.stdout, `${total} scenario${total === 1 ? '' : 's'} selected${where}${list ? '' : '; every step has a definition'}. Nothing was run and no report was written.`);
  return EXIT.ok;
}
