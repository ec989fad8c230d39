// Run ids and the reports folder layout (run folder, latest/ pointing at it, retention), offline HTML.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDomsecError } from '../errors.js';
import { collectNdjson } from './collect-cucumber-messages.js';
import { checkRunId, makeRunId } from './run-id.js';
import { DEFAULT_KEEP, LATEST_POINTER, checkKeep, latestRunDir, writeReport } from './write-report.js';

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
  it('writes the files to the run folder; latest is a link to it, not a second copy', () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-reports-'));
    const run = collectNdjson(ndjson, { runId: 'run-lab1-20260302T090000', seed: 'lab1' });
    const w = writeReport(run, out, { 'cucumber.ndjson': ndjson });
    expect(w.latest).toBe('link');
    expect(lstatSync(join(out, 'latest')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(out, 'latest'))).toBe('run-lab1-20260302T090000'); // relative: the folder can move
    for (const f of ['results.json', 'junit.xml', 'index.html', 'cucumber.ndjson']) {
      expect(existsSync(join(out, 'run-lab1-20260302T090000', f))).toBe(true);
      expect(readFileSync(join(out, 'latest', f), 'utf8')).toBe(readFileSync(join(w.runDir, f), 'utf8'));
    }
    const again = writeReport(run, out);
    expect(again.runId).toBe('run-lab1-20260302T090000-2');
    expect(JSON.parse(readFileSync(join(out, 'latest', 'results.json'), 'utf8')).runId).toBe('run-lab1-20260302T090000-2');
    expect(existsSync(join(out, 'run-lab1-20260302T090000', 'results.json'))).toBe(true); // re-pointing removed the link only
    expect(latestRunDir(out)).toBe(join(out, 'latest'));
  });

  it('replaces a latest/ copy left by an older domsec with the link', () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-reports-'));
    mkdirSync(join(out, 'latest'));
    writeFileSync(join(out, 'latest', 'results.json'), '{}');
    writeReport(collectNdjson(ndjson, { runId: 'r1', seed: 's' }), out);
    expect(lstatSync(join(out, 'latest')).isSymbolicLink()).toBe(true);
  });

  it(`keeps the newest ${DEFAULT_KEEP} run folders by default, --keep N otherwise, 0 for all; other folders are left alone`, () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-reports-'));
    const run = collectNdjson(ndjson, { runId: 'x', seed: 's' });
    mkdirSync(join(out, 'lab-adatum-treyresearch')); // `domsec lab` logs: not a run folder
    const stamp = (id: string, n: number) => utimesSync(join(out, id, 'results.json'), n, n);
    for (let i = 1; i <= 12; i++) stamp(writeReport({ ...run, runId: `run-s-${String(i).padStart(2, '0')}` }, out, {}, { keep: 0 }).runId, 1_000_000 + i);
    expect(readdirSync(out).filter((n) => n.startsWith('run-'))).toHaveLength(12);
    const w = writeReport({ ...run, runId: 'run-s-13' }, out);
    expect(w.pruned).toEqual(['run-s-01', 'run-s-02', 'run-s-03']);
    expect(readdirSync(out).filter((n) => n.startsWith('run-')).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `run-s-${String(i + 4).padStart(2, '0')}`));
    const one = writeReport({ ...run, runId: 'run-s-14' }, out, {}, { keep: 1 });
    expect(one.pruned).toHaveLength(10);
    expect(readdirSync(out).sort()).toEqual(['lab-adatum-treyresearch', 'latest', 'run-s-14']);
  });

  it('--keep takes a whole number', () => {
    expect(checkKeep(undefined)).toBe(DEFAULT_KEEP);
    expect(checkKeep('0')).toBe(0);
    expect(() => checkKeep('-1')).toThrow(expect.objectContaining({ code: 'ERR_USAGE', message: expect.stringContaining('--keep "-1" is not a number of runs') }));
  });

  it('reads a pointer latest/ (file systems without links) back to its run folder', () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-reports-'));
    mkdirSync(join(out, 'latest'));
    writeFileSync(join(out, 'latest', LATEST_POINTER), 'run-a\n');
    expect(latestRunDir(out)).toBe(join(out, 'run-a'));
    expect(latestRunDir(join(out, 'nothing'))).toBeUndefined();
  });

  it('produces a page with no external URLs', () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-reports-'));
    writeReport(collectNdjson(ndjson, { runId: 'r', seed: 's' }), out);
    const html = readFileSync(join(out, 'latest', 'index.html'), 'utf8');
    expect(html).not.toMatch(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
  });
});
