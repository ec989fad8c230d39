// The reference Exim shim (docs/external-mta/exim-shim.py) against a real Exim (its -C configuration, spool, Maildir and
// mainlog); skips without Exim, fails under CI=true.
import { startEximPeer } from './exim/exim-peer.js';
import { defineShimSuite } from './testing/shim-suite.js';

defineShimSuite({ kind: 'exim', label: 'Exim', startPeer: startEximPeer, shimConfig: (dir) => `${dir}/etc/exim.conf`, submitsThrough: 'exim -f … -i' });
