// `domsec run --shard i/n` three times and `domsec report merge`: the merged report equals the unsharded run's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../report/run-result.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const CONFIG = 'src/cli/fixtures/catalogue/cucumber.mjs';

function domsec(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/domsec.mjs', ...args], { cwd: repo, encoding: 'utf8', timeout: 60_000, env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResult;
/** What must not depend on how the run was split: everything but wall-clock times and run ids. */
const judged = (r: RunResult) => ({
  seed: r.seed, selection: r.selection, counts: r.counts, changes: r.changes, unusedExpectations: r.unusedExpectations, runErrors: r.runErrors,
  interop: r.interop, scenarios: r.scenarios.map(({ durationMs: _d, steps, ...s }) => ({ ...s, steps: steps.map(({ durationMs: _s, ...st }) => st) })),
});

/** A strict enough XML check: one root, every element closed in order, attributes quoted. */
function wellFormed(xml: string): boolean {
  const stack: string[] = [];
  const body = xml.replace(/^<\?xml [^?]*\?>\s*/, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|<[^>]*>/g)) {
    if (!m[2]) return false;
    if (m[1]) { if (stack.pop() !== m[2]) return false; } else if (!m[4]) stack.push(m[2]);
  }
  return stack.length === 0;
}

describe('domsec run --shard and domsec report merge', () => {
  it('three shards merged equal the unsharded run: scenarios, outcomes, counts, changes; junit parses', () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-shard-'));
    const whole = domsec('run', '--config', CONFIG, '--out', out, '--run-id', 'whole', '--seed', 'shards', '--parallel', '2', '--quiet');
    expect(whole.code).toBe(1); // the fixture has two failing scenarios
    const shards = [1, 2, 3].map((i) => domsec('run', '--config', CONFIG, '--out', out, '--run-id', `shard-${i}`, '--seed', 'shards', '--shard', `${i}/3`, '--parallel', '1', '--quiet'));
    const sizes = [1, 2, 3].map((i) => read(join(out, `shard-${i}`)).scenarios.length);
    expect(sizes.reduce((a, b) => a + b)).toBe(3);
    expect(sizes.filter((n) => n > 0).length).toBeGreaterThan(1); // really split
    expect(read(join(out, 'shard-2')).shard).toEqual({ index: 2, total: 3 });
    expect(shards.map((s) => s.code)).toEqual([1, 2, 3].map((i) => (read(join(out, `shard-${i}`)).changes.length > 0 ? 1 : 0)));

    const merge = domsec('report', 'merge', join(out, 'shard-1'), join(out, 'shard-2'), join(out, 'shard-3'), '--out', join(out, 'merged'), '--run-id', 'm');
    expect(merge.err).toBe('');
    expect(merge.code).toBe(1);
    expect(merge.out).toContain('3 scenarios: 1 passed, 2 failed');
    const merged = read(join(out, 'merged', 'm'));
    expect(judged(merged)).toEqual(judged(read(join(out, 'whole'))));
    expect(merged.mergedFrom).toEqual(['shard-1', 'shard-2', 'shard-3']);
    const junit = readFileSync(join(out, 'merged', 'm', 'junit.xml'), 'utf8');
    expect(wellFormed(junit)).toBe(true);
    expect(junit.match(/<testcase /g)).toHaveLength(3);
    const untimed = (x: string) => x.replace(/ (time|timestamp)="[^"]*"/g, '').replace(/\b(whole|m)\b/g, 'RUN');
    expect(untimed(junit)).toBe(untimed(readFileSync(join(out, 'whole', 'junit.xml'), 'utf8')));
    expect(readFileSync(join(out, 'merged', 'm', 'index.html'), 'utf8')).toContain('No client certificate is refused');

    // A missing shard fails the merge and says which.
    const part = domsec('report', 'merge', join(out, 'shard-1'), join(out, 'shard-3'), '--out', join(out, 'merged'), '--run-id', 'part');
    expect(part.code).toBe(1);
    expect(part.out).toContain('Shard 2/3 missing from the merge: this report covers part of the run only.');
  }, 120_000);

  it('refuses another seed, the same shard twice and a folder without results.json (exit 2, ERR_ codes)', () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-shard-'));
    for (const [id, seed] of [['a', 'one'], ['b', 'two']]) domsec('run', '--config', CONFIG, '--out', out, '--run-id', id, '--seed', seed, '--shard', '1/2', '--parallel', '1', '--quiet');
    domsec('run', '--config', CONFIG, '--out', out, '--run-id', 'c', '--seed', 'one', '--shard', '2/2', '--parallel', '1', '--quiet');
    const seeds = domsec('report', 'merge', join(out, 'a'), join(out, 'b'), '--out', join(out, 'm'));
    expect(seeds.code).toBe(2);
    expect(seeds.err).toMatch(/seed "one" but .* with seed "two".*\[ERR_MERGE_MISMATCH\]/);
    const twice = domsec('report', 'merge', join(out, 'a'), join(out, 'a'), join(out, 'c'), '--out', join(out, 'm'));
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('[ERR_MERGE_OVERLAP]');
    const none = domsec('report', 'merge', join(out, 'a'), join(out, 'nothing-here'), '--out', join(out, 'm'));
    expect(none.code).toBe(2);
    expect(none.err).toContain('nothing-here holds no results.json');
    expect(none.err).toContain('[ERR_MERGE_INPUT]');
    // The two halves of one split merge; a report root stands for the run its latest/ points to (here c, written last).
    expect(domsec('report', 'merge', join(out, 'a'), out, '--out', join(out, 'm'), '--quiet').out).toContain('3 scenarios:');
  }, 120_000);
});
