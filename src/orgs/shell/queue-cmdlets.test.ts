import { describe, expect, it } from 'vitest';
import type { ShellRuntime } from './runtime.js';
import { adatumOrg, ok, shellFor } from './shell-fixture.js';

function runtime(): ShellRuntime & { retried: (string | undefined)[] } {
  const retried: (string | undefined)[] = [];
  return {
    retried,
    queues: () => [{
      identity: 'EX1\\3', nextHopDomain: 'treyresearch.net', status: 'Retry', messageCount: 1, retryCount: 2, tlsDomain: 'treyresearch.net',
      lastError: '451 4.4.0 Primary target IP address responded with: "454 4.7.5 Certificate validation failure."',
      nextRetryTime: '2026-03-02T09:10:00.000Z',
    }],
    retryQueue: async (identity) => { retried.push(identity); },
    messages: () => [{ identity: 'EX1\\3\\1', from: 'kim@adatum.com', to: ['pat@treyresearch.net'], subject: 'Hello', status: 'Retry', queue: 'EX1\\3' }],
    trackingLog: () => [
      { dateTime: '2026-03-02T09:00:00.000Z', server: 'EX1', eventId: 'RECEIVE', source: 'SMTP', messageId: '<m1@adatum.com>', sender: 'kim@adatum.com', recipients: ['pat@treyresearch.net'], subject: 'Hello' },
      { dateTime: '2026-03-02T09:00:01.000Z', server: 'EX1', eventId: 'DEFER', source: 'SMTP', messageId: '<m1@adatum.com>', sender: 'kim@adatum.com', recipients: ['pat@treyresearch.net'], subject: 'Hello', recipientStatus: '454 4.7.5 Certificate validation failure' },
    ],
  };
}

describe('queue cmdlets (DS-QUEUE-01, DS-LOG-04)', () => {
  it('Get-Queue lists queues in Exchange\'s columns; | FL shows LastError and TlsDomain', async () => {
    const sh = shellFor(adatumOrg(), { runtime: runtime() });
    const t = (await ok(sh, 'Get-Queue')).output.split('\n');
    expect(t[0]).toBe('Identity DeliveryType         Status MessageCount Velocity RiskLevel OutboundIPPool NextHopDomain');
    expect(t[2]).toBe('EX1\\3    DnsConnectorDelivery Retry  1            0        Normal    0              treyresearch.net');
    const fl = (await ok(sh, 'Get-Queue -Identity EX1\\3 | fl')).output;
    expect(fl).toMatch(/^LastError +: 451 4\.4\.0 Primary target/m);
    expect(fl).toMatch(/^TlsDomain +: treyresearch\.net$/m);
    expect((await sh.run('Get-Queue nowhere.example')).error?.code).toBe('ERR_CONNECTOR_NOT_FOUND');
  });

  it('Retry-Queue forces an attempt through the runtime, by identity or next-hop domain', async () => {
    const rt = runtime();
    const sh = shellFor(adatumOrg(), { runtime: rt });
    await ok(sh, 'Retry-Queue EX1\\3');
    await ok(sh, 'Get-Queue | Retry-Queue');
    expect(rt.retried).toEqual(['EX1\\3', 'EX1\\3']);
    expect((await sh.run('Retry-Queue -Identity EX1\\9')).error?.code).toBe('ERR_CONNECTOR_NOT_FOUND');
  });

  it('Get-Message and Get-MessageTrackingLog read the runtime, with filters', async () => {
    const sh = shellFor(adatumOrg(), { runtime: runtime() });
    expect((await ok(sh, 'Get-Message -Queue EX1\\3')).objects).toEqual([expect.objectContaining({ FromAddress: 'kim@adatum.com', Status: 'Retry' })]);
    const log = await ok(sh, 'Get-MessageTrackingLog -EventId DEFER -Recipients pat@treyresearch.net');
    expect(log.objects).toEqual([expect.objectContaining({ EventId: 'DEFER', RecipientStatus: ['454 4.7.5 Certificate validation failure'] })]);
    expect(log.output.split('\n')[0]).toBe('EventId Source Sender         Recipients             MessageSubject');
  });

  it('without a runtime each queue cmdlet says it needs a running organization, in PowerShell\'s shape', async () => {
    const sh = shellFor(adatumOrg());
    for (const line of ['Get-Queue', 'Retry-Queue EX1\\3', 'Get-Message', 'Get-MessageTrackingLog']) {
      const r = await sh.run(line);
      expect(r.error?.code, line).toBe('ERR_SHELL_RUNTIME');
      expect(r.output).toContain(`FullyQualifiedErrorId : ERR_SHELL_RUNTIME,${line.split(' ')[0]}`);
    }
  });
});
