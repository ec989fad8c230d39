// The MTA gate: skip with a reason on a developer machine, fail under CI=true.
import { describe, expect, it } from 'vitest';
import { assertMta, mtaGate } from './require-mta.js';

describe('mtaGate', () => {
  it('a missing MTA is skipped on a developer machine but must fail under CI=true', () => {
    // An Exim root that does not exist, and no system exim4 (postfix and exim4 conflict in Debian).
    const env = { DOMSEC_EXIM_ROOT: '/nonexistent/domsec-exim' };
    const dev = mtaGate('exim', env);
    if (dev.available) return; // a system exim4 is installed here: nothing to show
    expect(dev.reason).toMatch(/unpack-exim\.sh|root/);
    expect(dev.mustFail).toBe(false);
    expect(mtaGate('exim', { ...env, CI: 'true' }).mustFail).toBe(true);
  });

  it('assertMta throws ERR_MTA_MISSING with the fix in the message when the MTA is absent', () => {
    const g = mtaGate('postfix');
    if (g.available) expect(() => assertMta('postfix')).not.toThrow();
    else expect(() => assertMta('postfix')).toThrow(expect.objectContaining({ code: 'ERR_MTA_MISSING' }));
  });
});
