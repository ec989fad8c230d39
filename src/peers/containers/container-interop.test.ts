// Interop with container peers: the same scenarios as postfix-peer.test.ts and exim-peer.test.ts (receiver, sender, expiry),
// with Postfix and Exim running in containers built on this machine. Skips without a container engine; fails under CI=true.
import { beforeAll } from 'vitest';
import type { PeerImplementation } from '../peer.js';
import { definePeerInteropSuite } from '../testing/peer-suite.js';
import { ensurePeerImage } from './container-images.js';
import { startContainerPeer } from './container-peer.js';
import { engineGate } from './engine-gate.js';

const gate = await engineGate();

for (const kind of ['postfix', 'exim'] as PeerImplementation[]) {
  if (gate.available) {
    // A cold build (base image + apt-get) takes minutes; done here so each peer start stays within the hook timeout.
    beforeAll(async () => {
      const b = await ensurePeerImage(kind);
      console.info(`[containers] ${b.image}: ${b.built ? 'built' : 'cached'} in ${Math.round(b.ms)} ms`);
    }, 20 * 60_000);
  }
  definePeerInteropSuite(kind, (org, o) => startContainerPeer(kind, org, o), { gate, missingCode: 'ERR_CONTAINER_ENGINE', label: `${kind} container`, matrix: false });
}
