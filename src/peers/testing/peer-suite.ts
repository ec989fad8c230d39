// The interop suite one real MTA runs (vitest): it plays treyresearch.net against a simulated adatum.com, in both roles, and fills the matrix.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../orgs/index.js';
import { type InteropCell, judge, notObservable, writeInteropCells } from '../interop-matrix.js';
import type { InteropRole } from '../interop-expectations.js';
import type { PeerImplementation, PeerOptions, RunningPeer } from '../peer.js';
import { mtaGate } from '../require-mta.js';
import { guardedAdapter, runningPeerAdapter } from '../mta-adapter.js';
import { addOutboundFaults, buildInteropLab, freePort, type InteropLab } from './interop-lab.js';
import { defineExpiryScenario } from './expiry-scenario.js';
import { describeGated, type Gate } from './gated-describe.js';
import { defineReceiverScenarios } from './receiver-scenarios.js';
import { defineSenderScenarios } from './sender-scenarios.js';
import { startTlsReceiver, type TlsReceiver } from './tls-receiver.js';

export type StartPeer = (org: Organization, o: PeerOptions) => Promise<RunningPeer>;

/** The partner reachable for the outage scenario: nothing listens there until the test starts it (DS-QUEUE-06, then Retry-Queue). */
export const OUTAGE = { domain: 'northwindtraders.com', address: '127.0.1.16' };

export interface SuiteContext {
  kind: PeerImplementation;
  lab: InteropLab;
  peer: RunningPeer;
  /** The simulated adatum edge's receive side, and one receiver per outbound fault domain. */
  receivers: Record<string, TlsReceiver>;
  outagePort: number;
  timings: Record<string, number>;
  record(c: Omit<InteropCell, 'status' | 'detail' | 'implementation' | 'role'> & { role: InteropRole; ok: boolean; expected: string; actual: string }): void;
}

export interface SuiteVariant {
  /** What must be there for the suite to run; default the host MTA (require-mta.ts). */
  gate: Gate;
  /** The error a missing prerequisite is under CI=true. */
  missingCode: 'ERR_MTA_MISSING' | 'ERR_CONTAINER_ENGINE';
  /** Names the suite, its log lines and timings file, e.g. "postfix" or "postfix container". */
  label: string;
  /** Whether its cells go into the interop matrix (.tmp/interop/<kind>.json); one variant per implementation does. */
  matrix: boolean;
}

export function definePeerInteropSuite(kind: PeerImplementation, start: StartPeer, variant: Partial<SuiteVariant> = {}): void {
  const { gate = mtaGate(kind), missingCode = 'ERR_MTA_MISSING', label = kind, matrix = true } = variant;
  describeGated(gate, missingCode, `${label} plays treyresearch.net`, () => {
    const cells: InteropCell[] = [];
    // lab and peer arrive in beforeAll; the scenarios only run after it.
    const record: SuiteContext['record'] = (c) => void cells.push(judge({ ...c, implementation: kind }));
    const ctx = { kind, receivers: {}, timings: {}, record } as unknown as SuiteContext;

    beforeAll(async () => {
      ctx.lab = await buildInteropLab();
      addOutboundFaults(ctx.lab);
      const trey = ctx.lab.trey.org;
      trey.transport.edit({ send: { kind: 'edit', add: [OUTAGE.domain] } });
      trey.newSendConnector({ name: `To ${OUTAGE.domain}`, usage: 'Partner', addressSpaces: [`SMTP:${OUTAGE.domain};1`] });
      const adatum = ctx.lab.adatum;
      ctx.receivers['adatum.com'] = await startTlsReceiver({ address: adatum.address, port: await freePort(adatum.address), certificate: adatum.edgeCertificate });
      const routes: PeerOptions['routes'] = {};
      for (const f of Object.values(ctx.lab.faults)) {
        ctx.receivers[f.domain] = await startTlsReceiver({ address: f.address, port: await freePort(f.address), certificate: f.certificate, mode: f.hideStartTls ? 'plain' : 'tls' });
        routes[f.domain] = { address: f.address, port: ctx.receivers[f.domain].port };
      }
      ctx.outagePort = await freePort(OUTAGE.address);
      routes[OUTAGE.domain] = { address: OUTAGE.address, port: ctx.outagePort };
      const relay = ctx.receivers['adatum.com'];
      ctx.peer = await start(trey, {
        port: await freePort(ctx.lab.trey.address), relayHost: { address: relay.address, port: relay.port }, routes, queue: { retrySeconds: 1 },
      });
      ctx.timings.startMs = Math.round(ctx.peer.startMs);
    });

    afterAll(async () => {
      const t = performance.now();
      await ctx.peer?.stop();
      ctx.timings.stopMs = Math.round(performance.now() - t);
      await Promise.all(Object.values(ctx.receivers).map((r) => r.close()));
      for (const role of ['receiver', 'sender'] as const) {
        cells.push(notObservable(kind, role, 'DS-LOG-05', 'counters', `${kind} has no MSExchange Secure Mail Transport counters.`));
      }
      if (matrix) writeInteropCells(kind, cells);
      mkdirSync('.tmp/interop', { recursive: true });
      writeFileSync(`.tmp/interop/${label.replace(/\W+/g, '-')}-timings.json`, JSON.stringify(ctx.timings, null, 2) + '\n');
      console.info(`[interop] ${label}: ${JSON.stringify(ctx.timings)}`);
    });

    it(`${label} answers the adapter contract (mta-adapter.ts, issue 9 item 4): queue, log, readings, retry`, async () => {
      const a = guardedAdapter(runningPeerAdapter(ctx.peer!));
      const answers = [await a.queueState(), await a.logLines(), await a.readings(), await a.retry()];
      expect(answers.map((x) => x.observable)).toEqual([true, true, true, true]);
      // The MTA writes its log on its own time (Postfix through postlogd): under load its start lines can come after
      // this test begins, so the log is read again until they are there, then judged.
      let log = answers[1];
      for (let tries = 0; tries < 100 && !(log.observable && (log.value as string[]).length > 0); tries++) {
        await new Promise((r) => setTimeout(r, 200));
        log = await a.logLines();
      }
      expect(log.observable && (log.value as string[]).length > 0).toBe(true);
    }, 60_000);

    describe('as receiver (simulated adatum.com sends)', () => defineReceiverScenarios(ctx));
    describe('as sender (to simulated partners)', () => defineSenderScenarios(ctx));
    describe('queue expiry on the MTA clock', () => defineExpiryScenario(ctx, start));
  }, { implementation: kind });
}
