// Writes a run's reports to <out>/<run-id>/ (results.json, junit.xml, index.html), points <out>/latest at it, prunes old runs.
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DomsecError } from '../errors.js';
import { renderHtmlReport } from './html-report.js';
import { renderJunitXml } from './junit-xml.js';
import type { RunResult } from './run-result.js';

export const REPORT_FILES = ['results.json', 'junit.xml', 'index.html'] as const;

/** Run folders kept under the report root when --keep is not given; `--keep 0` keeps every run. */
export const DEFAULT_KEEP = 10;

/** Where `latest` cannot be a link (a file system without symlinks), this file in a small latest/ folder names the run. */
export const LATEST_POINTER = 'run-id.txt';

export interface WrittenReport {
  runDir: string;
  latestDir: string;
  runId: string;
  files: string[];
  /** How latest/ reaches the run: a symlink (a junction on Windows), or a pointer folder with a redirecting index.html. */
  latest: 'link' | 'pointer';
  /** Run folders removed by retention, oldest first. */
  pruned: string[];
}

export interface WriteOptions {
  /** Keep this many run folders (this one included); 0 keeps all. Default DEFAULT_KEEP. */
  keep?: number;
}

/** `--keep N`: a whole number, 0 for "keep every run". */
export function checkKeep(text: string | undefined): number {
  if (text === undefined) return DEFAULT_KEEP;
  if (!/^\d+$/.test(text.trim())) throw new DomsecError('ERR_USAGE', `--keep "${text}" is not a number of runs: give a whole number (default ${DEFAULT_KEEP}; 0 keeps every run).`);
  return Number(text.trim());
}

/** Two runs with one seed in the same second would share an id; the later gets a suffix rather than overwriting. */
function freeRunDir(outDir: string, runId: string): { dir: string; id: string } {
  let id = runId;
  for (let n = 2; existsSync(join(outDir, id)); n++) id = `${runId}-${n}`;
  return { dir: join(outDir, id), id };
}

/**
 * latest/ is a relative symlink to the run folder (a junction on Windows, which needs no privilege): reports/latest/index.html
 * opens the run's page, doctor and CI read reports/latest/results.json and junit.xml, and nothing is stored twice.
 * Where no link can be made, latest/ is a pointer: run-id.txt and an index.html that redirects to the run's page.
 */
function pointLatest(outDir: string, id: string): 'link' | 'pointer' {
  const latestDir = join(outDir, 'latest');
  const old = lstatSync(latestDir, { throwIfNoEntry: false });
  // The link itself goes, never what it points to; a copy left by an older domsec (or a pointer folder) goes whole.
  if (old?.isSymbolicLink()) unlinkSync(latestDir);
  else if (old) rmSync(latestDir, { recursive: true, force: true });
  try {
    if (process.platform === 'win32') symlinkSync(resolve(outDir, id), latestDir, 'junction'); // a junction's target must be absolute
    else symlinkSync(id, latestDir, 'dir');
    return 'link';
  } catch {
    mkdirSync(latestDir, { recursive: true });
    writeFileSync(join(latestDir, LATEST_POINTER), `${id}\n`);
    const href = `../${encodeURIComponent(id)}/index.html`;
    writeFileSync(join(latestDir, 'index.html'), `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=${href}">`
      + `<title>latest domsec run</title><p>The latest run is <a href="${href}">${id}</a>.</p>\n`);
    return 'pointer';
  }
}

/** The run folder latest/ stands for, whichever way it was written; undefined when there is none. */
export function latestRunDir(outDir: string): string | undefined {
  const latestDir = join(outDir, 'latest');
  const pointer = join(latestDir, LATEST_POINTER);
  if (existsSync(pointer)) return join(outDir, readFileSync(pointer, 'utf8').trim());
  return existsSync(latestDir) ? latestDir : undefined;
}

/** Run folders are the report root's real directories holding a results.json; anything else there is left alone. */
function runFolders(outDir: string): { name: string; at: number }[] {
  return readdirSync(outDir).flatMap((name) => {
    const dir = join(outDir, name);
    if (name === 'latest' || !lstatSync(dir).isDirectory()) return [];
    const results = join(dir, 'results.json');
    return existsSync(results) ? [{ name, at: statSync(results).mtimeMs }] : [];
  });
}

/** Keeps the `keep` newest run folders (by when their results.json was written); never the run just written. */
export function pruneRuns(outDir: string, keep: number, current: string): string[] {
  if (keep <= 0) return [];
  const older = runFolders(outDir).filter((r) => r.name !== current).sort((a, b) => b.at - a.at || b.name.localeCompare(a.name));
  const drop = older.slice(Math.max(0, keep - 1)).reverse().map((r) => r.name);
  for (const name of drop) rmSync(join(outDir, name), { recursive: true, force: true });
  return drop;
}

export function writeReport(run: RunResult, outDir: string, extraFiles: Record<string, string | Uint8Array> = {}, options: WriteOptions = {}): WrittenReport {
  mkdirSync(outDir, { recursive: true });
  const { dir, id } = freeRunDir(outDir, run.runId);
  const final: RunResult = { ...run, runId: id };
  mkdirSync(dir, { recursive: true });
  const contents: Record<string, string | Uint8Array> = {
    'results.json': `${JSON.stringify(final, null, 2)}\n`,
    'junit.xml': renderJunitXml(final),
    'index.html': renderHtmlReport(final),
    ...extraFiles,
  };
  for (const [name, data] of Object.entries(contents)) writeFileSync(join(dir, name), data);
  const latest = pointLatest(outDir, id);
  const pruned = pruneRuns(outDir, options.keep ?? DEFAULT_KEEP, id);
  return { runDir: dir, latestDir: join(outDir, 'latest'), runId: id, files: Object.keys(contents), latest, pruned };
}
