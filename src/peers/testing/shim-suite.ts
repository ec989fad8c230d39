// The suite a reference shim (docs/external-mta/<kind>-shim.py) runs against its real MTA, through the harness's own
// adapter: it answers every call, and what it reads agrees with the project's peer reading the same instance.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAdapter } from '../adapter-check.js';
import { adapterFromSpec, shimFromSpec } from '../adapter-spec.js';
import type { Organization } from '../../orgs/index.js';
import type { Observation, PeerOptions, RunningPeer } from '../peer.js';
import { mtaGate } from '../require-mta.js';
import { buildInteropLab, freePort } from './interop-lab.js';
import { startTlsReceiver, type TlsReceiver } from './tls-receiver.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const value = <T>(o: Observation<T>): T => {
  if (!o.observable) throw new Error(o.reason);
  return o.value;
};

export interface ShimSuite {
  kind: 'postfix' | 'exim';
  /** The MTA's name as its shim gives it ("Postfix", "Exim"). */
  label: string;
  startPeer: (org: Organization, o: PeerOptions) => Promise<RunningPeer>;
  /** The shim's configuration argument, from the peer's work folder. */
  shimConfig: (workDir: string) => string;
  /** How the shim submits, for the test's name. */
  submitsThrough: string;
}

export function defineShimSuite(s: ShimSuite): void {
  const gate = mtaGate(s.kind);
  if (gate.mustFail) throw new Error(`${s.label} missing on CI: ${gate.reason}`);
  if (!gate.available) console.log(`skipping the ${s.label} shim test: ${gate.reason}`);
  const shimArgs = (peer: RunningPeer) => [`docs/external-mta/${s.kind}-shim.py`, s.shimConfig(peer.workDir)];

  describe.skipIf(!gate.available)(`${s.kind}-shim.py, a reference cmd: adapter, on a real ${s.label}`, () => {
    let peer: RunningPeer;
    let relay: TlsReceiver;
    let spec: string;
    let httpShim: ChildProcess | undefined;

    beforeAll(async () => {
      const lab = await buildInteropLab();
      relay = await startTlsReceiver({ address: lab.adatum.address, port: await freePort(lab.adatum.address), certificate: lab.adatum.edgeCertificate });
      // Nothing listens at the outage route: mail for it stays queued with the MTA's reason.
      const outage = { address: '127.0.1.16', port: await freePort('127.0.1.16') };
      peer = await s.startPeer(lab.trey.org, {
        port: await freePort(lab.trey.address), relayHost: { address: relay.address, port: relay.port }, routes: { 'northwindtraders.com': outage }, queue: { retrySeconds: 1 },
      });
      spec = `cmd:python3 ${shimArgs(peer).join(' ')}`;
    }, 30_000);

    afterAll(async () => {
      httpShim?.kill();
      await peer?.stop();
      await relay?.close();
    });

    it(`says what it answers, submits through ${s.submitsThrough} and reads the delivered message back from the Maildir`, async () => {
      const shim = shimFromSpec(spec, { cwd: repo })!;
      expect(value(await shim.capabilities())).toEqual({ v: 1, name: `${s.label} (${s.kind}-shim.py)`, calls: ['submit', 'mailbox', 'queues', 'retry', 'log', 'readings'] });
      const a = adapterFromSpec(spec, { cwd: repo });
      const id = value(await a.submit({ from: 'alice@treyresearch.net', to: ['pat@treyresearch.net'], subject: 'through the shim', body: 'hello' }));
      const got = await peer.waitFor(async () => (await peer.mailbox('pat@treyresearch.net')).find((m) => m.messageId === id), 15_000);
      const read = value(await a.readMailbox('pat@treyresearch.net')).find((m) => m.messageId === id)!;
      expect({ subject: read.subject, from: read.from, to: read.to, raw: read.raw }).toEqual({ subject: got.subject, from: got.from, to: got.to, raw: got.raw });
      expect(read.headers['subject']).toBe('through the shim');
      expect(value(await a.readMailbox('nobody@treyresearch.net'))).toEqual([]);
    }, 30_000);

    it(`reads the log, the DS readings, the queue and retries as the ${s.label} peer does`, async () => {
      const a = adapterFromSpec(spec, { cwd: repo });
      const id = value(await a.submit({ from: 'alice@treyresearch.net', to: ['administrator@adatum.com'], subject: 'to adatum', body: 'x' }));
      await peer.waitFor(async () => relay.received.find((m) => m.raw.includes(id)), 15_000);
      const sent = await peer.waitFor(async () => (await peer.readings()).find((r) => r.outcome === 'delivered'), 10_000);
      expect(value(await a.readings())).toContainEqual({ rule: sent.rule, outcome: 'delivered', phrase: sent.phrase });
      const before = await peer.log();
      expect(value(await a.logLines()).slice(0, before.length)).toEqual(before);
      value(await a.submit({ from: 'alice@treyresearch.net', to: ['kim@northwindtraders.com'], subject: 'to nobody', body: 'x' }));
      const queued = await peer.waitFor(async () => (await peer.queues()).find((q) => q.nextHopDomain === 'northwindtraders.com' && q.lastError), 15_000);
      const shown = value(await a.queueState()).find((q) => q.nextHopDomain === 'northwindtraders.com')!;
      expect(shown).toMatchObject({ status: 'Retry', messageCount: 1 });
      expect(shown.lastError).toContain('Connection refused');
      expect(queued.lastError).toContain('Connection refused');
      expect(await a.retry()).toEqual({ observable: true, value: undefined });
    }, 30_000);

    it('domsec adapter check\'s kit finds every call answered', async () => {
      const checks = await checkAdapter(shimFromSpec(spec, { cwd: repo })!, { message: { from: 'alice@treyresearch.net', to: ['pat@treyresearch.net'], subject: 'check', body: 'x' }, mailbox: 'pat@treyresearch.net' });
      expect(checks.map((c) => `${c.call} ${c.status}`)).toEqual(['capabilities', 'submit', 'mailbox', 'queues', 'retry', 'log', 'readings'].map((c) => `${c} answered`));
    }, 30_000);

    it('http-shim.py serves the same shim over HTTP: the same answers through an http:// adapter', async () => {
      const port = await freePort('127.0.0.1');
      httpShim = spawn('python3', ['docs/external-mta/http-shim.py', String(port), '--', 'python3', ...shimArgs(peer)], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((r) => httpShim!.stdout!.once('data', () => r()));
      const overHttp = adapterFromSpec(`http://127.0.0.1:${port}/`, { cwd: repo });
      const overCmd = adapterFromSpec(spec, { cwd: repo });
      expect(await overHttp.readMailbox('pat@treyresearch.net')).toEqual(await overCmd.readMailbox('pat@treyresearch.net'));
      expect(value(await overHttp.readings()).length).toBeGreaterThan(0);
    }, 30_000);
  });
}
