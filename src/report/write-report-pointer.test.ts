// Where no link can be made (EPERM, a file system without links), latest/ is a pointer folder that still leads to the run.
import { lstatSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { collectNdjson } from './collect-cucumber-messages.js';
import { LATEST_POINTER, latestRunDir, writeReport } from './write-report.js';

vi.mock('node:fs', async (original) => {
  const fs = await original<typeof import('node:fs')>();
  return { ...fs, symlinkSync: () => { throw Object.assign(new Error('EPERM: operation not permitted, symlink'), { code: 'EPERM' }); } };
});

describe('latest/ without links', () => {
  it('names the run in run-id.txt and redirects index.html to the run page; a later run replaces the pointer', () => {
    const out = mkdtempSync(join(tmpdir(), 'domsec-reports-'));
    const ndjson = readFileSync(new URL('./fixtures/run.ndjson', import.meta.url), 'utf8');
    const run = collectNdjson(ndjson, { runId: 'run-a', seed: 's' });
    expect(writeReport(run, out).latest).toBe('pointer');
    expect(lstatSync(join(out, 'latest')).isDirectory()).toBe(true);
    expect(readFileSync(join(out, 'latest', LATEST_POINTER), 'utf8')).toBe('run-a\n');
    expect(readFileSync(join(out, 'latest', 'index.html'), 'utf8')).toContain('<meta http-equiv="refresh" content="0; url=../run-a/index.html">');
    writeReport({ ...run, runId: 'run-b' }, out);
    expect(latestRunDir(out)).toBe(join(out, 'run-b'));
    expect(JSON.parse(readFileSync(join(latestRunDir(out)!, 'results.json'), 'utf8')).runId).toBe('run-b');
  });
});
