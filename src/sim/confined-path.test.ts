// Every lab writer resolves its path through insideDir: nothing a lab file names can write outside the lab's folder.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { insideDir } from './confined-path.js';

describe('insideDir', () => {
  it('joins names that stay inside', () => {
    expect(insideDir('/tmp/lab', 'fabrikam.com', 'EX1.pfx')).toBe(path.resolve('/tmp/lab/fabrikam.com/EX1.pfx'));
    expect(insideDir('/tmp/lab', 'ca/roots.pem')).toBe(path.resolve('/tmp/lab/ca/roots.pem'));
    expect(insideDir('/tmp/lab', 'a..b')).toBe(path.resolve('/tmp/lab/a..b'));
  });

  it.each([['..'], ['../..'], ['x/../../y'], ['/etc/passwd'], ['fabrikam.com', '../../../etc'], ['nul\0byte']])('refuses %j with ERR_PATH_OUTSIDE', (...parts) => {
    expect(() => insideDir('/tmp/lab', ...parts)).toThrow(expect.objectContaining({ code: 'ERR_PATH_OUTSIDE' }));
  });
});
