// `domsec shell` in a terminal: Tab completes a cmdlet name and a parameter, and the completed line runs.
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { shellCommand } from './shell-command.js';

describe('domsec shell: tab completion in an interactive terminal', () => {
  it('completes "Get-TransportConf<Tab>" and "-TLSS<Tab>" and runs the completed lines', async () => {
    let out = '';
    const stdout = new Writable({ write: (c, _e, done) => { out += String(c); done(); } });
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
    const io = { stdout, stderr: stdout, cwd: process.cwd(), env: {}, now: () => new Date(0), stdin };
    const running = shellCommand(['adatum-treyresearch'], io);
    // Wait for what the user would wait for (the prompt, then the echo), never for a fixed time.
    const until = async (text: string) => {
      for (let i = 0; i < 2000 && !out.includes(text); i++) await new Promise((r) => setTimeout(r, 10));
      expect(out).toContain(text);
    };
    await until('[PS] ');
    stdin.write('Set-TransportConfig -TLSS');
    stdin.write('\t');
    await until('-TLSSendDomainSecureList');
    stdin.write(' contoso.com\r');
    stdin.write('Get-TransportConf');
    stdin.write('\t');
    await until('Get-TransportConfig');
    stdin.write('\r');
    await until('TLSSendDomainSecureList         : {contoso.com}');
    stdin.write('exit\r');
    expect(await running).toBe(0);
  }, 60_000);
});
