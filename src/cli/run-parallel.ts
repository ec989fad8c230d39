// `domsec run --parallel N`: N workers of cucumber's pool run the scenarios, each scenario in its own simulation;
// domsec's own process is worker 0 (in-process-worker.ts), workers 1…N-1 are processes cucumber forks.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DomsecError } from '../errors.js';

/** Imported first by a worker that imports the TypeScript files themselves (tsx, signals): when there is no bundle. */
export const WORKER_SETUP = fileURLToPath(new URL('./run-worker-setup.mjs', import.meta.url));

/** `--parallel N`: a whole number ≥ 1; absent, the machine's cores (os.availableParallelism()). */
export function parseParallel(text: string | undefined): number {
  if (text === undefined) return availableParallelism();
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) {
    throw new DomsecError('ERR_USAGE', `domsec run: --parallel "${text}" is not a number of worker processes: give a whole number of at least 1 (1 runs every scenario in this process; default: the ${availableParallelism()} cores).`);
  }
  return Number(text.trim());
}

/** More workers than scenarios only costs start-up time; one worker is no better than the serial in-process run. */
export function workersFor(parallel: number, planned: number): number {
  const n = Math.min(parallel, planned);
  return n > 1 ? n : 0;
}

interface SupportLike {
  readonly originalCoordinates: { importPaths: string[] };
}

/** Imported first by a worker that imports the support code bundled (support-bundle.ts): no tsx, source maps on. */
export const BUNDLED_WORKER_SETUP = fileURLToPath(new URL('./run-worker-bundled.mjs', import.meta.url));

/**
 * The support library as the workers import it: the worker setup first (signals), then the bundle the main process
 * imported (run-support.ts), or, when there is none, tsx and the files themselves, as the main process did.
 */
export function withWorkerSetup<T extends SupportLike>(support: T, bundle: string | undefined): T {
  const c = support.originalCoordinates;
  const importPaths = bundle ? [BUNDLED_WORKER_SETUP, bundle] : [WORKER_SETUP, ...c.importPaths.filter((p) => p !== WORKER_SETUP)];
  return { ...support, originalCoordinates: { ...c, importPaths } };
}

/**
 * cucumber's API cannot stop its workers: the options they got are copies. A stop writes this file instead; the
 * catalogue's Before hook (features/support/run-stop-hook.ts) skips every scenario that starts after it exists.
 */
export class StopFile {
  readonly #dir = mkdtempSync(join(tmpdir(), 'domsec-run-'));
  readonly path = join(this.#dir, 'stop');

  write(reason: string): void {
    writeFileSync(this.path, `${reason}\n`);
  }

  /**
   * How many of `workers` a signal ended before they listened for it (run-worker-setup.mjs), when that explains
   * cucumber's "failed" verdict: every other worker exited 0. Such a worker had no scenario, so nothing was lost.
   * 0 when every worker listened; undefined when some worker that listened failed (a hook, a crash): a real failure.
   */
  diedStarting(workers: number): number | undefined {
    let starting = 0;
    // Worker 0 is domsec's own process (in-process-worker.ts): it has no start to die in.
    for (let id = 1; id < workers; id++) {
      const state = this.#workerState(id);
      if (state === undefined) starting++;
      else if (state !== 'exited 0') return undefined;
    }
    return starting;
  }

  #workerState(id: number): string | undefined {
    try {
      return readFileSync(join(this.#dir, `worker-${id}`), 'utf8');
    } catch {
      return undefined; // never written: the worker ended before run-worker-setup.mjs ran
    }
  }

  remove(): void {
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
