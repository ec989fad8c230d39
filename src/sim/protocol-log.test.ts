// A protocol log whose folder cannot be written (disk full, logs/ removed or replaced) tells once and keeps going.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolLog } from './protocol-log.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const line = (n: number) => ({ dateTime: '2026-03-02T09:00:00.000Z', connectorId: 'EX1\\Default', sessionId: 'S1', sequence: n, local: 'a:25', remote: 'b:1', event: '<' as const, data: `line ${n}`, context: '' });

describe('ProtocolLog write failures', () => {
  it('raises one error per failing spell, keeps the lines in memory, and writes again once the folder can be made', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'domsec-plog-'));
    dirs.push(root);
    const blocked = path.join(root, 'logs');
    writeFileSync(blocked, 'a file where the log folder should be');
    const log = new ProtocolLog(path.join(blocked, 'SmtpReceive'), 'Receive');
    const errors: string[] = [];
    log.onWriteError = (file, e) => errors.push(`${path.basename(file)} ${(e as NodeJS.ErrnoException).code}`);
    expect(() => { log.write(line(0)); log.write(line(1)); log.flush(); }).not.toThrow();
    expect(errors).toEqual(['RECV20260302-1.LOG ENOTDIR']);
    expect(log.lines).toHaveLength(2);
    rmSync(blocked);
    log.write(line(2));
    log.flush();
    expect(readFileSync(log.fileFor(line(2).dateTime), 'utf8')).toContain('line 2');
    log.close();
  });
});

describe('ProtocolLog batches its writes off the event loop', () => {
  const rowsOf = (log: ProtocolLog) => readFileSync(log.fileFor(line(0).dateTime), 'utf8').split('\r\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',')[7]);

  it('writes a burst in the background, without a flush', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'domsec-plog-'));
    dirs.push(root);
    const log = new ProtocolLog(path.join(root, 'SmtpReceive'), 'Receive');
    for (let n = 0; n < 5; n++) log.write(line(n));
    // The file and its header exist at once; the rows come with the batch, a few ms later.
    expect(rowsOf(log)).toEqual([]);
    for (let i = 0; i < 200 && rowsOf(log).length < 5; i++) await new Promise((r) => setTimeout(r, 10));
    expect(rowsOf(log)).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
    log.close();
  });

  it('has every line in its file, once and in order, whenever a reader flushes, even with batches still on their way', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'domsec-plog-'));
    dirs.push(root);
    const log = new ProtocolLog(path.join(root, 'SmtpReceive'), 'Receive');
    let n = 0;
    for (let round = 0; round < 40; round++) {
      for (let k = 0; k < 1 + (round % 4); k++) log.write(line(n++));
      // Some rounds read at once, some as the 20 ms batch has just been handed to the thread pool, some later.
      await new Promise((r) => setTimeout(r, [0, 19, 20, 21, 25][round % 5]));
      const files = log.files();
      expect(files).toEqual([log.fileFor(line(0).dateTime)]);
      expect(rowsOf(log)).toEqual(Array.from({ length: n }, (_, i) => `line ${i}`));
    }
    const text = readFileSync(log.fileFor(line(0).dateTime), 'utf8');
    expect(text.startsWith('#Software: Microsoft Exchange Server\r\n')).toBe(true);
    expect(text.endsWith(`${log.text()}\r\n`)).toBe(true);
    log.close();
  });
});

describe('ProtocolLog keeps its file open between batches', () => {
  it('starts a file removed under it again, with its header, and says so once', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'domsec-plog-'));
    dirs.push(root);
    const log = new ProtocolLog(path.join(root, 'SmtpReceive'), 'Receive');
    const errors: string[] = [];
    log.onWriteError = (file) => errors.push(path.basename(file));
    log.write(line(0));
    log.flush();
    const file = log.fileFor(line(0).dateTime);
    rmSync(file);
    log.write(line(1)); // its batch finds the file gone: kept in memory only
    await new Promise((r) => setTimeout(r, 60));
    log.write(line(2));
    log.flush();
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('#Software: Microsoft Exchange Server\r\n')).toBe(true);
    expect(text).toContain('line 2');
    expect(text).not.toContain('line 0');
    expect(errors).toEqual(['RECV20260302-1.LOG']);
    expect(log.lines.map((l) => l.data)).toEqual(['line 0', 'line 1', 'line 2']);
    log.close();
  });
});
