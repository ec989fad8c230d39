// Edge threads (`lab up --edge-threads N`, edge-threads.ts): what a user observes is the same with the edges' sockets
// and TLS on worker threads as on the main thread, and a lab that is stopped leaves no thread behind.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startDefinedLab } from './defined-lab.js';
import { startLab } from './documented-labs.js';
import { parseLabDefinition } from './lab-definition.js';

const FROM = 'administrator@adatum.com';
const TO = 'administrator@treyresearch.net';

/** The client's ephemeral TCP port is the kernel's choice; everything else must match as it is. */
const normalise = (text: string) => text.replace(/(127\.0\.\d+\.\d+):(?!25\b)\d+/g, '$1:<port>');

/** A domain-secured message, then one refused because treyresearch.net no longer trusts adatum.com's root. */
async function observe(edgeThreads: number) {
  const lab = await startLab('adatum-treyresearch', { seed: 'edge-threads', edgeThreads });
  try {
    const adatum = lab.orgs['adatum.com']!;
    const trey = lab.orgs['treyresearch.net']!;
    await adatum.send({ from: FROM, to: [TO], subject: 'secured' });
    await lab.sim.settle();
    trey.distrust(adatum);
    await adatum.send({ from: FROM, to: [TO], subject: 'untrusted' });
    await lab.sim.settle();
    return {
      handshakesOnThreads: lab.sim.network.threads?.handshakes ?? 0,
      mailbox: trey.mailbox(TO).map((m) => ({ subject: m.subject, authAs: m.authAs, authDomain: m.authDomain, raw: m.raw })),
      queues: adatum.queues().map((q) => ({ identity: q.identity, status: q.status, lastError: q.lastError })),
      hops: JSON.parse(normalise(JSON.stringify(lab.sim.evidence))) as typeof lab.sim.evidence,
      logs: normalise([adatum.edge().protocolLog('Send'), trey.edge().protocolLog('Receive')].join('\n')),
      events: [...adatum.events(), ...trey.events()].map((e) => `${e.id} ${e.text}`),
    };
  } finally {
    await lab.sim.stop();
  }
}

describe('edge threads', () => {
  it('deliver as Partner and refuse an untrusted certificate with the same replies, evidence and logs as the main thread', async () => {
    const off = await observe(0);
    const on = await observe(2);
    expect(off.handshakesOnThreads).toBe(0);
    // Both sessions' handshakes, both sides of each, were done by the workers.
    expect(on.handshakesOnThreads).toBe(4);
    expect(on.mailbox.map((m) => [m.subject, m.authAs, m.authDomain])).toEqual([['secured', 'Partner', 'adatum.com']]);
    expect(on.hops.map((h) => [h.result, h.reply])).toEqual([['delivered', expect.stringMatching(/^250 /)], ['deferred', '454 4.7.5 Certificate validation failure']]);
    expect(on.logs).toContain("Client certificate chain validation status: 'UntrustedRoot'");
    expect({ ...on, handshakesOnThreads: 0 }).toEqual(off);
  });

  it('are a lab file\'s choice (edgeThreads), checked like its other fields', async () => {
    const file = (edgeThreads: unknown) => ({ edgeThreads, keyAlgorithm: 'ECDSA-P256', organizations: [{ domain: 'fabrikam.com', edges: [{ name: 'EX1', fqdn: 'mail.fabrikam.com' }] }] });
    expect(() => parseLabDefinition(file(65), 'lab.yaml')).toThrow(/edgeThreads/);
    const lab = await startDefinedLab(parseLabDefinition(file(3), 'lab.yaml'));
    try {
      expect(lab.sim.network.threads?.count).toBe(3);
    } finally {
      await lab.sim.stop();
    }
  });

  it('are ended when the lab stops: the process exits by itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'domsec-edge-threads-'));
    try {
      const script = join(dir, 'lab.mts');
      const index = fileURLToPath(new URL('./index.ts', import.meta.url));
      writeFileSync(script, [
        `import { startLab } from ${JSON.stringify(index)};`,
        `const lab = await startLab('adatum-treyresearch', { seed: 'edge-threads-exit', edgeThreads: 2 });`,
        `await lab.orgs['adatum.com'].send({ from: '${FROM}', to: ['${TO}'], subject: 'x' });`,
        'await lab.sim.settle();',
        `console.log(lab.orgs['treyresearch.net'].mailbox('${TO}').map((m) => m.authAs).join());`,
        'await lab.sim.stop();',
      ].join('\n'));
      const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      // A worker left running keeps the process alive: the guard kills it and the test fails on the exit code.
      const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      clearTimeout(guard);
      expect(out.trim()).toBe('Partner');
      expect(code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
