// Says whether a real MTA can run here, and what a test must do when it cannot: skip with a plain message, or fail under CI=true.
import { DomsecError } from '../errors.js';
import { locateExim } from './exim/locate-exim.js';
import type { PeerImplementation } from './peer.js';
import { hasUser, isExecutable as executable } from './system-accounts.js';

export interface MtaGate {
  implementation: PeerImplementation;
  available: boolean;
  /** Why it is not available, in words a developer can act on. */
  reason: string;
  /** CI=true and not available: the run must fail, not skip. */
  mustFail: boolean;
}

function probe(kind: PeerImplementation, env: NodeJS.ProcessEnv): string | undefined {
  // Both masters bind sockets, change owners and drop privileges per delivery: they need root.
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return `${kind} peers need root (the MTA master process starts as root and drops privileges itself).`;
  if (kind === 'postfix') {
    if (!executable('/usr/sbin/postfix') || !executable('/usr/lib/postfix/sbin/master')) return 'Postfix is not installed: apt-get install -y postfix (see docs/interop.md).';
    if (!hasUser('postfix')) return 'The postfix system user is missing: reinstall the postfix package.';
    return undefined;
  }
  const exim = locateExim(env);
  if (!exim.ok) return exim.reason;
  return undefined;
}

export function mtaGate(kind: PeerImplementation, env: NodeJS.ProcessEnv = process.env): MtaGate {
  const reason = probe(kind, env);
  return { implementation: kind, available: reason === undefined, reason: reason ?? '', mustFail: reason !== undefined && env.CI === 'true' };
}

/** For start functions: a missing MTA is an ERR_MTA_MISSING with the fix in the message. */
export function assertMta(kind: PeerImplementation): void {
  const g = mtaGate(kind);
  if (!g.available) throw new DomsecError('ERR_MTA_MISSING', g.reason, { implementation: kind });
}
