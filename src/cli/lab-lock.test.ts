// The lab folder lock: one holder, named when refused; a dead or reused pid does not hold a folder.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, acquireLabLock, isAlive, processStart } from './lab-lock.js';

describe('lab lock', () => {
  it('a second taker is refused with ERR_LAB_BUSY naming the holder; release frees the folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'domsec-lock-'));
    const lock = acquireLabLock(dir, dir);
    expect(lock.tookOverFrom).toBeUndefined();
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    expect(() => acquireLabLock(dir, dir)).toThrow(expect.objectContaining({ code: 'ERR_LAB_BUSY', message: expect.stringContaining(`a lab (pid ${process.pid}) is running in ${dir}`) }));
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    acquireLabLock(dir, dir).release();
  });

  it('a pid that now belongs to another process (its start time differs) does not hold the folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'domsec-lock-'));
    const start = processStart(process.pid);
    if (start === undefined) return; // no /proc: the start time cannot be compared here
    expect(isAlive({ pid: process.pid, start })).toBe(true);
    expect(isAlive({ pid: process.pid, start: `${start}1` })).toBe(false);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, start: `${start}1`, since: 'then' }));
    const lock = acquireLabLock(dir, dir);
    expect(lock.tookOverFrom).toBe(process.pid);
    lock.release();
  });
});
