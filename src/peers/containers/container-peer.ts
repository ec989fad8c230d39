// Postfix/Exim peers inside containers (images built from images/<kind>/Dockerfile), fed the same rendered configuration as the host peers.
import { randomBytes } from 'node:crypto';
import type { Organization } from '../../orgs/index.js';
import { DomsecError } from '../../errors.js';
import { readEximLog } from '../exim/exim-error-map.js';
import { eximPolicyHandler } from '../exim/exim-policy.js';
import { parseEximQueue } from '../exim/exim-queue.js';
import { EXIM_PATHS, renderExim } from '../exim/render-exim.js';
import { composeMessage, mailboxOf, readDelivered } from '../maildir.js';
import { isListening, pollUntil } from '../mta-process.js';
import type { PeerImplementation, PeerOptions, PolicyRecord, RunningPeer } from '../peer.js';
import { planPeer } from '../peer-plan.js';
import { fetchLoopbackCrl } from '../policy/crl-fetch.js';
import { startPolicyServer } from '../policy/policy-server.js';
import { readPostfixLog } from '../postfix/postfix-error-map.js';
import { postfixPolicyHandler } from '../postfix/postfix-policy.js';
import { parsePostqueue } from '../postfix/postqueue.js';
import { POSTFIX_PATHS, renderPostfix } from '../postfix/render-postfix.js';
import { toQueueSnapshots } from '../queue-snapshot.js';
import { type ContainerEngine, testcontainersEngine } from './container-engine.js';
import { ensurePeerImage } from './container-images.js';
import { assertEngine } from './engine-gate.js';
const ROOT = '/domsec';

/** In the container the owners are made by the entrypoint (the host cannot chown into an image). */
const ENTRYPOINT: Record<PeerImplementation, string> = {
  postfix: [
    'set -e', `mkdir -p ${ROOT}/queue && cd ${ROOT}/queue`,
    'for d in active bounce corrupt defer deferred flush hold incoming private saved trace; do mkdir -p -m 700 $d; chown postfix $d; done',
    'mkdir -p -m 730 maildrop && chown postfix:postdrop maildrop', 'mkdir -p -m 710 public && chown postfix:postdrop public', 'mkdir -p pid',
    `mkdir -p -m 700 ${ROOT}/data && chown postfix:postfix ${ROOT}/data && mkdir -p ${ROOT}/mail ${ROOT}/log && chown nobody:nogroup ${ROOT}/mail`,
    // Postfix waits, 300 ms at a time, until its configuration is a little older than now (an editor might still be
    // writing it); the files were copied in just now, so they are dated back, as the host peer does (instance-dir.ts).
    `touch -d '1 minute ago' ${ROOT}/etc/*`,
    `echo domsec-ready; exec /usr/lib/postfix/sbin/master -c ${ROOT}/etc -s`,
  ].join('\n'),
  exim: [
    'set -e', `mkdir -p ${ROOT}/spool ${ROOT}/log ${ROOT}/mail`, `chown -R Debian-exim:Debian-exim ${ROOT}/spool ${ROOT}/log ${ROOT}/mail`,
    `chgrp Debian-exim ${ROOT}/etc/edge-key.pem 2>/dev/null && chmod 640 ${ROOT}/etc/edge-key.pem || true`,
    `echo domsec-ready; exec /usr/sbin/exim4 -C ${ROOT}/etc/exim.conf -bdf -q2s`,
  ].join('\n'),
};

/** What a container peer is made of before its container runs: the plan, its DS policy service and the files for /domsec. */
export interface ContainerPeerFiles {
  plan: ReturnType<typeof planPeer>;
  policy: Awaited<ReturnType<typeof startPolicyServer>>;
  records: PolicyRecord[];
  /** Absolute path in the container (under /domsec) → content; entrypoint.sh starts the MTA and prints "domsec-ready". */
  files: Record<string, string>;
}

/** Renders the peer's configuration for /domsec and starts its policy service (the caller closes it). */
export async function prepareContainerPeer(kind: PeerImplementation, org: Organization, o: PeerOptions): Promise<ContainerPeerFiles> {
  const plan = planPeer(org, o);
  const records: PolicyRecord[] = [];
  const env = { plan, organization: org, now: () => new Date(), fetchCrl: o.fetchCrl ?? fetchLoopbackCrl };
  const policy = await startPolicyServer(kind === 'postfix' ? postfixPolicyHandler(env, (r) => records.push(r)) : eximPolicyHandler(env, (r) => records.push(r)));
  const rendered = kind === 'postfix'
    ? renderPostfix(plan, { root: ROOT, policy, nonce: randomBytes(6).toString('hex'), mailOwner: { uid: 65534, gid: 65534 } })
    : renderExim(plan, { root: ROOT, binary: '/usr/sbin/exim4', policy });
  const files = Object.fromEntries(Object.entries(rendered).map(([name, text]) => [`${ROOT}/${name}`, text]));
  files[`${ROOT}/entrypoint.sh`] = ENTRYPOINT[kind];
  return { plan, policy, records, files };
}

/** A container peer on the engine DOCKER_HOST names; its image is built first when its Dockerfile changed (or never was). */
export async function startContainerPeer(kind: PeerImplementation, org: Organization, o: PeerOptions, engine?: ContainerEngine): Promise<RunningPeer> {
  const t0 = performance.now();
  await assertEngine();
  const { image } = await ensurePeerImage(kind);
  const { plan, policy, records, files } = await prepareContainerPeer(kind, org, o);
  const eng = engine ?? (await testcontainersEngine());
  const c = await eng.start({ image, files, command: ['sh', `${ROOT}/entrypoint.sh`], role: `${kind} ${org.name}`, readyLine: /domsec-ready/, startTimeoutMs: o.startTimeoutMs })
    .catch(async (e: unknown) => {
      await policy.close();
      throw e;
    });
  // The ready line comes before the master binds (host networking: its listener is in this machine's table).
  await pollUntil(async () => ((await isListening(plan.address, plan.port)) ? true : undefined), o.startTimeoutMs ?? 20_000, `the ${kind} container to listen on ${plan.address}:${plan.port}`)
    .catch(async (e: unknown) => {
      const out = await c.logs().catch(() => '');
      await c.stop();
      await policy.close();
      throw new DomsecError('ERR_CONTAINER_ENGINE', `${(e as Error).message}\n${out.trim().split('\n').slice(-10).join('\n')}`);
    });
  const pfx = POSTFIX_PATHS(ROOT);
  const ex = EXIM_PATHS(ROOT);
  const cat = async (path: string) => (await c.exec(['cat', path])).output;
  const log = async () => (await cat(kind === 'postfix' ? pfx.maillog : ex.mainlog)).split('\n').filter(Boolean);
  const inbox = kind === 'postfix' ? pfx.inbox : ex.inbox;

  let stopped = false;
  const peer: RunningPeer = {
    implementation: kind, organization: org.name, fqdn: plan.fqdn, address: plan.address, port: plan.port, workDir: `${eng.name}:${c.id}${ROOT}`,
    startMs: performance.now() - t0,
    async submit(msg) {
      const id = msg.messageId ?? `${randomBytes(8).toString('hex')}@${plan.fqdn}`;
      const cmd = kind === 'postfix' ? ['/usr/sbin/sendmail', '-C', pfx.etc] : ['/usr/sbin/exim4', '-C', ex.conf];
      const r = await c.exec([...cmd, '-f', msg.from, '-i', '--', ...msg.to], composeMessage(msg, id, new Date()));
      if (r.exitCode !== 0) throw new DomsecError('ERR_SMTP_INPUT', `The ${kind} container refused the message: ${r.output.trim()}`);
      return id;
    },
    async mailbox(address) {
      // One message per NUL-separated chunk.
      const r = await c.exec(['sh', '-c', `for f in ${inbox}/new/* ${inbox}/cur/*; do [ -f "$f" ] && cat "$f" && printf '\\0'; done; true`]);
      return mailboxOf(r.output.split('\0').filter((s) => s.trim()).map((raw) => readDelivered(raw, plan.fqdn)), address);
    },
    async queue() {
      return kind === 'postfix'
        ? parsePostqueue((await c.exec(['postqueue', '-c', pfx.etc, '-j'])).output, await log())
        : parseEximQueue((await c.exec(['/usr/sbin/exim4', '-C', ex.conf, '-bp'])).output, await log());
    },
    async queues() {
      return toQueueSnapshots(await peer.queue(), { fqdn: plan.fqdn, sendList: plan.sendList, at: new Date() });
    },
    log,
    async readings() {
      return kind === 'postfix' ? readPostfixLog(await log()) : readEximLog(await log());
    },
    policyRecords: () => records,
    counters: () => ({ observable: false, reason: `${kind} has no MSExchange Secure Mail Transport counters.` }),
    async flush() {
      await c.exec(kind === 'postfix' ? ['postqueue', '-c', pfx.etc, '-f'] : ['/usr/sbin/exim4', '-C', ex.conf, '-qff']);
    },
    waitFor: (probe, timeoutMs = 15_000) => pollUntil(probe, timeoutMs, `the ${kind} container`, log),
    async stop() {
      if (stopped) return;
      stopped = true;
      await c.stop();
      await policy.close();
    },
  };
  return peer;
}
