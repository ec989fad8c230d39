// A container peer starts from its image, takes domain-secured mail (mutual TLS) as Partner, and leaves no container behind.
// Skips without a container engine; fails under CI=true (engine-gate.ts).
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningPeer } from '../peer.js';
import { probeSmtp } from '../smtp-probe.js';
import { buildInteropLab, freePort, type InteropLab } from '../testing/interop-lab.js';
import { PEER_LABEL } from './container-engine.js';
import { ensurePeerImage } from './container-images.js';
import { startContainerPeer } from './container-peer.js';
import { engineGate } from './engine-gate.js';
import { describeGated } from '../testing/gated-describe.js';

const gate = await engineGate();
const labelled = () => execFileSync('docker', ['ps', '-aq', '--filter', `label=${PEER_LABEL}=postfix treyresearch.net`], { encoding: 'utf8' }).trim();

describeGated(gate, 'ERR_CONTAINER_ENGINE', 'a Postfix container plays treyresearch.net', () => {
  let lab: InteropLab;
  let peer: RunningPeer | undefined;

  beforeAll(async () => {
    const b = await ensurePeerImage('postfix');
    console.info(`[containers] ${b.image}: ${b.built ? 'built' : 'cached'} in ${Math.round(b.ms)} ms`);
    lab = await buildInteropLab();
    peer = await startContainerPeer('postfix', lab.trey.org, { port: await freePort(lab.trey.address), queue: { retrySeconds: 1 } });
    console.info(`[containers] postfix container started in ${Math.round(peer.startMs)} ms`);
  }, 20 * 60_000);

  afterAll(async () => {
    await peer?.stop();
  });

  it('DS-RECV-07: mutual TLS from adatum.com is accepted and delivered as Partner inside the container', async () => {
    const id = `container-${Date.now()}@adatum.com`;
    const r = await probeSmtp({
      host: peer!.address, port: peer!.port, localAddress: lab.adatum.address, ehlo: 'mail.adatum.com', starttls: 'use',
      clientCertificate: lab.adatum.edgeCertificate, from: 'kim@adatum.com', to: ['pat@treyresearch.net'],
      data: `From: <kim@adatum.com>\nTo: <pat@treyresearch.net>\nSubject: into the container\nMessage-ID: <${id}>\n\nhello\n`,
    });
    expect(r.mailFrom?.code).toBe(250);
    expect(r.data?.code).toBe(250);
    const got = await peer!.waitFor(async () => (await peer!.mailbox('pat@treyresearch.net')).find((m) => m.messageId === id), 10_000);
    expect(got.authAs).toBe('Partner');
    expect(got.authDomain).toBe('adatum.com');
    expect(got.domainSecured).toBe(true);
    expect(peer!.policyRecords().at(-1)?.decision.rule).toBe('DS-RECV-07');
  });

  it('TLS without a client certificate is refused 530 (DS-RECV-04) by the same container', async () => {
    const r = await probeSmtp({
      host: peer!.address, port: peer!.port, localAddress: lab.adatum.address, ehlo: 'mail.adatum.com', starttls: 'use',
      from: 'kim@adatum.com', to: ['pat@treyresearch.net'],
    });
    expect(r.mailFrom?.code).toBe(530);
  });

  it('stop removes the container (label org.domsec.peer)', async () => {
    expect(labelled()).not.toBe('');
    await peer!.stop();
    expect(labelled()).toBe('');
  });
});
