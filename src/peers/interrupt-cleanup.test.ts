// An interrupted process leaves no MTA behind: a real peer started in a child process (from a folder deeper than a
// Unix socket path may be long), then SIGINT, SIGTERM or SIGKILL; afterwards no process of its group or naming its
// folder runs, and the folder is gone.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { makeInstanceDir } from './instance-dir.js';
import type { PeerImplementation } from './peer.js';
import { mtaGate } from './require-mta.js';
import { describeGated } from './testing/gated-describe.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const child = join(repo, 'src/peers/testing/interrupt-child.ts');
const base = mkdtempSync(join(tmpdir(), 'domsec-deep-'));
/** A checkout this deep put Postfix's sockets past sun_path's 108 bytes when instances lived below it. */
const deep = join(base, 'a-checkout-in-a-long-folder-name'.repeat(2), 'and-deeper-still'.repeat(2));
mkdirSync(deep, { recursive: true });
afterAll(() => rmSync(base, { recursive: true, force: true }));

interface Ready {
  pid: number;
  cwd: string;
  workDir: string;
  delivered: string;
}

interface Proc {
  pid: number;
  pgid: number;
  state: string;
  text: string; // cmdline and environment
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const e of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const text = `${readFileSync(`/proc/${e}/cmdline`, 'utf8')} ${readFileSync(`/proc/${e}/environ`, 'utf8')}`.replace(/\0/g, ' ');
      out.push({ pid: Number(e), pgid: Number(pgrp), state, text });
    } catch {
      // ended while we looked
    }
  }
  return out;
}

/** Live processes of the peer: in the MTA's group, or naming its folder (Postfix's MAIL_CONFIG, Exim's -C). */
function leftOver(workDir: string, groups: Set<number>): Proc[] {
  return processes().filter((p) => p.state !== 'Z' && (groups.has(p.pgid) || p.text.includes(workDir)) && !p.text.includes('domsec-peer-watchdog'));
}

async function startChild(kind: PeerImplementation, extra: string[] = []): Promise<{ proc: ChildProcess; ready: Ready; exited: Promise<number | NodeJS.Signals> }> {
  const proc = spawn(process.execPath, ['--import', pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href, child, kind, ...extra], {
    cwd: deep, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TSX_TSCONFIG_PATH: join(repo, 'tsconfig.json') },
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += String(d)));
  proc.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => proc.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
  const ready = await new Promise<Ready>((resolve, reject) => {
    const check = setInterval(() => {
      const line = out.split('\n').find((l) => l.startsWith('{"ready":true'));
      if (line) {
        clearInterval(check);
        resolve(JSON.parse(line) as Ready);
      }
    }, 25);
    void exited.then((how) => {
      clearInterval(check);
      reject(new Error(`the peer child ended (${how}) before it was ready:\n${out}`));
    });
  });
  return { proc, ready, exited };
}

async function waitUntil(test: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (test()) return true;
  return test();
}

it('an instance base too deep for Unix sockets is refused with the reason, before anything is created', () => {
  const tooDeep = join(deep, 'x'.repeat(30));
  expect(() => makeInstanceDir(tooDeep, 'postfix-treyresearch.net')).toThrow(expect.objectContaining({ code: 'ERR_MTA_START', message: expect.stringMatching(/too deep: .* more than the 107/) }));
  expect(existsSync(tooDeep)).toBe(false);
});

const cases: { kind: PeerImplementation; signal: NodeJS.Signals; graceful?: boolean }[] = [
  { kind: 'postfix', signal: 'SIGINT' },
  { kind: 'postfix', signal: 'SIGTERM', graceful: true },
  { kind: 'postfix', signal: 'SIGKILL' },
  { kind: 'exim', signal: 'SIGTERM' },
];

for (const kind of ['postfix', 'exim'] as const) {
  const gate = mtaGate(kind);
  describeGated(gate, 'ERR_MTA_MISSING', `${kind} peer in a child process started ${deep.length} characters deep`, () => {
    for (const c of cases.filter((x) => x.kind === kind)) {
      it(`${c.signal}${c.graceful ? ' (while the process stops gracefully itself)' : ''}: no MTA process is left and its folder is gone`, async () => {
        const { proc, ready, exited } = await startChild(kind, c.graceful ? ['graceful'] : []);
        // Started from the deep folder, the peer lives elsewhere, with sockets short enough to deliver locally.
        expect(ready.cwd).toBe(deep);
        expect(ready.workDir.length).toBeLessThan(60);
        expect(ready.delivered).toBeTruthy();
        const groups = new Set(processes().filter((p) => p.text.includes(ready.workDir) && !p.text.includes('domsec-peer-watchdog')).map((p) => p.pgid));
        expect(groups.size, 'the MTA runs in a process group of its own').toBeGreaterThan(0);
        expect(groups.has(proc.pid!)).toBe(false);

        proc.kill(c.signal);
        const how = await exited;
        if (!c.graceful) expect(how).toBe(c.signal);
        // SIGKILL leaves the work to the watchdog, which polls once a second; the others cleaned up before exiting.
        if (c.signal === 'SIGKILL') await waitUntil(() => leftOver(ready.workDir, groups).length === 0 && !existsSync(ready.workDir), 10_000);
        expect(leftOver(ready.workDir, groups).map((p) => `${p.pid} ${p.text.slice(0, 80)}`)).toEqual([]);
        expect(existsSync(ready.workDir), `${ready.workDir} removed`).toBe(false);
      }, 60_000);
    }
  }, { implementation: kind });
}
