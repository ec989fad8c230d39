// Interop: a real Exim 4 plays treyresearch.net against a simulated adatum.com (both roles); skips without Exim, fails under CI=true.
import { definePeerInteropSuite } from '../testing/peer-suite.js';
import { startEximPeer } from './exim-peer.js';

definePeerInteropSuite('exim', startEximPeer);
