// Loaded first in each of cucumber's parallel workers (domsec run --parallel, cucumber-js --parallel through cucumber.mjs).
// A worker is a fresh Node process that imports the support code itself: tsx must be registered there before the
// TypeScript support and step files load. Plain JavaScript on purpose: it runs before any TypeScript can.
// It defines no hook or step: the workers' support code must match the main process's one by one (cucumber's ids).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { register } from 'tsx/esm/api';

const done = Symbol.for('domsec.worker-setup');
if (process.env.CUCUMBER_PARALLEL === 'true' && !globalThis[done]) {
  globalThis[done] = true;
  register();
  // Under `domsec run` the coordinator decides when to stop (Ctrl-C lets the running scenarios finish): a terminal's
  // Ctrl-C reaches the whole process group, so a worker ignores it and learns of the stop through DOMSEC_STOP_FILE.
  // When the coordinator is gone (a second Ctrl-C), the worker goes too instead of running on unseen.
  if (process.env.DOMSEC_STOP_FILE) {
    process.on('SIGINT', () => undefined);
    process.on('SIGTERM', () => undefined);
    process.on('disconnect', () => process.exit(130));
    // Before this file runs the worker has Node's default for SIGINT: a Ctrl-C then ends it, however long its start
    // takes. It has no scenario yet (cucumber gives work after READY, sent after this import), but cucumber calls the
    // run failed. These two words let the coordinator tell that death from a real failure (StopFile.diedStarting).
    const mark = join(dirname(process.env.DOMSEC_STOP_FILE), `worker-${process.env.CUCUMBER_WORKER_ID}`);
    writeFileSync(mark, 'listening');
    process.on('exit', (code) => { if (code === 0) writeFileSync(mark, 'exited 0'); });
  }
}
