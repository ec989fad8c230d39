// docker-compose.yml, run by Debian's docker-compose 1.29: `up` starts both services on configurations the harness rendered
// (Postfix and Exim each playing treyresearch.net), each takes mutual-TLS mail as Partner, and `down` leaves no container.
// Skips without a container engine or docker-compose; fails under CI=true.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeFiles } from '../instance-dir.js';
import { readMaildir } from '../maildir.js';
import { isListening, pollUntil } from '../mta-process.js';
import type { PeerImplementation } from '../peer.js';
import { probeSmtp } from '../smtp-probe.js';
import { isExecutable } from '../system-accounts.js';
import { buildInteropLab, freePort, type InteropLab } from '../testing/interop-lab.js';
import { PEER_LABEL } from './container-engine.js';
import { ensurePeerImage } from './container-images.js';
import { type ContainerPeerFiles, prepareContainerPeer } from './container-peer.js';
import { engineGate } from './engine-gate.js';
import { describeGated } from '../testing/gated-describe.js';

const KINDS: PeerImplementation[] = ['postfix', 'exim'];
const engine = await engineGate();
const gate = engine.available && !isExecutable('/usr/bin/docker-compose')
  ? { ...engine, available: false, reason: 'docker-compose is not installed: apt-get install docker-compose (Debian 12 has 1.29).' }
  : engine;
// Under the checkout, not the system temp folder: a bind mount is resolved by the engine's host, which (fresh-ci) shares
// the checkout's path but not this machine's /tmp.
const dir = resolve(`.tmp/compose-test-${process.pid}`);
const project = `domsec-compose-${process.pid}`;

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(command, args, { env: { ...process.env, ...env }, timeout: 120_000 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}
const compose = (...args: string[]) => run('docker-compose', ['-p', project, '-f', 'docker-compose.yml', ...args], {
  DOMSEC_POSTFIX_DIR: join(dir, 'postfix'), DOMSEC_EXIM_DIR: join(dir, 'exim'),
});
const labelled = async () => (await run('docker', ['ps', '-aq', '--filter', `label=${PEER_LABEL}`, '--filter', `label=com.docker.compose.project=${project}`])).output.trim();

describeGated(gate, 'ERR_CONTAINER_ENGINE', 'docker-compose up of docker-compose.yml', () => {
  let lab: InteropLab;
  const peers = {} as Record<PeerImplementation, ContainerPeerFiles>;

  beforeAll(async () => {
    // The fixed tags the compose file names come with the hash-tagged builds.
    for (const kind of KINDS) await ensurePeerImage(kind);
    lab = await buildInteropLab();
    for (const kind of KINDS) {
      peers[kind] = await prepareContainerPeer(kind, lab.trey.org, { port: await freePort(lab.trey.address) });
      mkdirSync(join(dir, kind), { recursive: true });
      writeFiles(join(dir, kind), Object.fromEntries(Object.entries(peers[kind].files).map(([path, text]) => [path.replace(/^\/domsec\//, ''), text])));
    }
  }, 20 * 60_000);

  afterAll(async () => {
    await compose('down', '--timeout', '0');
    for (const p of Object.values(peers)) await p.policy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('up -d starts both services; each takes mutual-TLS mail from adatum.com as Partner (DS-RECV-07); down removes them', async () => {
    const t = performance.now();
    const up = await compose('up', '-d', '--no-build');
    expect(up.code, up.output).toBe(0);
    for (const kind of KINDS) {
      const { plan } = peers[kind];
      await pollUntil(async () => ((await isListening(plan.address, plan.port)) ? true : undefined), 30_000, `${kind} from docker-compose on ${plan.port}`)
        .catch(async (e: unknown) => { throw new Error(`${(e as Error).message}\n${(await compose('logs', kind)).output}`); });
      const id = `compose-${kind}-${Date.now()}@adatum.com`;
      const r = await probeSmtp({
        host: plan.address, port: plan.port, localAddress: lab.adatum.address, ehlo: 'mail.adatum.com', starttls: 'use',
        clientCertificate: lab.adatum.edgeCertificate, from: 'kim@adatum.com', to: ['pat@treyresearch.net'],
        data: `From: <kim@adatum.com>\nTo: <pat@treyresearch.net>\nSubject: through compose\nMessage-ID: <${id}>\n\nhello\n`,
      });
      expect(r.data?.code, `${kind}: ${r.transcript}`).toBe(250);
      // The Maildir is in the mounted folder: the host reads what the MTA in the container delivered.
      const got = await pollUntil(async () => readMaildir(join(dir, kind, 'mail/inbox'), plan.fqdn).find((m) => m.messageId === id), 10_000, `${kind}'s Maildir`);
      expect(got.authAs).toBe('Partner');
      expect(got.domainSecured).toBe(true);
      expect(peers[kind].records.at(-1)?.decision.rule).toBe('DS-RECV-07');
    }
    expect((await labelled()).split('\n')).toHaveLength(2);
    const down = await compose('down', '--timeout', '0');
    expect(down.code, down.output).toBe(0);
    expect(await labelled()).toBe('');
    console.info(`[containers] docker-compose up, two mutual-TLS deliveries, down: ${Math.round(performance.now() - t)} ms`);
  }, 120_000);
});
