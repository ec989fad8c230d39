import { describe, expect, it } from 'vitest';
import { isDomsecError } from '../../errors.js';
import { MemoryFileSystem, normalizePath } from './runtime.js';

describe('MemoryFileSystem', () => {
  it('treats Windows paths case-insensitively with either slash', () => {
    const fs = new MemoryFileSystem();
    fs.writeFile('c:\\certificates\\import.pfx', new Uint8Array([1, 2]));
    expect(fs.readFile('C:/Certificates/IMPORT.pfx')).toEqual(new Uint8Array([1, 2]));
    expect(normalizePath(' C:/A/b ')).toBe('c:\\a\\b');
  });

  it('names the missing file and the files it has', () => {
    const fs = new MemoryFileSystem();
    fs.writeFile('c:\\a.cer', new Uint8Array([1]));
    let err: unknown;
    try { fs.readFile('c:\\b.cer'); } catch (e) { err = e; }
    expect(isDomsecError(err, 'ERR_SHELL_FILE')).toBe(true);
    expect((err as Error).message).toBe("Could not find file 'c:\\b.cer'. Check the path; the shell's files are: c:\\a.cer.");
  });
});
