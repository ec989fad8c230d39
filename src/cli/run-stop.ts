// Stopping a run part-way (Ctrl-C, SIGTERM, --fail-fast): the running scenario finishes, the rest are never started.
import type { Envelope } from '../report/cucumber-envelope.js';

export type StopReason = { kind: 'signal'; signal: 'SIGINT' | 'SIGTERM' } | { kind: 'fail-fast'; scenario: string };

/** The part of cucumber's runtime options a stop changes (IRunOptionsRuntime). */
interface Runtime {
  dryRun: boolean;
}

/**
 * cucumber's API has no way to stop a run. Its worker reads `runtime.dryRun` each time it starts a test case (by
 * reference: the object runCucumber was given), so setting it skips every case not yet started without running a
 * step or a hook, while the running one (its After hook stops its peers and simulation) completes. Cases started
 * after the stop are dropped from what the collector sees: the report holds finished scenarios only. After the last
 * case the flag is cleared again, so AfterAll hooks still run.
 */
export class RunStop {
  reason?: StopReason;
  /** The first signal, even when --fail-fast had stopped the run before it. */
  signal?: 'SIGINT' | 'SIGTERM';
  /** Resolves on a second signal: stop now, without waiting for the running scenario. */
  readonly hard: Promise<void>;
  #hardNow: () => void = () => undefined;
  #runtime?: Runtime;
  #started = new Set<string>();
  #dropped = new Set<string>();
  #cases = 0;
  #finished = 0;
  /** Called once, when the run is first asked to stop (--parallel tells its worker processes: run-parallel.ts). */
  onStop?: (reason: StopReason) => void;

  constructor() {
    this.hard = new Promise((resolve) => { this.#hardNow = resolve; });
  }

  /** The runtime options of the cucumber run about to start (one per profile). */
  attach(runtime: Runtime): void {
    this.#runtime = runtime;
    this.#started.clear();
    this.#dropped.clear();
    this.#cases = 0;
    this.#finished = 0;
    if (this.reason) runtime.dryRun = true;
  }

  request(reason: StopReason): void {
    if (reason.kind === 'signal') {
      if (this.signal) this.#hardNow();
      this.signal ??= reason.signal;
    }
    if (this.reason) return;
    this.reason = reason;
    if (this.#runtime) this.#runtime.dryRun = true;
    this.onStop?.(reason);
  }

  /** Whether the collector should see this message. */
  pass(m: Envelope): boolean {
    if (m.testCase) this.#cases++;
    const started = m.testCaseStarted;
    if (started) {
      if (this.reason && !this.#started.has(started.testCaseId)) {
        this.#dropped.add(started.id);
        return false;
      }
      this.#started.add(started.testCaseId);
    }
    const id = m.testStepFinished?.testCaseStartedId ?? m.attachment?.testCaseStartedId ?? m.testCaseFinished?.testCaseStartedId;
    if (m.testCaseFinished && !m.testCaseFinished.willBeRetried) {
      this.#finished++;
      if (this.reason && this.#runtime && this.#finished === this.#cases) this.#runtime.dryRun = false;
    }
    return id === undefined || !this.#dropped.has(id);
  }
}

export function signalExit(signal: 'SIGINT' | 'SIGTERM'): 130 | 143 {
  return signal === 'SIGINT' ? 130 : 143;
}

/** SIGINT/SIGTERM handlers for the duration of a run; `dispose` removes them so the process's defaults return. */
export function listenForSignals(stop: RunStop, onFirst: (signal: 'SIGINT' | 'SIGTERM') => void): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const h = () => {
      const first = stop.signal === undefined;
      stop.request({ kind: 'signal', signal });
      if (first) onFirst(signal);
    };
    process.on(signal, h);
    return () => process.off(signal, h);
  });
  return () => handlers.forEach((off) => off());
}
