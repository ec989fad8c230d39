// Session lines arrive together, in order, within a batch interval, and nothing is left behind at the end.
import { PassThrough } from 'node:stream';
import { expect, it } from 'vitest';
import { BatchedLines } from './batched-lines.js';

it('writes the lines of a burst in one write, in order, and flush() leaves nothing behind', async () => {
  const out = new PassThrough();
  const writes: string[] = [];
  out.on('data', (c: Buffer) => writes.push(c.toString()));
  const lines = new BatchedLines(out, 20);
  for (let i = 0; i < 5; i++) lines.add(`session ${i}`);
  expect(writes).toEqual([]);
  await new Promise((r) => setTimeout(r, 60));
  expect(writes).toEqual(['session 0\nsession 1\nsession 2\nsession 3\nsession 4\n']);
  lines.add('last');
  lines.flush();
  await new Promise((r) => setImmediate(r));
  expect(writes.at(-1)).toBe('last\n');
});
