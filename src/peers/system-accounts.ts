// Looks up what the MTAs need on this machine without shelling out: their system users and groups, their binaries.
import { accessSync, constants, readFileSync } from 'node:fs';
import { DomsecError } from '../errors.js';

function lookup(file: '/etc/passwd' | '/etc/group', name: string): string[] | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return text.split('\n').map((l) => l.split(':')).find((f) => f[0] === name);
}

export function uidOf(user: string): number {
  const f = lookup('/etc/passwd', user);
  if (!f) throw new DomsecError('ERR_MTA_MISSING', `The system user "${user}" does not exist; install the mail server package that creates it.`, { user });
  return Number(f[2]);
}

export function gidOf(group: string): number {
  const f = lookup('/etc/group', group);
  if (!f) throw new DomsecError('ERR_MTA_MISSING', `The system group "${group}" does not exist; install the mail server package that creates it.`, { group });
  return Number(f[2]);
}

export function hasUser(user: string): boolean {
  return lookup('/etc/passwd', user) !== undefined;
}

/** True when the file exists and this process may run it. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
