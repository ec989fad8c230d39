// Starts, reads and stops a private Exim 4 daemon that plays one organization's edge (its own -C config, spool, Maildir and log).
import { randomBytes } from 'node:crypto';
import { DomsecError } from '../../errors.js';
import type { Organization } from '../../orgs/index.js';
import { makeInstanceDir, ownedDir, removeInstanceDir, writeFiles } from '../instance-dir.js';
import { composeMessage, mailboxOf, readMaildir } from '../maildir.js';
import { runCommand, spawnMta, waitForListener } from '../mta-process.js';
import { assemblePeer, readText } from '../assemble-peer.js';
import type { PeerMessage, PeerOptions, PolicyRecord, RunningPeer } from '../peer.js';
import { planPeer } from '../peer-plan.js';
import { fetchLoopbackCrl } from '../policy/crl-fetch.js';
import { startPolicyServer } from '../policy/policy-server.js';
import { assertMta } from '../require-mta.js';
import { gidOf, uidOf } from '../system-accounts.js';
import { readEximLog } from './exim-error-map.js';
import { eximPolicyHandler } from './exim-policy.js';
import { parseEximQueue } from './exim-queue.js';
import { EXIM_USER, locateExim } from './locate-exim.js';
import { EXIM_PATHS, renderExim } from './render-exim.js';

export async function startEximPeer(org: Organization, o: PeerOptions): Promise<RunningPeer> {
  assertMta('exim');
  const where = locateExim();
  if (!where.ok) throw new DomsecError('ERR_MTA_MISSING', where.reason);
  const exim = where.binary;
  const t0 = performance.now();
  const plan = planPeer(org, o);
  const root = makeInstanceDir(o.workDir, `exim-${org.name}`, { keep: o.keepWorkDir });
  const p = EXIM_PATHS(root);
  const records: PolicyRecord[] = [];
  const policy = await startPolicyServer(eximPolicyHandler({ plan, organization: org, now: () => new Date(), fetchCrl: o.fetchCrl ?? fetchLoopbackCrl }, (r) => records.push(r)));
  const run = (args: string[], input?: string) => runCommand(exim, ['-C', p.conf, ...args], input);
  let daemon: ReturnType<typeof spawnMta> | undefined;
  try {
    const uid = uidOf(EXIM_USER);
    const gid = gidOf(EXIM_USER);
    // With -C, Exim's re-executed processes give up root: the key must be readable by its group.
    writeFiles(root, renderExim(plan, { root, binary: exim, policy }), gid);
    ownedDir(p.spool, 0o750, uid, gid);
    ownedDir(p.log, 0o750, uid, gid);
    ownedDir(p.mail, 0o750, uid, gid);
    // -bdf: the daemon stays our child (its own process group); -qNs: queue runs at the retry knob.
    daemon = spawnMta(exim, ['-C', p.conf, '-bdf', `-q${plan.queue.retrySeconds}s`], {}, { folder: o.keepWorkDir ? undefined : root });
    await waitForListener(daemon, plan.address, plan.port, o.startTimeoutMs ?? 10_000, 'Exim', () => readText(p.paniclog) + readText(p.mainlog));
  } catch (e) {
    await daemon?.stop();
    await policy.close();
    if (!o.keepWorkDir) removeInstanceDir(root);
    throw e;
  }
  return assemblePeer({
    implementation: 'exim', label: 'Exim', org, plan, root, startMs: performance.now() - t0, logFile: p.mainlog, records,
    keepWorkDir: o.keepWorkDir, process: daemon, policy,
    async submit(msg: PeerMessage) {
      const id = msg.messageId ?? `${randomBytes(8).toString('hex')}@${plan.fqdn}`;
      const r = await run(['-f', msg.from, '-i', '--', ...msg.to], composeMessage(msg, id, new Date()));
      if (r.code !== 0) throw new DomsecError('ERR_SMTP_INPUT', `Exim refused the message (exit ${r.code}): ${r.stderr.trim()}`);
      return id;
    },
    mailbox: async (address) => mailboxOf(readMaildir(p.inbox, plan.fqdn), address),
    queue: async (log) => parseEximQueue((await run(['-bp'])).stdout, log),
    readings: readEximLog,
    async flush() {
      // -qff: every message now, retry times and freezing ignored (Retry-Queue).
      await run(['-qff']);
    },
  });
}
