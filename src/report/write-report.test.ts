// Run ids and the reports folder layout (run folder plus latest/ copy), offline HTML.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDomsecError } from '../errors.js';
import { collectNdjson } from './collect-cucumber-messages.js';
import { checkRunId, makeRunId } from './run-id.js';
import { writeReport } from './write-report.js';

const ndjson = readFileSync(new URL('./fixtures/run.ndjson', import.meta.url), 'utf8');

describe('run ids', () => {
  it('are run-<seed>-<UTC yyyymmddThhmmss>', () => {
    expect(makeRunId('lab 1/x', new Date('2026-03-02T09:08:07.654Z'))).toBe('run-lab_1_x-20260302T090807');
  });
  it('refuse folder names that escape reports/', () => {
    for (const bad of ['../x', 'latest', '', 'a/b']) expect(() => checkRunId(bad)).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }));
    expect(isDomsecError(new Error('x'))).toBe(false);
  });
});

describe('writeReport', () => {
  it('writes the three files to the run folder and mirrors them to latest/', () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-reports-'));
    const run = collectNdjson(ndjson, { runId: 'run-lab1-20260302T090000', seed: 'lab1' });
    const w = writeReport(run, out, { 'cucumber.ndjson': ndjson });
    for (const f of ['results.json', 'junit.xml', 'index.html', 'cucumber.ndjson']) {
      expect(existsSync(join(out, 'run-lab1-20260302T090000', f))).toBe(true);
      expect(readFileSync(join(out, 'latest', f), 'utf8')).toBe(readFileSync(join(w.runDir, f), 'utf8'));
    }
    const again = writeReport(run, out);
    expect(again.runId).toBe('run-lab1-20260302T090000-2');
    expect(JSON.parse(readFileSync(join(out, 'latest', 'results.json'), 'utf8')).runId).toBe('run-lab1-20260302T090000-2');
  });

  it('produces a page with no external URLs', () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-reports-'));
    writeReport(collectNdjson(ndjson, { runId: 'r', seed: 's' }), out);
    const html = readFileSync(join(out, 'latest', 'index.html'), 'utf8');
    expect(html).not.toMatch(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
  });
});
