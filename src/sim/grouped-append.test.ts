// Grouped durable appends: every caller is told only once its own line is in the file, and a failed write tells each.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { GroupedAppend } from './grouped-append.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

it('resolves each append only when its line is in the file, many at a time, in the order they came', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'domsec-grouped-'));
  dirs.push(dir);
  const file = join(dir, 'box.jsonl');
  const log = new GroupedAppend(file);
  const seenOnDisk: boolean[] = [];
  await Promise.all(Array.from({ length: 60 }, (_, i) => log.append(`{"n":${i}}`).then(() => {
    seenOnDisk[i] = readFileSync(file, 'utf8').split('\n').includes(`{"n":${i}}`);
  })));
  expect(seenOnDisk).toEqual(Array(60).fill(true));
  expect(readFileSync(file, 'utf8')).toBe(Array.from({ length: 60 }, (_, i) => `{"n":${i}}\n`).join(''));
});

it('rejects every append of a group that could not be written, and writes again once it can', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'domsec-grouped-'));
  dirs.push(dir);
  const file = join(dir, 'box.jsonl');
  mkdirSync(file); // a folder where the file should be: open() fails as a full disk or a removed folder would
  const log = new GroupedAppend(file);
  const results = await Promise.allSettled([log.append('a'), log.append('b'), log.append('c')]);
  expect(results.map((r) => (r.status === 'rejected' ? (r.reason as NodeJS.ErrnoException).code : 'ok'))).toEqual(['EISDIR', 'EISDIR', 'EISDIR']);
  rmSync(file, { recursive: true });
  await log.append('d');
  expect(readFileSync(file, 'utf8')).toBe('d\n');
});
