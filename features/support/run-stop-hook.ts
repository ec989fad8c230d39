// `domsec run --parallel`: a stop (Ctrl-C, SIGTERM, --fail-fast) reaches the worker processes as a file. Scenarios that
// start after it are skipped without running a step; domsec leaves them out of the report (src/cli/run-stop.ts).
import { existsSync } from 'node:fs';
import { Before } from '@cucumber/cucumber';

Before(function () {
  const file = process.env.DOMSEC_STOP_FILE;
  return file && existsSync(file) ? 'skipped' : undefined;
});
