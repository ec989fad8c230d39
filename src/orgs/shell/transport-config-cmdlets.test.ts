import { describe, expect, it } from 'vitest';
import { adatumOrg, ok, shellFor } from './shell-fixture.js';

describe('Get-/Set-TransportConfig (DS-CONF-01, DS-CONF-08)', () => {
  it('Get-TransportConfig | FL shows both lists empty as {} with aligned colons (seed 001/002 line)', async () => {
    const r = await ok(shellFor(adatumOrg()), 'Get-TransportConfig | FL');
    const lines = r.output.split('\n');
    expect(lines).toContain('TLSReceiveDomainSecureList      : {}');
    expect(lines).toContain('TLSSendDomainSecureList         : {}');
    expect(new Set(lines.map((l) => l.indexOf(' : '))).size).toBe(1);
  });

  it('a plain list replaces the whole list and shows as {a, b}', async () => {
    const org = adatumOrg();
    const sh = shellFor(org);
    await ok(sh, 'Set-TransportConfig -TLSSendDomainSecureList a.com');
    await ok(sh, 'Set-TransportConfig -TLSSendDomainSecureList treyresearch.net,Contoso.com');
    expect(org.transport.tlsSendDomainSecureList).toEqual(['treyresearch.net', 'contoso.com']);
    expect((await ok(sh, 'Get-TransportConfig | FL')).output).toMatch(/^TLSSendDomainSecureList +: \{treyresearch\.net, contoso\.com\}$/m);
  });

  it('@{Add=…;Remove=…} edits the list and $null clears it', async () => {
    const org = adatumOrg();
    const sh = shellFor(org);
    await ok(sh, 'Set-TransportConfig -TLSReceiveDomainSecureList a.com,b.com');
    await ok(sh, 'Set-TransportConfig -TLSReceiveDomainSecureList @{Add="c.com","d.com";Remove="a.com"}');
    expect(org.transport.tlsReceiveDomainSecureList).toEqual(['b.com', 'c.com', 'd.com']);
    await ok(sh, 'Set-TransportConfig -TLSReceiveDomainSecureList $null');
    expect(org.transport.tlsReceiveDomainSecureList).toEqual([]);
  });

  it('refuses a wildcard with Exchange\'s message and changes neither list', async () => {
    const org = adatumOrg();
    const sh = shellFor(org);
    await ok(sh, 'Set-TransportConfig -TLSSendDomainSecureList keep.com');
    const r = await sh.run('Set-TransportConfig -TLSReceiveDomainSecureList good.com -TLSSendDomainSecureList "*"');
    expect(r.ok).toBe(false);
    expect(r.error).toEqual({ code: 'ERR_INVALID_SMTP_DOMAIN', message: '"*" isn\'t a valid SMTP domain.' });
    expect(r.output.split('\n')[0]).toBe('"*" isn\'t a valid SMTP domain.');
    expect(r.output).toContain('    + CategoryInfo          : InvalidArgument: (:) [Set-TransportConfig]');
    expect(org.transport.tlsSendDomainSecureList).toEqual(['keep.com']);
    expect(org.transport.tlsReceiveDomainSecureList).toEqual([]);
  });

  it('runs the seed 000 line as written: "domain name" is not an SMTP domain', async () => {
    const r = await shellFor(adatumOrg()).run('Set-TransportConfig -TLSSendDomainSecureList "domain name"');
    expect(r.error?.message).toBe('"domain name" isn\'t a valid SMTP domain.');
  });

  it('refuses more than 256 entries', async () => {
    const list = Array.from({ length: 257 }, (_, i) => `d${i}.com`).join(',');
    const r = await shellFor(adatumOrg()).run(`Set-TransportConfig -TLSSendDomainSecureList ${list}`);
    expect(r.error?.code).toBe('ERR_SECURE_LIST_TOO_LONG');
  });
});

describe('Get-/Set-TransportService (DS-QUEUE-03…05 timers)', () => {
  it('sets the retry and expiry intervals and shows them as time spans', async () => {
    const org = adatumOrg();
    const sh = shellFor(org);
    await ok(sh, 'Set-TransportService EX1 -TransientFailureRetryCount 6 -TransientFailureRetryInterval 00:05:00 -OutboundConnectionFailureRetryInterval 00:10:00 -DelayNotificationTimeout 04:00:00 -MessageExpirationTimeout 2.00:00:00');
    expect(org.transport.settings).toMatchObject({
      transientFailureRetryCount: 6, transientFailureRetryInterval: 300_000, outboundConnectionFailureRetryInterval: 600_000,
      delayNotificationTimeout: 4 * 3600_000, messageExpirationTimeout: 2 * 86400_000,
    });
    const fl = (await ok(sh, 'Get-TransportServer EX1 | fl')).output;
    expect(fl).toMatch(/^MessageExpirationTimeout +: 2\.00:00:00$/m);
    expect(fl).toMatch(/^TransientFailureRetryInterval +: 00:05:00$/m);
  });

  it('refuses out-of-range values and leaves every timer unchanged', async () => {
    const org = adatumOrg();
    const before = { ...org.transport.settings };
    const sh = shellFor(org);
    const r = await sh.run('Set-TransportService -TransientFailureRetryInterval 00:05:00 -MessageExpirationTimeout 91.00:00:00');
    expect(r.error?.code).toBe('ERR_PARAMETER_VALUE');
    expect(r.error?.message).toContain("parameter 'MessageExpirationTimeout'");
    expect((await sh.run('Set-TransportService -TransientFailureRetryCount 16')).error?.message).toContain('maximum allowed range of 15');
    expect((await sh.run('Set-TransportService -TransientFailureRetryInterval 5min')).error?.message)
      .toBe('Cannot process argument transformation on parameter \'TransientFailureRetryInterval\'. Cannot convert value "5min" to type "Microsoft.Exchange.Data.EnhancedTimeSpan". Use [d.]hh:mm:ss, for example 00:10:00 or 2.00:00:00.');
    expect((await sh.run('Set-TransportService NOPE -TransientFailureRetryCount 3')).error?.code).toBe('ERR_EDGE_NOT_FOUND');
    expect(org.transport.settings).toEqual(before);
  });

  it('sets the outbound connection caps (defaults 1000 and 20); a per-domain cap above the total is refused', async () => {
    const org = adatumOrg();
    const sh = shellFor(org);
    expect((await ok(sh, 'Get-TransportService EX1 | fl')).output).toMatch(/^MaxPerDomainOutboundConnections +: 20$/m);
    await ok(sh, 'Set-TransportService EX1 -MaxOutboundConnections 50 -MaxPerDomainOutboundConnections 5');
    expect(org.transport.settings).toMatchObject({ maxOutboundConnections: 50, maxPerDomainOutboundConnections: 5 });
    const r = await sh.run('Set-TransportService EX1 -MaxPerDomainOutboundConnections 60');
    expect(r.error?.message).toContain('MaxOutboundConnections (50)');
    expect((await sh.run('Set-TransportService EX1 -MaxOutboundConnections 0')).ok).toBe(false);
    expect(org.transport.settings).toMatchObject({ maxOutboundConnections: 50, maxPerDomainOutboundConnections: 5 });
  });
});
