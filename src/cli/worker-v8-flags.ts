// `domsec run --parallel`: the V8 flags a worker sets on itself (run-worker-start.mjs) before it loads the support code.
// A run's scenarios exercise ~850 functions enough for V8 to optimize them with TurboFan, on background threads: ~2.9 s
// of CPU beside ~7.8 s on the main thread in a serial run of the catalogue. Serial, that work fills the core the main
// thread leaves idle and pays for itself. With a worker per core, every core is already busy, so each worker's
// compiles take CPU from the other workers' scenarios. A worker then waits 8× longer before optimizing a function
// (V8's interrupt budget: ticks weighted by bytecode size), so only the code that is really hot gets compiled.
// Measured on 2 cores, whole catalogue, 4 alternated rounds (docs/benchmarks.md): `--parallel 2` 8.45 → 7.27 s, CPU
// 15.1 → 13.1 s (medians); the same flag in a serial run made it slower (10.7 → 11.4 s), which is why only saturated
// workers set it. Optimization changes no outcome: V8 runs the same JavaScript either way.
import { DomsecError } from '../errors.js';

/** V8's interrupt budget in Node 20 (V8 11.3) is 66 KiB (67,584); a saturated worker uses 8 times that. */
export const SATURATED_WORKER_V8_FLAGS = '--interrupt-budget=540672';

/** The environment variable the coordinator hands its workers; set by the user, it overrides (empty: V8's defaults). */
export const WORKER_V8_FLAGS_ENV = 'DOMSEC_WORKER_V8_FLAGS';

// Flags only: `--name` or `--name=value`, space-separated. Anything else is refused before a worker starts.
const FLAGS = /^(--[a-z][a-z0-9-]*(=[a-z0-9.-]+)?)( --[a-z][a-z0-9-]*(=[a-z0-9.-]+)?)*$/;

/**
 * The user's DOMSEC_WORKER_V8_FLAGS, checked (domsec run calls this before it loads anything): undefined when it is not
 * set, '' for V8's defaults, else the flags.
 */
export function givenWorkerV8Flags(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const given = env[WORKER_V8_FLAGS_ENV];
  if (given === undefined) return undefined;
  const flags = given.trim();
  if (flags !== '' && !FLAGS.test(flags)) {
    throw new DomsecError('ERR_USAGE', `domsec run: ${WORKER_V8_FLAGS_ENV}="${given}" is not a list of V8 flags: give flags such as "${SATURATED_WORKER_V8_FLAGS}", separated by spaces, or an empty value for V8's defaults.`);
  }
  return flags;
}

/**
 * The V8 flags for `workers` worker processes on a machine with `cores`: the user's (givenWorkerV8Flags) when given, to
 * measure one against the other (docs/benchmarks.md); else SATURATED_WORKER_V8_FLAGS when there are at least as many
 * workers as cores (no core left idle for V8's background compiles), none otherwise.
 */
export function workerV8Flags(workers: number, cores: number, given?: string): string {
  return given ?? (workers > 1 && workers >= cores ? SATURATED_WORKER_V8_FLAGS : '');
}
