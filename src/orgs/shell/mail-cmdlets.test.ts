import { describe, expect, it } from 'vitest';
import type { ShellRuntime } from './runtime.js';
import { adatumOrg, ok, shellFor } from './shell-fixture.js';

describe('Send-MailMessage', () => {
  it('submits as a user of the organization through the runtime, positional -To and -Subject as PowerShell binds them', async () => {
    const sent: unknown[] = [];
    const runtime: ShellRuntime = { sendMessage: async (m) => { sent.push(m); return '<m1@adatum.com>'; } };
    const sh = shellFor(adatumOrg(), { runtime });
    const r = await ok(sh, 'Send-MailMessage pat@treyresearch.net,lee@treyresearch.net "Quarterly figures" -From kim@adatum.com -SmtpServer ignored.example');
    expect(r.output).toBe('');
    expect(sent).toEqual([{ from: 'kim@adatum.com', to: ['pat@treyresearch.net', 'lee@treyresearch.net'], subject: 'Quarterly figures' }]);
  });

  it('refuses a sender outside the accepted domains, a non-address, and a shell without a transport', async () => {
    const runtime: ShellRuntime = { sendMessage: async () => 'x' };
    const outsider = await shellFor(adatumOrg(), { runtime }).run('Send-MailMessage -From kim@contoso.com -To pat@treyresearch.net');
    expect(outsider.error).toMatchObject({ code: 'ERR_PARAMETER_VALUE', message: expect.stringContaining('The sender kim@contoso.com is not a user of') });
    const bad = await shellFor(adatumOrg(), { runtime }).run('Send-MailMessage -From kim@adatum.com -To pat');
    expect(bad.error).toMatchObject({ code: 'ERR_PARAMETER_VALUE', message: '"pat" is not an e-mail address.' });
    const bare = await shellFor(adatumOrg()).run('Send-MailMessage -From kim@adatum.com -To pat@treyresearch.net');
    expect(bare.error?.code).toBe('ERR_SHELL_RUNTIME');
  });
});
