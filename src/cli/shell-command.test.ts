// `domsec shell` without --dir: a line that causes a delivery attempt prints its outcome, as `lab send` does.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.js';
import { main } from './main.js';

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const w = (append: (s: string) => void) => new Writable({ write: (c, _e, done) => { append(String(c)); done(); } });
  return { stdout: w((s) => { out += s; }), stderr: w((s) => { err += s; }), cwd: process.cwd(), env: {}, now: () => new Date(), out: () => out, err: () => err };
}

describe('domsec shell: lines that cause delivery attempts', () => {
  it('Send-MailMessage prints the outcome; after a one-sided change, the failure with its DS rule and LastError', async () => {
    const io = capture();
    const code = await main(['shell', '--org', 'adatum.com', '--seed', 'shell-send',
      '-c', 'Send-MailMessage -From kim@adatum.com -To pat@treyresearch.net -Subject first',
      '-c', 'Set-SendConnector "To treyresearch.net" -DomainSecureEnabled:$false',
      '-c', 'Send-MailMessage -From kim@adatum.com -To pat@treyresearch.net -Subject second'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const lines = io.out().split('\n');
    expect(lines[0]).toMatch(/^✓ kim@adatum\.com → pat@treyresearch\.net {2}<\w+@adatum\.com>$/);
    expect(lines[1]).toBe('    delivered to pat@treyresearch.net by mail.treyresearch.net as Partner (AuthDomain adatum.com): Domain Secured');
    expect(lines).toContain('      decisions: DS-SEND-06 sent; DS-RECV-07 partner');
    const failed = lines.findIndex((l) => l.startsWith('✗ kim@adatum.com → pat@treyresearch.net'));
    expect(failed).toBeGreaterThan(1);
    expect(lines[failed + 1]).toMatch(/^ {4}NOT delivered to pat@treyresearch\.net: queue EX1\\\d+ is Retry, LastError 451 4\.7\.3 The admin has temporarily disallowed this secure domain$/);
    expect(lines[failed + 2]).toBe('    hop-2 adatum.com/EX1 → treyresearch.net (not contacted): deferred  451 4.7.3 The admin has temporarily disallowed this secure domain');
    expect(lines.slice(failed)).toContain('      decisions: DS-SEND-01 defer (451 4.7.3)');
  }, 60_000);
});
