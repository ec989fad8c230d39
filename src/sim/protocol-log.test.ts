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
  });
});
