// Starts, reads and stops a private Postfix instance that plays one organization's edge (its own config, queue, Maildir and log).
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
import { readPostfixLog } from './postfix-error-map.js';
import { postfixPolicyHandler } from './postfix-policy.js';
import { parsePostqueue } from './postqueue.js';
import { POSTFIX_PATHS, renderPostfix } from './render-postfix.js';

const MASTER = '/usr/lib/postfix/sbin/master';
const SENDMAIL = '/usr/sbin/sendmail';
const POSTQUEUE = '/usr/sbin/postqueue';
const QUEUE_DIRS = ['active', 'bounce', 'corrupt', 'defer', 'deferred', 'flush', 'hold', 'incoming', 'private', 'saved', 'trace'];

/** Postfix's queue layout, made directly: `postfix start` would run its multi-second set-permissions checks on every start. */
export function makeQueue(queue: string, postfix: number, postdrop: number): void {
  ownedDir(queue, 0o755);
  for (const d of QUEUE_DIRS) ownedDir(`${queue}/${d}`, 0o700, postfix, postfix);
  ownedDir(`${queue}/maildrop`, 0o730, postfix, postdrop);
  ownedDir(`${queue}/public`, 0o710, postfix, postdrop);
  ownedDir(`${queue}/pid`, 0o755);
}

export async function startPostfixPeer(org: Organization, o: PeerOptions): Promise<RunningPeer> {
  assertMta('postfix');
  const t0 = performance.now();
  const plan = planPeer(org, o);
  const root = makeInstanceDir(o.workDir, `postfix-${org.name}`, { keep: o.keepWorkDir });
  const p = POSTFIX_PATHS(root);
  const records: PolicyRecord[] = [];
  const policy = await startPolicyServer(postfixPolicyHandler({ plan, organization: org, now: () => new Date(), fetchCrl: o.fetchCrl ?? fetchLoopbackCrl }, (r) => records.push(r)));
  let master: ReturnType<typeof spawnMta> | undefined;
  try {
    const postfixUid = uidOf('postfix');
    const mailOwner = { uid: uidOf('nobody'), gid: gidOf('nogroup') };
    writeFiles(root, renderPostfix(plan, { root, policy, nonce: randomBytes(6).toString('hex'), mailOwner }));
    makeQueue(p.queue, postfixUid, gidOf('postdrop'));
    ownedDir(p.data, 0o700, postfixUid, gidOf('postfix'));
    ownedDir(p.mail, 0o755, mailOwner.uid, mailOwner.gid);
    ownedDir(p.log, 0o755);
    // -s: the foreground mode of `postfix start-fg`; the master stays our child, so stop() owns its whole process group.
    master = spawnMta(MASTER, ['-c', p.etc, '-s'], { MAIL_CONFIG: p.etc }, { folder: o.keepWorkDir ? undefined : root });
    await waitForListener(master, plan.address, plan.port, o.startTimeoutMs ?? 10_000, 'Postfix', () => readText(p.maillog));
  } catch (e) {
    await master?.stop();
    await policy.close();
    if (!o.keepWorkDir) removeInstanceDir(root);
    throw e;
  }
  return assemblePeer({
    implementation: 'postfix', label: 'Postfix', org, plan, root, startMs: performance.now() - t0, logFile: p.maillog, records,
    keepWorkDir: o.keepWorkDir, process: master, policy,
    async submit(msg: PeerMessage) {
      const id = msg.messageId ?? `${randomBytes(8).toString('hex')}@${plan.fqdn}`;
      const r = await runCommand(SENDMAIL, ['-C', p.etc, '-f', msg.from, '-i', '--', ...msg.to], composeMessage(msg, id, new Date()), { MAIL_CONFIG: p.etc });
      if (r.code !== 0) throw new DomsecError('ERR_SMTP_INPUT', `Postfix sendmail refused the message (exit ${r.code}): ${r.stderr.trim()}`);
      return id;
    },
    mailbox: async (address) => mailboxOf(readMaildir(p.inbox, plan.fqdn), address),
    queue: async (log) => parsePostqueue((await runCommand(POSTQUEUE, ['-c', p.etc, '-j'], undefined, { MAIL_CONFIG: p.etc })).stdout, log),
    readings: readPostfixLog,
    async flush() {
      await runCommand(POSTQUEUE, ['-c', p.etc, '-f'], undefined, { MAIL_CONFIG: p.etc });
    },
  });
}
