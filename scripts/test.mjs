// The README's test command: vitest (unit + integration) then cucumber (features/), one summary line.
// Prints "N passed, N failed, N skipped" totalling both runners; exits 1 when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

mkdirSync('.tmp', { recursive: true });
for (const f of ['.tmp/vitest.json', '.tmp/cucumber.ndjson']) rmSync(f, { force: true });

const extra = process.argv.slice(2);
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', env: process.env }).status ?? 1;

// Compile the command first (scripts/build.mjs) so the tests that spawn bin/domsec.mjs run what `npm ci` installs;
// src/cli/bin-start.test.ts runs the tsx path too.
if (run(process.execPath, ['scripts/build.mjs', '--quiet']) !== 0) process.exit(1);
// Neither runner type-checks (vitest and tsx strip the types): a type error would pass unseen. ~2 s.
const typesOk = run('npx', ['tsc', '--noEmit', '-p', '.']) === 0;
const vitestCode = run('npx', ['vitest', 'run', ...extra]);
const cucumberCode = run('npx', ['cucumber-js']);

function vitestCounts() {
  if (!existsSync('.tmp/vitest.json')) return { passed: 0, failed: 1, skipped: 0 };
  const r = JSON.parse(readFileSync('.tmp/vitest.json', 'utf8'));
  // A suite that failed to load has no tests but counts as a failure.
  const brokenFiles = (r.testResults ?? []).filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  return {
    passed: r.numPassedTests,
    failed: r.numFailedTests + brokenFiles,
    skipped: r.numPendingTests + r.numTodoTests,
  };
}

function cucumberCounts() {
  if (!existsSync('.tmp/cucumber.ndjson')) return { passed: 0, failed: 1, skipped: 0 };
  const worst = new Map();
  const rank = { PASSED: 0, SKIPPED: 1, PENDING: 2, UNDEFINED: 3, AMBIGUOUS: 4, FAILED: 5, UNKNOWN: 5 };
  let runOk = true;
  for (const line of readFileSync('.tmp/cucumber.ndjson', 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const m = JSON.parse(line);
    if (m.testCaseStarted) worst.set(m.testCaseStarted.id, 'PASSED');
    if (m.testStepFinished) {
      const id = m.testStepFinished.testCaseStartedId;
      const s = m.testStepFinished.testStepResult.status;
      if (rank[s] > rank[worst.get(id) ?? 'PASSED']) worst.set(id, s);
    }
    if (m.testCaseFinished?.willBeRetried) worst.delete(m.testCaseFinished.testCaseStartedId);
    if (m.testRunFinished && m.testRunFinished.success === false) runOk = false;
  }
  const c = { passed: 0, failed: 0, skipped: 0 };
  for (const s of worst.values()) {
    if (s === 'PASSED') c.passed++;
    else if (s === 'SKIPPED') c.skipped++;
    else c.failed++;
  }
  if (!runOk && c.failed === 0) c.failed = 1;
  return c;
}

const v = vitestCounts();
const c = cucumberCounts();
const passed = v.passed + c.passed;
// A type error counts as one failure in the summary line.
const failed = v.failed + c.failed + (typesOk ? 0 : 1);
const skipped = v.skipped + c.skipped;
console.log(`\n${typesOk ? '' : 'tsc --noEmit: type errors (above), 1 failed; '}vitest: ${v.passed} passed, ${v.failed} failed, ${v.skipped} skipped; cucumber: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || vitestCode !== 0 || cucumberCode !== 0 ? 1 : 0);
