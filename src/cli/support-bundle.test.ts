// The support code as --parallel's workers import it: one JavaScript module built from the files, run in a fresh Node
// process as a worker is (source maps on, no tsx), kept while its files are unchanged and built again when one changes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLED_WORKER_SETUP, WORKER_SETUP, withWorkerSetup } from './run-parallel.js';
import { supportBundle } from './support-bundle.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
mkdirSync(join(repo, '.tmp'), { recursive: true });
// Inside the project (the bundle is only for the project's own files), outside git (.tmp/ is ignored).
const dir = mkdtempSync(join(repo, '.tmp', 'bundle-'));
const made = new Set<string>();

const first = join(dir, 'first.ts');
const second = join(dir, 'second.ts');
writeFileSync(join(dir, 'data.txt'), 'next to first.ts\n');
writeFileSync(first, [
  "import { readFileSync } from 'node:fs';",
  "const order: string[] = ((globalThis as { order?: string[] }).order ??= []);",
  "order.push('first');",
  "(globalThis as { sibling?: string }).sibling = readFileSync(new URL('./data.txt', import.meta.url), 'utf8').trim();",
  '',
].join('\n'));
function writeSecond(word: string) {
  writeFileSync(second, [
    "const order: string[] = ((globalThis as { order?: string[] }).order ??= []);",
    `order.push('${word}');`,
    'interface Failing { fail(): never }',
    "(globalThis as unknown as Failing).fail = () => { throw new Error('a step failed'); };",
    '',
  ].join('\n'));
}
writeSecond('second');

/** Imports the bundle in a fresh process as a bundled worker does (run-worker-bundled.mjs turns source maps on first). */
function importInWorker(bundle: string): { order: string[]; sibling: string; stack: string } {
  const script = [
    'process.setSourceMapsEnabled(true);',
    `await import(${JSON.stringify(pathToFileURL(bundle).href)});`,
    'let stack = ""; try { globalThis.fail(); } catch (e) { stack = e.stack; }',
    'console.log(JSON.stringify({ order: globalThis.order, sibling: globalThis.sibling, stack }));',
  ].join('\n');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: tmpdir(), encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { order: string[]; sibling: string; stack: string };
}

async function bundleOf(paths: string[]): Promise<string> {
  const file = await supportBundle(paths);
  expect(file).toBeDefined();
  made.add(file!);
  return file!;
}

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const f of made) rmSync(f, { force: true });
});

describe('the support bundle of --parallel workers', () => {
  it('imports the files in the order given, finds their neighbours and names the TypeScript line of an error', async () => {
    const got = importInWorker(await bundleOf([second, first]));
    expect(got.order).toEqual(['second', 'first']); // cucumber numbers step definitions in the order they are defined
    expect(got.sibling).toBe('next to first.ts'); // import.meta.url is the file's own, not the bundle's
    expect(got.stack).toContain(`${second}:4:`); // the .ts file and line, as under tsx
  });

  it('is kept while its files are unchanged and built again when one changes', async () => {
    const paths = [first, second];
    const file = await bundleOf(paths);
    const built = statSync(file).mtimeMs;
    expect(await bundleOf(paths)).toBe(file);
    expect(statSync(file).mtimeMs).toBe(built);

    writeSecond('second, edited');
    utimesSync(second, new Date(), new Date(Date.now() + 5_000)); // a new modification time even on a coarse clock
    expect(await bundleOf(paths)).toBe(file);
    expect(importInWorker(file).order).toEqual(['first', 'second, edited']);
    expect(readFileSync(file, 'utf8')).toContain('second, edited');
  });

  it('is not made for support code outside the project: those workers import the files through tsx', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'domsec-outside-'));
    try {
      writeFileSync(join(outside, 'steps.ts'), 'export {};\n');
      expect(await supportBundle([first, join(outside, 'steps.ts')])).toBeUndefined();
      expect(await supportBundle([])).toBeUndefined();
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('a worker gets the bundled setup and the bundle of the main process, or the tsx setup and the files when there is none', () => {
    const bundled = withWorkerSetup({ originalCoordinates: { importPaths: ['/cache/support.mjs'], requirePaths: [] } }, '/cache/support.mjs');
    expect(bundled.originalCoordinates).toEqual({ importPaths: [BUNDLED_WORKER_SETUP, '/cache/support.mjs'], requirePaths: [] });
    const plain = withWorkerSetup({ originalCoordinates: { importPaths: [WORKER_SETUP, first, second], requirePaths: [] } }, undefined);
    expect(plain.originalCoordinates.importPaths).toEqual([WORKER_SETUP, first, second]);
  });
});
