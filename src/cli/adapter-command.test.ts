// `domsec adapter check`: what a shim author sees for a good shim, a malformed answer, a silent shim and a bad SPEC.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.js';
import { main } from './main.js';

const fixtures = fileURLToPath(new URL('../peers/fixtures/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'domsec-adapter-check-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const w = (append: (s: string) => void) => new Writable({ write: (c, _e, done) => { append(String(c)); done(); } });
  return { stdout: w((s) => { out += s; }), stderr: w((s) => { err += s; }), cwd: fixtures, env: {}, now: () => new Date(0), out: () => out, err: () => err };
}
const node = `"${process.execPath}"`;
const noMs = (s: string) => s.replace(/ \(\d+ ms\)$/gm, '');

describe('domsec adapter check', () => {
  it('says per call what a shim answered and what is not observable, exit 0', async () => {
    const io = capture();
    expect(await main(['adapter', 'check', `cmd:${node} test-shim.mjs good`, '--from', 'alice@treyresearch.net', '--to', 'bob@adatum.com'], io)).toBe(0);
    expect(noMs(io.out())).toBe([
      `Adapter cmd:${node} test-shim.mjs good`,
      '  capabilities  answered        v1 "test shim", says it answers: submit, queues, log',
      '  submit        answered        Message-ID <id-domsec adapter check@test>',
      '  mailbox       not observable  the test shim has no mailbox',
      '  queues        answered        adatum.com Retry 2 (451 4.4.0 try later)',
      '  retry         not observable  the test shim has no retry',
      '  log           answered        2 lines',
      '  readings      not observable  the test shim has no readings',
      '4 of 7 calls answered; the rest are not observable (never a pass).',
      '',
    ].join('\n'));
  });

  it('names the malformed field and the silent call, exit 1; submit is not asked without --from/--to', async () => {
    const io = capture();
    expect(await main(['adapter', 'check', 'cmd:node', 'test-shim.mjs', 'unknown-field', '--json'], io)).toBe(1);
    const calls = (JSON.parse(io.out()) as { calls: { call: string; status: string; detail: string }[] }).calls;
    expect(calls.map((c) => `${c.call} ${c.status}`)).toEqual(['capabilities malformed', 'submit skipped', 'mailbox skipped', 'queues malformed', 'retry malformed', 'log malformed', 'readings malformed']);
    expect(calls[3].detail).toMatch(/queues\[0\]\.lastErorr: unknown key \(did you mean lastError\?\).*\[ERR_ADAPTER_ANSWER\]$/);
    const slow = capture();
    expect(await main(['adapter', 'check', `cmd:${node} test-shim.mjs slow ${join(tmp, 'pid')}`, '--timeout', '0.3'], slow)).toBe(1);
    expect(slow.out()).toMatch(/^ {2}log {11}failed {9}.* did not answer "log" within 0\.3 s \(it was ended\)\. \[ERR_ADAPTER_TIMEOUT\]/m);
  }, 20_000);

  it('a SPEC that is none of the forms is exit 2 with ERR_ADAPTER_SPEC', async () => {
    const io = capture();
    expect(await main(['adapter', 'check', 'postfix'], io)).toBe(2);
    expect(io.err()).toBe('domsec adapter: The adapter "postfix" is not an adapter; give manual, cmd:PATH [ARGS] or http://HOST:PORT/BASE (docs/adapter-contract.md). [ERR_ADAPTER_SPEC]\n');
  });
});
