// Writes a run's reports to <out>/<run-id>/ (results.json, junit.xml, index.html) and mirrors them to <out>/latest/.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHtmlReport } from './html-report.js';
import { renderJunitXml } from './junit-xml.js';
import type { RunResult } from './run-result.js';

export const REPORT_FILES = ['results.json', 'junit.xml', 'index.html'] as const;

export interface WrittenReport {
  runDir: string;
  latestDir: string;
  runId: string;
  files: string[];
}

/** Two runs with one seed in the same second would share an id; the later gets a suffix rather than overwriting. */
function freeRunDir(outDir: string, runId: string): { dir: string; id: string } {
  let id = runId;
  for (let n = 2; existsSync(join(outDir, id)); n++) id = `${runId}-${n}`;
  return { dir: join(outDir, id), id };
}

export function writeReport(run: RunResult, outDir: string, extraFiles: Record<string, string> = {}): WrittenReport {
  mkdirSync(outDir, { recursive: true });
  const { dir, id } = freeRunDir(outDir, run.runId);
  const final: RunResult = { ...run, runId: id };
  mkdirSync(dir, { recursive: true });
  const contents: Record<string, string> = {
    'results.json': `${JSON.stringify(final, null, 2)}\n`,
    'junit.xml': renderJunitXml(final),
    'index.html': renderHtmlReport(final),
    ...extraFiles,
  };
  for (const [name, text] of Object.entries(contents)) writeFileSync(join(dir, name), text);
  // A copy, not a symlink: CI artifact uploaders and Windows checkouts do not follow links reliably.
  const latestDir = join(outDir, 'latest');
  rmSync(latestDir, { recursive: true, force: true });
  cpSync(dir, latestDir, { recursive: true });
  return { runDir: dir, latestDir, runId: id, files: Object.keys(contents) };
}
