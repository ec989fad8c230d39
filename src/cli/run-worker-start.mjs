// How a worker of `domsec run --parallel` starts, whether it registers tsx (run-worker-setup.mjs) or imports the support
// code bundled (run-worker-bundled.mjs), and how it stops. Plain JavaScript: it runs before any TypeScript can.
import { writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { dirname, join } from 'node:path';

const done = Symbol.for('domsec.worker-setup');

/**
 * In one of cucumber's parallel workers (CUCUMBER_PARALLEL), once per process whichever setup files it imports:
 * `prepare` (what the support code needs to load), then the signals. Elsewhere (the main process imports the
 * configuration's setup file too) nothing.
 */
export function startWorker(prepare) {
  if (process.env.CUCUMBER_PARALLEL !== 'true' || globalThis[done]) return;
  globalThis[done] = true;
  // Before any of the support code compiles: the flags `domsec run` chose for its workers (worker-v8-flags.ts), checked
  // there. Only in its workers (they have DOMSEC_STOP_FILE), not under plain cucumber-js --parallel.
  const flags = process.env.DOMSEC_WORKER_V8_FLAGS;
  if (flags && process.env.DOMSEC_STOP_FILE) setFlagsFromString(flags);
  prepare();
  listenAsWorker();
}

function listenAsWorker() {
  // Under `domsec run` the coordinator decides when to stop (Ctrl-C lets the running scenarios finish): a terminal's
  // Ctrl-C reaches the whole process group, so a worker ignores it and learns of the stop through DOMSEC_STOP_FILE.
  // When the coordinator is gone (a second Ctrl-C), the worker goes too instead of running on unseen.
  if (!process.env.DOMSEC_STOP_FILE) return;
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => undefined);
  process.on('disconnect', () => process.exit(130));
  // Before this runs the worker has Node's default for SIGINT: a Ctrl-C then ends it, however long its start takes.
  // It has no scenario yet (cucumber gives work after READY, sent after the support code's import), but cucumber calls
  // the run failed. These two words let the coordinator tell that death from a real failure (StopFile.diedStarting).
  const mark = join(dirname(process.env.DOMSEC_STOP_FILE), `worker-${process.env.CUCUMBER_WORKER_ID}`);
  writeFileSync(mark, 'listening');
  process.on('exit', (code) => { if (code === 0) writeFileSync(mark, 'exited 0'); });
}
