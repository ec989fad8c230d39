// Test support: the hand-written Postfix of docs/external-mta/ (not rendered by src/peers) as a private instance playing
// treyresearch.net, filled in exactly as docs/external-mta.md §5 tells a vendor, or one of two deliberately broken variants.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeInstanceDir, ownedDir, removeInstanceDir } from '../instance-dir.js';
import { type MtaProcess, spawnMta, waitForListener } from '../mta-process.js';
import { makeQueue } from '../postfix/postfix-peer.js';
import { gidOf, uidOf } from '../system-accounts.js';

const DOCS = fileURLToPath(new URL('../../../docs/external-mta/', import.meta.url));

/**
 * 'as-documented': the files as they are. The broken variants add one line at the end of main.cf (a later setting wins):
 * 'accepts-any-certificate' lets any presented client certificate stand for the partner, verified or not;
 * 'requests-no-certificate' never asks for one (smtpd_tls_ask_ccert = no). 'production-retry' is not broken: it keeps
 * Postfix's own retry schedule (minutes), as a vendor's production MTA does, instead of the test lab's seconds.
 */
export type StaticPostfixVariant = 'as-documented' | 'accepts-any-certificate' | 'requests-no-certificate' | 'production-retry';

const BREAKS: Record<StaticPostfixVariant, string> = {
  'as-documented': '',
  'accepts-any-certificate': '\n# Broken on purpose: any client certificate will do.\npartner_secure = check_ccert_access static:OK, reject\n',
  'requests-no-certificate': '\n# Broken on purpose: no client certificate is asked for.\nsmtpd_tls_ask_ccert = no\n',
  'production-retry': '\n# Postfix\'s own retry schedule, as in production.\nqueue_run_delay = 300s\nminimal_backoff_time = 300s\nmaximal_backoff_time = 4000s\n',
};

export interface StaticPostfixOptions {
  /** Where it listens for SMTP (127.0.0.1:port). */
  port: number;
  /** Where the lab's partner edge (adatum.com) listens: etc/transport and etc/tls_policy route there. */
  partnerEdge: { address: string; port: number };
  /** What `lab up` wrote for the external organization: D/treyresearch.net/external.{key,chain}.pem and D/ca/roots.pem. */
  keyPem: string;
  chainPem: string;
  rootsPem: string;
  variant?: StaticPostfixVariant;
}

export interface StaticPostfix {
  root: string;
  etc: string;
  log(): string;
  stop(): Promise<void>;
}

export async function startStaticPostfix(o: StaticPostfixOptions): Promise<StaticPostfix> {
  const root = makeInstanceDir(tmpdir(), 'static-postfix');
  const etc = join(root, 'etc');
  let master: MtaProcess | undefined;
  const log = () => { try { return readFileSync(join(root, 'log/maillog'), 'utf8'); } catch { return ''; } };
  try {
    mkdirSync(etc, { recursive: true });
    const fill = (file: string) => readFileSync(join(DOCS, file), 'utf8').replaceAll('@DIR@', root).replaceAll('@PORT@', String(o.port));
    const hop = `[${o.partnerEdge.address}]:${o.partnerEdge.port}`;
    writeFileSync(join(etc, 'main.cf'), fill('postfix-main.cf') + BREAKS[o.variant ?? 'as-documented']);
    writeFileSync(join(etc, 'master.cf'), fill('postfix-master.cf'));
    writeFileSync(join(etc, 'transport'), `adatum.com smtp:${hop}\n`);
    writeFileSync(join(etc, 'tls_policy'), `${hop} secure match=adatum.com:.adatum.com\n`);
    writeFileSync(join(etc, 'partner_senders'), 'adatum.com partner_secure\n');
    writeFileSync(join(etc, 'external.key.pem'), o.keyPem, { mode: 0o600 });
    writeFileSync(join(etc, 'external.chain.pem'), o.chainPem);
    writeFileSync(join(etc, 'roots.pem'), o.rootsPem);
    makeQueue(join(root, 'queue'), uidOf('postfix'), gidOf('postdrop'));
    ownedDir(join(root, 'data'), 0o700, uidOf('postfix'), gidOf('postfix'));
    ownedDir(join(root, 'mail'), 0o755, 65534, 65534);
    ownedDir(join(root, 'log'), 0o755);
    master = spawnMta('/usr/lib/postfix/sbin/master', ['-c', etc, '-s'], { MAIL_CONFIG: etc });
    await waitForListener(master, '127.0.0.1', o.port, 15_000, 'Postfix', log);
  } catch (e) {
    await master?.stop();
    removeInstanceDir(root);
    throw e;
  }
  const m = master;
  return {
    root, etc, log,
    stop: async () => {
      await m.stop();
      removeInstanceDir(root);
    },
  };
}
