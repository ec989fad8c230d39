// The student's loop of docs/cli.md, run as written: the test reads the commands and the output shown there, runs the
// commands against a real `lab up`, and checks every shown line, so the page cannot drift from what domsec prints.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const DOC_DIR = '/tmp/lab';
const FIX_PLACEHOLDER = '<the Fix: line doctor printed>';

/** The section's first sh block (commands) and first text block (what they print), from docs/cli.md. */
function loopFromDocs(): { commands: string[]; shown: string[] } {
  const doc = readFileSync(join(repo, 'docs/cli.md'), 'utf8');
  const section = doc.slice(doc.indexOf("### The student's loop"));
  const block = (lang: string) => {
    const start = section.indexOf(`\`\`\`${lang}\n`) + lang.length + 4;
    return section.slice(start, section.indexOf('```', start)).trimEnd().split('\n');
  };
  return { commands: block('sh'), shown: block('text') };
}

/** Shell words as sh reads these lines: single or double quotes, no expansion; a trailing `# comment` is dropped. */
function words(line: string): { argv: string[]; comment: string } {
  const argv: string[] = [];
  let rest = line.trim();
  for (;;) {
    const m = /^\s*(?:'([^']*)'|"([^"]*)"|(#.*)|([^\s'"#]+))/.exec(rest);
    if (!m) break;
    if (m[3] !== undefined) return { argv, comment: m[3] };
    argv.push(m[1] ?? m[2] ?? m[4]);
    rest = rest.slice(m[0].length);
  }
  return { argv, comment: '' };
}

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/domsec.mjs', ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => { out += String(c); });
    child.stderr.on('data', (c) => { out += String(c); });
    child.once('close', (code) => resolve({ code, out }));
  });
}

/** A shown line as a pattern: `…` stands for anything, the docs' /tmp/lab for the test's folder. */
function pattern(line: string, dir: string): RegExp {
  const parts = line.replaceAll(DOC_DIR, '\u0000').split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('\u0000', dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${parts.join('.*')}$`);
}

/** Every shown line appears in the actual output, in the shown order (the docs may leave lines out, not invent them). */
function expectShown(actual: string, shown: string[], dir: string, what: string): void {
  const lines = actual.split('\n');
  let at = 0;
  for (const s of shown) {
    const re = pattern(s, dir);
    const found = lines.findIndex((l, i) => i >= at && re.test(l));
    expect(found, `${what}: docs/cli.md shows\n  ${s}\nbut the output was:\n${actual}`).toBeGreaterThanOrEqual(0);
    at = found + 1;
  }
}

describe("docs/cli.md: the student's loop", () => {
  const dir = mkdtempSync(join(tmpdir(), 'domsec-student-'));
  let labUp: ChildProcess | undefined;
  let labOut = '';

  afterAll(async () => {
    if (labUp && labUp.exitCode === null) {
      const exited = new Promise((r) => labUp!.once('exit', r));
      labUp.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs as written and prints every line the page shows', async () => {
    const { commands, shown } = loopFromDocs();
    const outputs: { command: string; out: string }[] = [];
    let fix = '';
    for (const line of commands) {
      const { argv, comment } = words(line.replaceAll(DOC_DIR, dir));
      expect(argv[0], line).toBe('domsec');
      if (argv.at(-1) === '&') {
        labUp = spawn(process.execPath, ['bin/domsec.mjs', ...argv.slice(1, -1)], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
        labUp.stdout!.on('data', (c) => { labOut += String(c); });
        labUp.stderr!.on('data', (c) => { labOut += String(c); });
        await until(() => labOut.includes('Press Ctrl-C'), () => `lab up did not come up:\n${labOut}`);
        continue;
      }
      const args = argv.slice(1).map((a) => a.replace(FIX_PLACEHOLDER, fix));
      const r = await run(args);
      fix = /^\s+Fix: (.*)$/m.exec(r.out)?.[1] ?? fix;
      const exit = /exit (\d)/.exec(comment)?.[1];
      expect({ line, code: r.code }, r.out).toEqual({ line, code: exit === undefined ? r.code : Number(exit) });
      outputs.push({ command: line.replace(/\s+#.*$/, '').trim(), out: r.out });
    }
    // The shown output, command by command: "$ <command line>" then its lines; a repeated command is its next run.
    const used = new Set<number>();
    const blocks: { head: string; lines: string[] }[] = [];
    for (const l of shown) {
      if (l.startsWith('$ ')) blocks.push({ head: l.slice(2), lines: [] });
      else blocks.at(-1)!.lines.push(l);
    }
    for (const b of blocks) {
      if (b.head.startsWith('# ')) {
        // "meanwhile, in the terminal of lab up": its live session lines, once the sessions have ended.
        await until(() => (labOut.match(/^session /gm) ?? []).length >= b.lines.length, () => `lab up printed:\n${labOut}`);
        expectShown(labOut, b.lines, dir, 'lab up');
        continue;
      }
      const i = outputs.findIndex((o, n) => !used.has(n) && o.command === b.head);
      expect(i, `docs/cli.md shows "$ ${b.head}", which the loop does not run`).toBeGreaterThanOrEqual(0);
      used.add(i);
      expectShown(outputs[i].out, b.lines, dir, b.head);
    }
    // And what the page says in words: the fix came from doctor, the retry delivered it Domain Secured.
    expect(fix).toBe('Set-ReceiveConnector "EX1\\From adatum.com" -AuthMechanism Tls -DomainSecureEnabled:$true');
    const mbox = await run(['lab', 'mailbox', '--dir', dir, 'pat@treyresearch.net']);
    expect(mbox.code).toBe(0);
    expect(mbox.out.split('\n')[0]).toBe('From kim@adatum.com Mon Mar  2 09:00:00 2026');
    expect(mbox.out).toContain('\nX-MS-Exchange-Organization-AuthAs: Partner\n');
    expect(mbox.out).toContain('\nSubject: Quarterly figures\n');
    const empty = await run(['lab', 'mailbox', '--dir', dir, '--parsed', 'nobody@treyresearch.net']);
    expect(empty).toEqual({ code: 0, out: 'The mailbox of nobody@treyresearch.net is empty.\n' });
    const stranger = await run(['lab', 'mailbox', '--dir', dir, 'pat@example.org']);
    expect(stranger.code).toBe(2);
    expect(stranger.out).toContain('No organization in lab adatum-treyresearch has the domain example.org');
  }, 180_000);
});

async function until(done: () => boolean, why: () => string, ms = 60_000): Promise<void> {
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > ms) throw new Error(why());
    await new Promise((r) => setTimeout(r, 50));
  }
}
