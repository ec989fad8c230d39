// junit.xml for CI servers: testsuites › testsuite per feature › testcase per scenario, classname = feature, DS IDs as properties.
import type { RunResult, ScenarioResult } from './run-result.js';
import { findRule, ruleLabel, ruleWithStatement } from '../rules/catalogue.js';

/** XML 1.0 forbids most control characters even when escaped; SMTP transcripts can carry them. */
const INVALID_XML_CHARS = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlEscape(value: string): string {
  return value
    .replace(INVALID_XML_CHARS, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** The strict JUnit XSD wants xs:dateTime without zone or fraction. */
function junitTimestamp(iso: string): string {
  return iso.replace(/\.\d+Z$|Z$/, '');
}

/**
 * How outcomes map onto what CI servers understand: a change from the expectations file is a <failure>
 * (so an unexpected pass is one too); expected failures and not-observable checks are <skipped> with the reason,
 * as pytest does for xfail, so a green build still shows them.
 */
function verdictElement(s: ScenarioResult): { kind: 'failure' | 'error' | 'skipped' | 'none'; message?: string; body?: string } {
  // JUnit's own split: <failure> is an assertion that did not hold, <error> a test that could not run to its verdict.
  if (s.status === 'harness-error') return { kind: 'error', message: `harness error: ${firstLine(s.error ?? 'the scenario could not be judged')}`, body: s.error };
  if (s.expectation.changed) {
    if (s.status === 'fail') {
      const message = s.mismatch ? `expected: ${s.mismatch.expected} | actual: ${s.mismatch.actual}` : firstLine(s.error ?? 'failed');
      return { kind: 'failure', message, body: s.error };
    }
    return { kind: 'failure', message: s.expectation.note ?? `observed ${s.status}, expected ${s.expectation.expected}` };
  }
  switch (s.outcome) {
    case 'expected-fail':
      return { kind: 'skipped', message: `expected failure: ${s.expectation.reason ?? ''}`.trim(), body: s.error };
    case 'not-observable':
      return { kind: 'skipped', message: `not observable: ${s.evidence.notObservable.join('; ') || s.expectation.reason || ''}`.trim() };
    case 'skipped':
      return { kind: 'skipped', message: s.expectation.reason ?? 'skipped' };
    default:
      return { kind: 'none' };
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

function testcase(s: ScenarioResult): string {
  const v = verdictElement(s);
  const props = [
    ...s.dsIds.map((id) => ['ds-id', id]),
    ['outcome', s.outcome],
    ...(s.expectation.reason ? [['expectation', s.expectation.reason]] : []),
  ];
  const lines = [`    <testcase${attrs({ classname: s.feature, name: s.name, time: seconds(s.durationMs), file: s.featureUri, line: s.line })}>`];
  lines.push('      <properties>');
  for (const [name, value] of props) lines.push(`        <property${attrs({ name, value })}/>`);
  lines.push('      </properties>');
  if (v.kind !== 'none') {
    const type = v.kind === 'failure' ? (s.dsIds[0] ?? 'AssertionError') : v.kind === 'error' ? 'HarnessError' : undefined;
    // A CI page shows the message first: a failure says which rule broke in words, and the body states each rule in full.
    const rules = v.kind === 'failure' ? s.dsIds.filter((id) => findRule(id)) : [];
    const message = rules.length > 0 ? `${rules.map(ruleLabel).join('; ')} — ${v.message}` : v.message;
    const body = rules.length > 0 ? [...rules.map(ruleWithStatement), ...(v.body ? ['', v.body] : [])].join('\n') : v.body;
    lines.push(body
      ? `      <${v.kind}${attrs({ message, type })}>${xmlEscape(body)}</${v.kind}>`
      : `      <${v.kind}${attrs({ message, type })}/>`);
  }
  const out = [...s.steps.map((st) => `${st.status.padEnd(9)} ${st.keyword} ${st.text}`), ...s.notes];
  if (out.length > 0) lines.push(`      <system-out>${xmlEscape(out.join('\n'))}</system-out>`);
  lines.push('    </testcase>');
  return lines.join('\n');
}

interface Tally {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  ms: number;
}

function tally(list: readonly ScenarioResult[]): Tally {
  return list.reduce<Tally>((t, s) => {
    const v = verdictElement(s).kind;
    return {
      tests: t.tests + 1, failures: t.failures + (v === 'failure' ? 1 : 0), errors: t.errors + (v === 'error' ? 1 : 0),
      skipped: t.skipped + (v === 'skipped' ? 1 : 0), ms: t.ms + s.durationMs,
    };
  }, { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 });
}

export function renderJunitXml(run: RunResult): string {
  const byFeature = new Map<string, ScenarioResult[]>();
  for (const s of run.scenarios) byFeature.set(s.feature, [...(byFeature.get(s.feature) ?? []), s]);
  const total = tally(run.scenarios);
  // Errors outside any scenario (parse errors, hooks) must still turn a CI build red: one <error> testcase.
  const runErrors = run.runErrors.length;
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites${attrs({ name: `domsec ${run.runId}`, tests: total.tests + (runErrors ? 1 : 0), failures: total.failures, errors: total.errors + (runErrors ? 1 : 0), skipped: total.skipped, time: seconds(run.durationMs), timestamp: junitTimestamp(run.startedAt) })}>`);
  let id = 0;
  for (const [feature, list] of byFeature) {
    const t = tally(list);
    out.push(`  <testsuite${attrs({ name: feature, id: id++, tests: t.tests, failures: t.failures, errors: t.errors, skipped: t.skipped, time: seconds(t.ms), timestamp: junitTimestamp(run.startedAt), file: list[0].featureUri })}>`);
    out.push(...list.map(testcase));
    out.push('  </testsuite>');
  }
  if (runErrors) {
    out.push(`  <testsuite${attrs({ name: 'domsec run', id: id++, tests: 1, failures: 0, errors: 1, skipped: 0, time: '0.000', timestamp: junitTimestamp(run.startedAt) })}>`);
    out.push(`    <testcase${attrs({ classname: 'domsec run', name: 'run completed', time: '0.000' })}>`);
    out.push(`      <error${attrs({ message: firstLine(run.runErrors[0]), type: 'RunError' })}>${xmlEscape(run.runErrors.join('\n'))}</error>`);
    out.push('    </testcase>', '  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
