// Interop profiles: which implementation plays each organization ("adatum.com=simulated,treyresearch.net=postfix"), and the start function per MTA.
import { DomsecError } from '../errors.js';
import type { Organization } from '../orgs/index.js';
import { startEximPeer } from './exim/exim-peer.js';
import type { Implementation, PeerImplementation, PeerOptions, RunningPeer } from './peer.js';
import { startPostfixPeer } from './postfix/postfix-peer.js';

export type InteropProfile = Readonly<Record<string, Implementation>>;

const IMPLEMENTATIONS: readonly Implementation[] = ['simulated', 'postfix', 'exim'];

/** "org=impl,org=impl"; organizations not named are simulated. */
export function parseProfile(text: string): InteropProfile {
  const out: Record<string, Implementation> = {};
  for (const part of text.split(/[,\s]+/).filter(Boolean)) {
    const [org, impl] = part.split('=').map((s) => s.trim().toLowerCase());
    if (!org || !impl || !IMPLEMENTATIONS.includes(impl as Implementation)) {
      throw new DomsecError('ERR_USAGE', `"${part}" is not an interop profile entry. Use organization=implementation with one of ${IMPLEMENTATIONS.join(', ')}.`, { part });
    }
    out[org] = impl as Implementation;
  }
  return out;
}

export function implementationOf(profile: InteropProfile, organization: string): Implementation {
  return profile[organization.toLowerCase()] ?? 'simulated';
}

/** Both directions of every pair: the profile and its mirror, so each MTA is tried as sender and as receiver. */
export function mirrored(profile: InteropProfile, orgs: readonly string[]): InteropProfile[] {
  const mirror: Record<string, Implementation> = {};
  const realOnes = orgs.filter((o) => implementationOf(profile, o) !== 'simulated');
  const simulatedOnes = orgs.filter((o) => implementationOf(profile, o) === 'simulated');
  if (realOnes.length !== 1 || simulatedOnes.length !== 1) return [profile];
  mirror[simulatedOnes[0]] = implementationOf(profile, realOnes[0]);
  mirror[realOnes[0]] = 'simulated';
  return [profile, mirror];
}

export const PEER_STARTERS: Record<PeerImplementation, (org: Organization, o: PeerOptions) => Promise<RunningPeer>> = {
  postfix: startPostfixPeer,
  exim: startEximPeer,
};

export function startPeer(implementation: PeerImplementation, org: Organization, o: PeerOptions): Promise<RunningPeer> {
  return PEER_STARTERS[implementation](org, o);
}
