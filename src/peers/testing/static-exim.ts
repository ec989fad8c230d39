// Test support: the hand-written Exim configuration of docs/external-mta/exim.conf (not rendered by src/peers) as a
// private instance playing treyresearch.net, filled in as its header tells a vendor; or on Exim's production retry pace.
import { chownSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DomsecError } from '../../errors.js';
import { EXIM_USER, locateExim } from '../exim/locate-exim.js';
import { makeInstanceDir, ownedDir, removeInstanceDir } from '../instance-dir.js';
import { type MtaProcess, spawnMta, waitForListener } from '../mta-process.js';
import { gidOf, uidOf } from '../system-accounts.js';

const DOCS = fileURLToPath(new URL('../../../docs/external-mta/', import.meta.url));

/** 'production-retry': Debian's exim4-config retry rule (15 minutes, then hourly) instead of the test lab's second. */
export type StaticEximVariant = 'as-documented' | 'production-retry';

const RETRY: Record<StaticEximVariant, string | undefined> = {
  'as-documented': undefined,
  'production-retry': '*  *  F,2h,15m; G,16h,1h,1.5; F,4d,6h',
};

export interface StaticEximOptions {
  port: number;
  partnerEdge: { address: string; port: number };
  keyPem: string;
  chainPem: string;
  rootsPem: string;
  variant?: StaticEximVariant;
}

export interface StaticExim {
  root: string;
  /** The configuration file the daemon runs with (exim -C): what exim-shim.py is given. */
  conf: string;
  log(): string;
  stop(): Promise<void>;
}

export async function startStaticExim(o: StaticEximOptions): Promise<StaticExim> {
  const where = locateExim();
  if (!where.ok) throw new DomsecError('ERR_MTA_MISSING', where.reason);
  const root = makeInstanceDir(tmpdir(), 'static-exim');
  const conf = join(root, 'etc', 'exim.conf');
  let daemon: MtaProcess | undefined;
  const log = () => { try { return readFileSync(join(root, 'log/mainlog'), 'utf8') + readFileSync(join(root, 'log/paniclog'), 'utf8'); } catch { return ''; } };
  try {
    const uid = uidOf(EXIM_USER);
    const gid = gidOf(EXIM_USER);
    ownedDir(join(root, 'etc'), 0o755);
    let text = readFileSync(join(DOCS, 'exim.conf'), 'utf8').replaceAll('@DIR@', root).replaceAll('@PORT@', String(o.port)).replaceAll('@EXIM@', where.binary)
      .replaceAll('@EDGE_ADDRESS@', o.partnerEdge.address).replaceAll('@EDGE_PORT@', String(o.partnerEdge.port));
    const retry = RETRY[o.variant ?? 'as-documented'];
    if (retry) text = text.replace(/^\*\s+\*\s+F,2h,1s$/m, retry);
    writeFileSync(conf, text);
    // With -C, Exim's re-executed processes give up root: the key must be readable by its group.
    writeFileSync(join(root, 'etc', 'external.key.pem'), o.keyPem, { mode: 0o640 });
    chownSync(join(root, 'etc', 'external.key.pem'), 0, gid);
    writeFileSync(join(root, 'etc', 'external.chain.pem'), o.chainPem);
    writeFileSync(join(root, 'etc', 'roots.pem'), o.rootsPem);
    for (const d of ['spool', 'log', 'mail']) ownedDir(join(root, d), 0o750, uid, gid);
    daemon = spawnMta(where.binary, ['-C', conf, '-bdf', `-q${o.variant === 'production-retry' ? '15m' : '1s'}`], {}, { folder: root });
    await waitForListener(daemon, '127.0.0.1', o.port, 15_000, 'Exim', log);
  } catch (e) {
    await daemon?.stop();
    removeInstanceDir(root);
    throw e;
  }
  const d = daemon;
  return {
    root, conf, log,
    stop: async () => {
      await d.stop();
      removeInstanceDir(root);
    },
  };
}
