// `domsec run --external` against the hand-written Exim of docs/external-mta/exim.conf (not rendered by src/peers), driven
// by its reference shim (docs/external-mta/exim-shim.py): submit, retry, queue and readings through the adapter, as
// external-run.test.ts does for Postfix. Skips where Exim is not unpacked, fails under CI=true.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUp, repo, stop } from '../cli/lab-up-fixture.js';
import { main } from '../cli/main.js';
import type { RunResult } from '../report/run-result.js';
import { mtaGate } from './require-mta.js';
import { type StaticExim, type StaticEximVariant, startStaticExim } from './testing/static-exim.js';

const gate = mtaGate('exim');
if (gate.mustFail) throw new Error(`Exim missing on CI: ${gate.reason}`);
if (!gate.available) console.log(`skipping the domsec run --external test against Exim: ${gate.reason}`);

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const by = (run: RunResult, status: string) => run.scenarios.filter((s) => s.outcome === status).map((s) => s.id.replace(/^external:treyresearch\.net\//, '')).sort();

describe.skipIf(!gate.available)('domsec run --external against a static Exim with exim-shim.py', () => {
  const root = mkdtempSync(join(tmpdir(), 'domsec-ext-exim-'));
  const dir = join(root, 'lab');
  let port: number;
  let base: number;
  let files: { keyPem: string; chainPem: string; rootsPem: string; partnerEdge: { address: string; port: number } };
  let exim: StaticExim | undefined;

  beforeAll(async () => {
    port = await freePort();
    base = 20000 + ((process.pid + 7000) % 20000);
    const up = await labUp(['adatum-treyresearch', '--dir', dir, '--port-base', String(base), '--clock', 'real', '--external', `treyresearch.net=127.0.0.1:${port}`]);
    await stop(up.child);
    const edge = up.endpoints.organizations.find((o) => o.name === 'adatum.com')!.edges[0];
    files = {
      keyPem: readFileSync(join(dir, 'treyresearch.net/external.key.pem'), 'utf8'), chainPem: readFileSync(join(dir, 'treyresearch.net/external.chain.pem'), 'utf8'),
      rootsPem: readFileSync(join(dir, 'ca/roots.pem'), 'utf8'), partnerEdge: { address: edge.address, port: edge.port },
    };
  }, 60_000);

  afterAll(async () => {
    await exim?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const runAgainst = async (variant: StaticEximVariant): Promise<{ code: number; out: string; run: RunResult }> => {
    await exim?.stop();
    exim = undefined;
    exim = await startStaticExim({ port, variant, ...files });
    const out = join(root, `reports-${variant}`);
    let text = '';
    const w = new Writable({ write: (c, _e, done) => { text += String(c); done(); } });
    const code = await main(['run', '--external', `treyresearch.net=127.0.0.1:${port},adapter=cmd:python3 ${join(repo, 'docs/external-mta/exim-shim.py')} ${exim.conf}`, '--dir', dir, '--port-base', String(base), '--out', out], { stdout: w, stderr: w, cwd: root, env: {}, now: () => new Date() });
    const run = JSON.parse(readFileSync(join(out, 'latest/results.json'), 'utf8')) as RunResult;
    return { code, out: text, run };
  };

  it('on Exim\'s production retry schedule: every check observable, divergent exactly where the configuration falls short', async () => {
    const { code, out, run } = await runAgainst('production-retry');
    expect(by(run, 'not-observable'), out).toEqual([]);
    // It checks the chain both ways and the partner's name when sending (event_action); not the names or the clientAuth
    // usage of a client certificate, no CRL either way, and it passes a client's Auth headers on (docs/external-mta.md §5).
    expect(by(run, 'fail'), out).toEqual(['receiver/no-client-auth', 'receiver/revoked', 'receiver/spoofed-auth-headers', 'receiver/wrong-name', 'sender/no-client-auth', 'sender/revoked']);
    expect(by(run, 'pass'), out).toContain('sender/wrong-name');
    expect(by(run, 'skipped')).toHaveLength(6);
    expect(code).toBe(1);
    const scenario = (id: string) => run.scenarios.find((s) => s.id.endsWith(id))!;
    expect(scenario('sender/good-partner').notes.join(' ')).toMatch(/submitted through the adapter cmd:python3 .*exim-shim\.py/);
    expect(scenario('sender/no-starttls').notes.join(' ')).toMatch(/queue for adatum\.com: Retry, \d+ message\(s\), LastError .*TLS/);
    // The shim maps Exim's words to DS outcomes: the name check's denial is read as DS-SEND-04, deferred.
    expect(JSON.stringify(scenario('sender/wrong-name').evidence.logs)).toMatch(/reading DS-SEND-04 deferred: .*SSL verify denied by event-action/);
    // Exim sends what waits for the partner over one connection: every deferred message still arrives once it is good.
    expect(scenario('sender/deferred-delivered').outcome, out).toBe('pass');
  }, 180_000);
});
