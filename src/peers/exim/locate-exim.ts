// Finds the Exim binary: the project-owned unpacked copy (/opt/domsec-exim, beside Postfix) first, else a system exim4.
import { hasUser, isExecutable as executable } from '../system-accounts.js';

export const DEFAULT_EXIM_ROOT = '/opt/domsec-exim';
/** Compiled into Debian's exim4 binaries: the binary refuses to start without this user. */
export const EXIM_USER = 'Debian-exim';

export type EximLocation = { ok: true; binary: string; root: string } | { ok: false; reason: string };

export function locateExim(env: NodeJS.ProcessEnv = process.env): EximLocation {
  const root = env.DOMSEC_EXIM_ROOT ?? DEFAULT_EXIM_ROOT;
  const candidates = [{ binary: `${root}/usr/sbin/exim4`, root }, { binary: '/usr/sbin/exim4', root: '/' }];
  const found = candidates.find((c) => executable(c.binary));
  if (!found) {
    return { ok: false, reason: `Exim is not installed: run src/peers/exim/unpack-exim.sh (unpacks exim4-daemon-light into ${root} beside Postfix; see docs/interop.md).` };
  }
  if (!hasUser(EXIM_USER)) return { ok: false, reason: `The ${EXIM_USER} system user is missing: run src/peers/exim/unpack-exim.sh, which creates it as the exim4-base package would.` };
  return { ok: true, ...found };
}
