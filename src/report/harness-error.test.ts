// Harness errors (undefined or ambiguous steps, crashes, failing hooks) from a real cucumber run: their own outcome
// in results, the HTML matrix and list, and junit.xml — never a DS rule failure.
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { CucumberRunCollector } from './collect-cucumber-messages.js';
import type { Envelope } from './cucumber-envelope.js';
import { renderHtmlReport } from './html-report.js';
import { buildMatrix, cellKey, NO_SESSION_COLUMN } from './html-matrix.js';
import { renderJunitXml } from './junit-xml.js';
import type { RunResult } from './run-result.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

async function runFixture(): Promise<RunResult> {
  const api = await import('@cucumber/cucumber/api');
  const quiet = new Writable({ write: (_c, _e, done) => done() });
  const environment = { cwd: repo, stdout: quiet, stderr: quiet, env: {} };
  const { runConfiguration } = await api.loadConfiguration({ file: 'src/report/fixtures/harness/cucumber.mjs' }, environment);
  const collector = new CucumberRunCollector();
  await api.runCucumber(runConfiguration, environment, (m) => collector.accept(m as unknown as Envelope));
  return collector.finish({ runId: 'harness', seed: 'h' });
}

describe('harness errors from a real cucumber run', () => {
  let run: RunResult;
  const byName = (n: string) => run.scenarios.find((s) => s.name === n)!;
  beforeAll(async () => { run = await runFixture(); }, 60_000);

  it('are their own outcome: undefined, ambiguous, a TypeError and a failing hook; an assertion stays a failure', () => {
    expect(Object.fromEntries(run.scenarios.map((s) => [s.name, s.outcome]))).toEqual({
      'A step nobody defined': 'harness-error',
      'A step two definitions match': 'harness-error',
      'A step that crashes': 'harness-error',
      'A hook that fails': 'harness-error',
      'A real failure': 'fail',
    });
    expect(run.counts).toMatchObject({ fail: 1, 'harness-error': 4 });
    expect(byName('A step that crashes').steps[0]).toMatchObject({ status: 'failed', exceptionType: 'TypeError' });
    expect(byName('A step nobody defined').error).toBe('step undefined: Given a step nobody wrote');
    // A harness error is a change whatever expectations.json says: the run must not be green.
    expect(run.changes).toHaveLength(5);
    expect(byName('A step two definitions match').error).toMatch(/^step ambiguous: Given the reply is ambiguous\nMultiple step definitions match/);
    expect(byName('A step two definitions match').expectation.note).toBe('harness error (step ambiguous: Given the reply is ambiguous): the scenario could not be judged, '
      + 'which says nothing about its DS rule; fix the step definitions or support code');
  });

  it('colour their matrix cells as harness errors, not as failures of the DS rule', () => {
    const m = buildMatrix(run);
    expect(m.cells.get(cellKey('DS-RECV-04', NO_SESSION_COLUMN))).toMatchObject({ worst: 'harness-error', counts: { fail: 0, 'harness-error': 1 } });
    expect(m.cells.get(cellKey('DS-RECV-07', NO_SESSION_COLUMN))?.worst).toBe('fail');
    const html = renderHtmlReport(run);
    expect(html).toMatch(/data-rule="DS-RECV-06"[^>]*><span class="n" data-outcome="harness-error">1 harness error<\/span>/);
    expect(html).toContain('<div class="tile o-harness-error" data-outcome="harness-error" title="Show only harness error"><span class="count">4</span>');
  });

  it('show why beside the name in the collapsed list row', () => {
    const html = renderHtmlReport(run);
    const summary = (name: string) => new RegExp(`<summary>[^\\n]*${name}[^\\n]*</summary>`).exec(html)?.[0] ?? '';
    expect(summary('A real failure')).toContain('<span class="reason changed">expected 530 5.7.1 Not authenticated, actual 250 2.1.0 Sender OK</span>');
    expect(summary('A step nobody defined')).toContain('<span class="reason changed">harness error: step undefined: Given a step nobody wrote</span>');
    expect(summary('A step that crashes')).toMatch(/<span class="reason changed">harness error: Cannot read properties of undefined \(reading &#39;property&#39;\)<\/span>/);
    expect(summary('A hook that fails')).toContain('harness error: the lab did not start: port in use');
  });

  it('are <error> in junit.xml, the assertion a <failure>', () => {
    const xml = renderJunitXml(run);
    expect(xml).toMatch(/<testsuite name="Harness errors" id="0" tests="5" failures="1" errors="4"/);
    expect(xml).toMatch(/name="A step that crashes"[\s\S]*?<error message="harness error: Cannot read properties of undefined[^"]*" type="HarnessError">/);
    expect(xml).toMatch(/name="A real failure"[\s\S]*?<failure message="DS-RECV-07 Mutual TLS succeeded: the session is Partner — expected: 530 5.7.1 Not authenticated \| actual: 250 2.1.0 Sender OK" type="DS-RECV-07">/);
    expect(xml.match(/<failure /g)).toHaveLength(1);
  });
});
