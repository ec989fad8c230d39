// domsec in-process: dispatch, usage errors with exit 2 and their sentences, doctor over a results.json.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { collectNdjson } from '../report/collect-cucumber-messages.js';
import type { CliIo } from './cli-io.js';
import { main } from './main.js';

function capture(cwd = process.cwd()): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const w = (append: (s: string) => void) => new Writable({ write: (c, _e, done) => { append(String(c)); done(); } });
  return {
    stdout: w((s) => { out += s; }), stderr: w((s) => { err += s; }), cwd, env: {}, now: () => new Date('2026-03-02T09:00:00Z'),
    out: () => out, err: () => err,
  };
}

describe('domsec', () => {
  it('prints usage and exits 2 without a command, 0 with --help', async () => {
    const a = capture();
    expect(await main([], a)).toBe(2);
    expect(a.err()).toContain('Usage: domsec <command>');
    const b = capture();
    expect(await main(['--help'], b)).toBe(0);
    expect(b.out()).toContain('lab up [lab-file]');
  });

  it('names an unknown command and exits 2', async () => {
    const io = capture();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.err()).toBe('domsec: "frobnicate" is not a command. Commands: run, lab, lab up, lab send, lab down, lab status, lab mailbox, doctor, cert, shell, rules, report, adapter. Run "domsec --help".\n');
  });

  it('prints its version from package.json', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V', 'version']) {
      const io = capture();
      expect(await main([flag], io)).toBe(0);
      expect(io.out()).toBe(`domsec ${pkg.version}\n`);
    }
  });

  it.each([['run'], ['lab'], ['lab', 'up'], ['lab', 'down'], ['lab', 'status'], ['lab', 'send'], ['doctor'], ['cert'], ['shell'], ['rules']])(
    '"help %s %s" and "%s %s --help" print the same usage, and every option in its usage line is explained',
    async (...words) => {
      const help = capture();
      expect(await main(['help', ...words], help)).toBe(0);
      const flag = capture();
      expect(await main([...words, '--help'], flag)).toBe(0);
      expect(help.out()).toBe(flag.out());
      const [usageLine, ...body] = help.out().split('\n');
      expect(usageLine).toMatch(new RegExp(`^Usage: domsec ${words.join(' ')}`));
      const explained = body.filter((l) => /^ {2}-/.test(l)).join('\n');
      for (const opt of usageLine.match(/(?<![\w-])--?[a-z][a-z-]*/g) ?? []) expect(explained, `${opt} in "${usageLine}"`).toMatch(new RegExp(`(^|, | )${opt}\\b`, 'm'));
    },
  );

  it.each([
    [['rnu'], 'domsec: "rnu" is not a command. Did you mean "run"?'],
    [['help', 'doctr'], 'domsec: "doctr" is not a command. Did you mean "doctor"?'],
    [['lab', 'stauts'], 'Did you mean "lab status"? [ERR_LAB_FILE]'],
    [['run', '--tgas', 'x'], 'domsec run: Unknown option \'--tgas\'. Did you mean "--tags"? Run "domsec run --help" for the options. [ERR_USAGE]'],
    [['lab', 'up', '--pfx-pasword', 'x'], 'Did you mean "--pfx-password"?'],
    [['run', '--dryrun'], 'Did you mean "--dry-run"?'],
    [['lab', 'contoso-woodgrov'], '"contoso-woodgrov" is neither a lab file nor a documented lab (adatum-treyresearch, contoso-woodgrove). Did you mean "contoso-woodgrove"? [ERR_LAB_FILE]'],
  ])('suggests the near miss for %j', async (argv, sentence) => {
    const io = capture();
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toContain(sentence);
  });

  it.each([
    [['run', '--frobnicate'], "domsec run: Unknown option '--frobnicate'. Run \"domsec run --help\" for the options. [ERR_USAGE]"],
    [['run', '--run-id', '../x'], 'domsec run: --run-id "../x" is not usable as a folder name'],
    [['run', '--expectations', 'nope.json'], 'domsec run: the expectations file nope.json does not exist. [ERR_USAGE]'],
    [['lab', 'atlantis'], 'domsec lab: "atlantis" is neither a lab file nor a documented lab (adatum-treyresearch, contoso-woodgrove). [ERR_LAB_FILE]'],
    [['lab', 'send', '--to', 'a@b.com'], 'domsec lab send: --from is required. [ERR_USAGE]'],
    [['lab', 'send', '--from', 'kim', '--to', 'a@b.com'], 'domsec lab send: "kim" is not an e-mail address. [ERR_USAGE]'],
    [['doctor', '--lab', 'x', '--evidence', 'y'], 'domsec doctor: give one of --results, --lab and --evidence. [ERR_USAGE]'],
    [['doctor', '--results', 'missing.json'], 'domsec doctor: the results file'],
  ])('%j is a usage error (exit 2) with a clear sentence', async (argv, sentence) => {
    const io = capture();
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toContain(sentence);
  });

  it('refuses a lab file with an unknown lab, naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'domsec-labfile-'));
    writeFileSync(join(dir, 'lab.yaml'), 'lab: atlantis\n');
    const io = capture(dir);
    expect(await main(['lab', 'lab.yaml'], io)).toBe(2);
    expect(io.err()).toContain('lab.yaml: lab: must be one of adatum-treyresearch, contoso-woodgrove (as spelled), not the string "atlantis".');
  });

  it('doctor reads a results.json and names the cause of a failing scenario', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'domsec-doctor-'));
    const run = collectNdjson(readFileSync(new URL('../report/fixtures/run.ndjson', import.meta.url), 'utf8'), { runId: 'r', seed: 's' });
    writeFileSync(join(dir, 'results.json'), JSON.stringify(run));
    const io = capture(dir);
    expect(await main(['doctor', '--results', 'results.json', '--scenario', 'DS-RECV-04'], io)).toBe(1);
    expect(io.out()).toContain('features/receive.feature:14 No client certificate is refused [DS-RECV-04] (fail)');
    expect(io.out()).toContain('1. [DS-RECV-04] one-sided configuration: fix in adatum.com (hop-2)');
    expect(io.out()).toContain('     Rule: DS-RECV-04 (Listed sender with TLS but no client certificate): A listed sender that negotiated TLS');
    expect(io.out()).toContain('Fix: Set-TransportConfig -TLSSendDomainSecureList @{Add="treyresearch.net"}');
    const json = capture(dir);
    expect(await main(['doctor', '--results', 'results.json', '--scenario', 'Mutual TLS is accepted as Partner', '--json'], json)).toBe(0);
    expect(JSON.parse(json.out())).toEqual([{ title: 'features/receive.feature:8 Mutual TLS is accepted as Partner [DS-RECV-07 DS-SEND-06] (pass)', findings: [], fixed: [] }]);
  });
});
