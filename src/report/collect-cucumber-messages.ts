// Turns cucumber's message stream (live from runCucumber's onMessage, or the message formatter's NDJSON) into a RunResult.
import { type Envelope, type GherkinChild, type Pickle, type TestCase, type TestStepResult, parseNdjson, toMillis } from './cucumber-envelope.js';
import { type ExpectationEntry, findExpectation, judge, unusedEntries } from './expectations.js';
import { parseMismatch, stripStack } from './failure-message.js';
import { interopCells } from './interop-cells.js';
import { RESULTS_SCHEMA_VERSION, type ObservedStatus, type RunResult, type ScenarioResult, type StepResult, countOutcomes } from './run-result.js';
import { EVIDENCE_MEDIA_TYPE, type EvidenceAccumulator, addAttachment, finishEvidence, newAccumulator, parseEvidenceAttachment } from './scenario-evidence.js';

const DS_TAG = /^@(DS-[A-Z]+-\d{2})$/;
/** A log line the World writes with this.log('not-observable: …') marks the scenario not observable. */
const NOT_OBSERVABLE_LOG = /^not[- ]observable:\s*(.+)$/is;
/**
 * A step that saw a real MTA answer in other words than Exchange's logs 'divergent: <what>\nexpected: …\nactual: …' and
 * stops the scenario as skipped (plain cucumber then never counts it as passed). Here it is a failure: a run fails
 * on it unless expectations.json documents the divergence (expected-fail, with its reason, scoped to the profile).
 */
const DIVERGENT_LOG = /^divergent:\s*(.+)$/is;

export interface CollectorOptions {
  expectations?: readonly ExpectationEntry[];
  /** Called when a scenario's last attempt ends, in finishing order. */
  onScenario?: (s: ScenarioResult, progress: { done: number; total: number }) => void;
}

export interface RunMeta {
  runId: string;
  seed: string;
  selection?: { tags?: string; profiles: string[] };
}

interface Attempt {
  testCaseId: string;
  attempt: number;
  startedMs: number;
  steps: Map<string, TestStepResult>;
  evidence: EvidenceAccumulator;
  notes: string[];
  divergences: string[];
  attachmentErrors: string[];
}

export class CucumberRunCollector {
  readonly #pickles = new Map<string, Pickle>();
  readonly #testCases = new Map<string, TestCase>();
  readonly #features = new Map<string, { name: string }>();
  readonly #stepKeywords = new Map<string, string>();
  readonly #hookNames = new Map<string, string>();
  readonly #attempts = new Map<string, Attempt>();
  readonly #scenarios: ScenarioResult[] = [];
  /** Each scenario's place in cucumber's plan: parallel workers finish in any order, the report keeps the plan's. */
  readonly #planned = new Map<ScenarioResult, number>();
  readonly #caseOrder = new Map<string, number>();
  readonly #runErrors: string[] = [];
  #tool = { name: 'cucumber-js', version: 'unknown' };
  #startedMs = 0;
  #finishedMs = 0;

  constructor(private readonly options: CollectorOptions = {}) {}

  /** Test cases cucumber planned; known once the run has started. */
  get total(): number {
    return this.#testCases.size;
  }

  get scenarios(): readonly ScenarioResult[] {
    return this.#scenarios;
  }

  accept(m: Envelope): void {
    if (m.meta?.implementation) this.#tool = { name: m.meta.implementation.name, version: m.meta.implementation.version ?? 'unknown' };
    if (m.gherkinDocument?.feature && m.gherkinDocument.uri) {
      this.#features.set(m.gherkinDocument.uri, { name: m.gherkinDocument.feature.name });
      this.#indexSteps(m.gherkinDocument.feature.children);
    }
    if (m.pickle) this.#pickles.set(m.pickle.id, m.pickle);
    if (m.hook) this.#hookNames.set(m.hook.id, m.hook.name ?? `hook at ${m.hook.sourceReference?.uri ?? '?'}:${m.hook.sourceReference?.location?.line ?? '?'}`);
    if (m.testRunStarted) this.#startedMs = toMillis(m.testRunStarted.timestamp);
    if (m.testCase) {
      this.#testCases.set(m.testCase.id, m.testCase);
      if (!this.#caseOrder.has(m.testCase.id)) this.#caseOrder.set(m.testCase.id, this.#caseOrder.size);
    }
    if (m.testCaseStarted) {
      const s = m.testCaseStarted;
      this.#attempts.set(s.id, { testCaseId: s.testCaseId, attempt: s.attempt, startedMs: toMillis(s.timestamp), steps: new Map(), evidence: newAccumulator(), notes: [], divergences: [], attachmentErrors: [] });
    }
    if (m.testStepFinished) this.#attempts.get(m.testStepFinished.testCaseStartedId)?.steps.set(m.testStepFinished.testStepId, m.testStepFinished.testStepResult);
    if (m.attachment) this.#attach(m.attachment);
    if (m.testCaseFinished) {
      const f = m.testCaseFinished;
      const attempt = this.#attempts.get(f.testCaseStartedId);
      this.#attempts.delete(f.testCaseStartedId);
      // A retried attempt is superseded by the next one; only the last attempt is the scenario's result.
      if (attempt && !f.willBeRetried) this.#finishScenario(attempt, toMillis(f.timestamp));
    }
    if (m.testRunFinished) {
      this.#finishedMs = toMillis(m.testRunFinished.timestamp);
      const t = m.testRunFinished;
      if (t.exception || t.message) this.#runErrors.push(`The run ended with an error: ${t.exception?.message ?? t.message}`);
      else if (!t.success && !this.#scenarios.some((s) => s.status === 'fail')) {
        this.#runErrors.push('cucumber reported the run as failed, but no scenario failed (a hook or the configuration?).');
      }
    }
    if (m.parseError) this.#runErrors.push(`${m.parseError.source?.uri ?? 'a feature file'}: ${m.parseError.message}`);
    if (m.undefinedParameterType) this.#runErrors.push(`Undefined parameter type {${m.undefinedParameterType.name}} in "${m.undefinedParameterType.expression}".`);
  }

  finish(meta: RunMeta): RunResult {
    const expectations = this.options.expectations ?? [];
    const changes = this.#inPlanOrder().filter((s) => s.expectation.changed).map((s) => `${s.id} ${s.name}: ${s.expectation.note ?? 'changed'}`);
    const startedMs = this.#startedMs;
    const finishedMs = this.#finishedMs || startedMs;
    return {
      schemaVersion: RESULTS_SCHEMA_VERSION,
      runId: meta.runId,
      seed: meta.seed,
      startedAt: new Date(startedMs).toISOString(),
      finishedAt: new Date(finishedMs).toISOString(),
      durationMs: Math.max(0, finishedMs - startedMs),
      selection: meta.selection ?? { profiles: [] },
      tool: this.#tool,
      counts: countOutcomes(this.#scenarios),
      changes,
      unusedExpectations: unusedEntries(expectations, this.#scenarios),
      runErrors: [...this.#runErrors],
      scenarios: this.#inPlanOrder(),
      interop: interopCells(this.#inPlanOrder()),
    };
  }

  #inPlanOrder(): ScenarioResult[] {
    return [...this.#scenarios].sort((a, b) => (this.#planned.get(a) ?? 0) - (this.#planned.get(b) ?? 0));
  }

  #indexSteps(children: GherkinChild[]): void {
    for (const c of children) {
      for (const st of [...(c.background?.steps ?? []), ...(c.scenario?.steps ?? [])]) this.#stepKeywords.set(st.id, st.keyword.trim());
      if (c.rule) this.#indexSteps(c.rule.children);
    }
  }

  #attach(a: NonNullable<Envelope['attachment']>): void {
    const attempt = a.testCaseStartedId ? this.#attempts.get(a.testCaseStartedId) : undefined;
    if (!attempt) return;
    const body = a.contentEncoding === 'BASE64' ? Buffer.from(a.body, 'base64').toString('utf8') : a.body;
    if (a.mediaType === EVIDENCE_MEDIA_TYPE) {
      const parsed = parseEvidenceAttachment(body);
      if (parsed.ok) addAttachment(attempt.evidence, parsed.value);
      else attempt.attachmentErrors.push(parsed.detail);
    } else if (a.mediaType.startsWith('text/')) {
      const nob = NOT_OBSERVABLE_LOG.exec(body.trim());
      if (nob) attempt.evidence.notObservable.push(nob[1].trim());
      const div = DIVERGENT_LOG.exec(body.trim());
      if (div) attempt.divergences.push(div[1].trim());
      attempt.notes.push(body);
    }
  }

  #finishScenario(attempt: Attempt, finishedMs: number): void {
    const testCase = this.#testCases.get(attempt.testCaseId);
    const pickle = testCase ? this.#pickles.get(testCase.pickleId) : undefined;
    if (!testCase || !pickle) return;
    const steps = this.#steps(testCase, pickle, attempt);
    const evidence = finishEvidence(attempt.evidence);
    const failing = steps.find((s) => FAILING.has(s.status));
    const divergence = failing ? undefined : attempt.divergences[0];
    let status: ObservedStatus = failing ? (isHarnessError(failing) ? 'harness-error' : 'fail')
      : divergence ? 'fail' : steps.some((s) => s.status === 'skipped') ? 'skipped' : 'pass';
    if (status !== 'fail' && status !== 'harness-error' && evidence.notObservable.length > 0) status = 'not-observable';
    const tags = pickle.tags.map((t) => t.name);
    const dsIds = [...new Set(tags.map((t) => DS_TAG.exec(t)?.[1]).filter((x): x is string => Boolean(x)))];
    const feature = this.#features.get(pickle.uri)?.name ?? pickle.uri;
    const key = { name: pickle.name, feature, dsIds };
    const judged = judge(status, findExpectation(this.options.expectations ?? [], key));
    const { outcome } = judged;
    // Undefined, ambiguous and pending steps lead with the step itself: cucumber's own text does not name it.
    const stepFirst = failing && failing.status !== 'failed' && failing.keyword !== 'Hook';
    const error = failing
      ? (stepFirst || !failing.message ? `step ${failing.status}: ${failing.keyword} ${failing.text}${failing.message ? `\n${failing.message}` : ''}` : failing.message)
      : divergence;
    // The change note of a harness error names its cause, so the run's summary says what to repair.
    const expectation = status === 'harness-error'
      ? { ...judged.expectation, note: `harness error (${(error ?? '').split('\n')[0]}): the scenario could not be judged, which says nothing about its DS rule; fix the step definitions or support code` }
      : judged.expectation;
    const line = pickle.location?.line ?? 0;
    const mismatch = parseMismatch(failing ? failing.message : divergence);
    const result: ScenarioResult = {
      id: `${pickle.uri}:${line}`,
      name: pickle.name,
      feature,
      featureUri: pickle.uri,
      line,
      dsIds,
      tags: tags.filter((t) => !DS_TAG.test(t)).map((t) => t.replace(/^@/, '')),
      status,
      outcome,
      expectation,
      durationMs: Math.max(0, finishedMs - attempt.startedMs),
      attempts: attempt.attempt + 1,
      steps,
      ...(error !== undefined ? { error } : {}),
      ...(mismatch ? { mismatch } : {}),
      evidence,
      notes: [...attempt.notes, ...attempt.attachmentErrors.map((d) => `evidence attachment ignored: ${d}`)],
    };
    this.#scenarios.push(result);
    this.#planned.set(result, this.#caseOrder.get(attempt.testCaseId) ?? this.#caseOrder.size);
    this.options.onScenario?.(result, { done: this.#scenarios.length, total: this.total });
  }

  #steps(testCase: TestCase, pickle: Pickle, attempt: Attempt): StepResult[] {
    const out: StepResult[] = [];
    for (const ts of testCase.testSteps) {
      const r = attempt.steps.get(ts.id);
      const status = (r?.status ?? 'UNKNOWN').toLowerCase();
      const message = r?.exception?.message ?? (r?.message ? stripStack(r.message) : undefined);
      // Older message streams carry only the formatted text, which starts with the error's type.
      const exceptionType = r?.exception?.type ?? /^([A-Za-z]*Error)\b/.exec(r?.message ?? '')?.[1];
      const extra = { ...(message ? { message } : {}), ...(exceptionType && FAILING.has(status) ? { exceptionType } : {}) };
      if (ts.hookId) {
        // Passing hooks are plumbing; a failing one is the scenario's error and must show.
        if (FAILING.has(status)) out.push({ keyword: 'Hook', text: this.#hookNames.get(ts.hookId) ?? 'hook', status, durationMs: toMillis(r?.duration), ...extra });
        continue;
      }
      const ps = pickle.steps.find((p) => p.id === ts.pickleStepId);
      const keyword = ps ? this.#stepKeywords.get(ps.astNodeIds[0]) ?? '' : '';
      out.push({ keyword, text: ps?.text ?? '?', status, durationMs: toMillis(r?.duration), ...extra });
    }
    return out;
  }
}

/** Under strict mode (cucumber.mjs) pending, undefined and ambiguous steps fail the run, so they fail the scenario too. */
const FAILING = new Set(['failed', 'ambiguous', 'undefined', 'pending', 'unknown']);

/** JavaScript's own error types: a step that throws one has a bug (or the harness does), it did not observe a rule break. */
const CRASH_TYPES = new Set(['TypeError', 'ReferenceError', 'SyntaxError', 'RangeError', 'EvalError', 'URIError', 'InternalError']);

/**
 * A failure that is the harness's, not the system's: cucumber could not match the step (undefined, ambiguous) or it
 * is unfinished (pending), a hook failed (lab start-up, evidence collection), or a step crashed with a programming
 * error. Assertions (features/support/expect.ts) throw plain Error with "expected:/actual:", and so do the World's
 * "no such message/queue" checks: those remain failures of the scenario.
 */
export function isHarnessError(step: Pick<StepResult, 'status' | 'keyword' | 'exceptionType'>): boolean {
  if (step.status !== 'failed') return true;
  if (step.keyword === 'Hook') return true;
  return step.exceptionType !== undefined && CRASH_TYPES.has(step.exceptionType);
}

/** Reads a finished run from the message formatter's NDJSON file. */
export function collectNdjson(text: string, meta: RunMeta, options: CollectorOptions = {}): RunResult {
  const c = new CucumberRunCollector(options);
  for (const m of parseNdjson(text)) c.accept(m);
  return c.finish(meta);
}
